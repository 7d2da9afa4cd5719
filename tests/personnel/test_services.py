"""Writes: each refused with a reason and nothing half-saved; the history and current columns kept in step."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from personnel import services
from personnel.models import (
    CorrectionRequest,
    PersonnelFile,
    PositionRecord,
    Rank,
    SalaryRecord,
)
from personnel.workflow import WorkflowError
from portal import roles
from portal.models import AuditEvent
from tests.factories import UnitFactory
from tests.personnel.factories import make_file


def _counts():
    return (PersonnelFile.objects.count(), PositionRecord.objects.count(), SalaryRecord.objects.count())


def test_create_file_computes_dates(officer_a, ward_a, make_user):
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv1")
    file = make_file(
        officer_a, ward_a, user=official, birth_date=date(1964, 1, 10), step=3, step_from=date(2023, 2, 1)
    )
    assert file.retirement_date == date(2025, 4, 30)
    assert file.next_step_due == date(2026, 2, 1)
    assert (file.rank.code, file.salary_step, str(file.coefficient)) == ("01.003", 3, "3.00")
    assert AuditEvent.objects.filter(action="personnelfile.create", object_id=str(file.pk)).exists()


def test_bad_input_refused_with_reasons_and_nothing_saved(officer_a, ward_a, ward_b):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.create_file(
            officer_a,
            {
                "staff_number": "X1",
                "full_name": "Lê Văn A",
                "sex": "male",
                "birth_date": date(1990, 1, 1),
                "category": "civil_servant",
                "recruited_on": date(2000, 1, 1),  # at 10: dates out of order
            },
            {"unit": ward_b, "position": "Chuyên viên", "start_date": date(2015, 1, 1)},  # outside scope
            {"rank": "99.999", "step": 1, "start_date": date(2015, 1, 1)},  # unknown grade
        )
    errors = exc.value.message_dict
    assert "recruited_on" in errors and "unit" in errors and "rank" in errors
    assert "99.999" in errors["rank"][0]
    assert _counts() == before


def test_transfer_within_scope_moves_file_and_login(officer_a, ward_a, make_user):
    sub = UnitFactory(code="WA-TO", name="Tổ dân phố 3", parent=ward_a)
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv2")
    file = make_file(officer_a, ward_a, user=official, start=date(2015, 1, 1))
    services.record_position(
        file,
        officer_a,
        {
            "kind": "transfer",
            "unit": sub,
            "position": "Tổ trưởng",
            "start_date": date(2024, 7, 1),
            "decision_number": "15/QĐ-UBND",
            "decision_date": date(2024, 6, 20),
        },
    )
    file.refresh_from_db()
    official.refresh_from_db()
    assert file.unit == sub and file.position == "Tổ trưởng"
    assert official.unit == sub
    first = file.positions.order_by("start_date").first()
    assert first.end_date == date(2024, 6, 30)


def test_transfer_outside_scope_and_out_of_order_refused(officer_a, ward_a, ward_b):
    file = make_file(officer_a, ward_a, start=date(2015, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_position(
            file,
            officer_a,
            {"kind": "transfer", "unit": ward_b, "position": "Chuyên viên", "start_date": date(2024, 1, 1)},
        )
    assert "outside" in exc.value.message_dict["unit"][0] or "ngoài" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_position(
            file,
            officer_a,
            {"kind": "appointment", "unit": ward_a, "position": "Phó", "start_date": date(2014, 1, 1)},
        )
    assert "start_date" in exc.value.message_dict
    assert file.positions.count() == 1


def test_another_wards_officer_cannot_edit(officer_a, officer_b, ward_a):
    file = make_file(officer_a, ward_a)
    with pytest.raises(PermissionDenied):
        services.update_file(file, officer_b, {"phone": "0912345678"})


def test_step_raise_interval_enforced(officer_a, ward_a):
    file = make_file(officer_a, ward_a, rank="01.003", step=2, step_from=date(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_salary(file, officer_a, {"kind": "regular", "start_date": date(2025, 2, 28)})
    assert "01/03/2025" in exc.value.message_dict["start_date"][0]
    assert file.salaries.count() == 1
    services.record_salary(
        file, officer_a, {"kind": "regular", "start_date": date(2025, 3, 1), "decision_number": "7/QĐ"}
    )
    file.refresh_from_db()
    assert (file.salary_step, str(file.coefficient), file.next_step_due) == (3, "3.00", date(2028, 3, 1))


def test_step_raise_for_lower_rank_is_two_years(officer_a, ward_a):
    file = make_file(officer_a, ward_a, rank="01.005", step=4, step_from=date(2022, 3, 1))
    assert file.next_step_due == date(2024, 3, 1)
    services.record_salary(file, officer_a, {"kind": "regular", "start_date": date(2024, 3, 1)})


def test_discipline_delays_next_step(officer_a, ward_a):
    file = make_file(officer_a, ward_a, step=2, step_from=date(2022, 3, 1))
    services.add_discipline(
        file,
        officer_a,
        {"form": "warning", "start_date": date(2023, 1, 10), "violation": "Vi phạm giờ làm việc"},
    )
    file.refresh_from_db()
    assert file.next_step_due == date(2025, 9, 1)


def test_early_raise_needs_reason_and_decision_and_at_most_12_months(officer_a, ward_a):
    file = make_file(officer_a, ward_a, step=2, step_from=date(2022, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_salary(file, officer_a, {"kind": "early", "start_date": date(2024, 3, 1)})
    assert {"note", "decision_number"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.record_salary(
            file,
            officer_a,
            {"kind": "early", "start_date": date(2024, 2, 1), "note": "Xuất sắc", "decision_number": "1/QĐ"},
        )
    services.record_salary(
        file,
        officer_a,
        {"kind": "early", "start_date": date(2024, 3, 1), "note": "Xuất sắc", "decision_number": "1/QĐ"},
    )


def test_rank_change_out_of_order_refused(officer_a, ward_a):
    file = make_file(officer_a, ward_a, step=2, step_from=date(2022, 3, 1))
    with pytest.raises(ValidationError):
        services.record_salary(
            file,
            officer_a,
            {
                "kind": "rank_change",
                "rank": Rank.objects.get(code="01.002"),
                "step": 1,
                "start_date": date(2021, 1, 1),
            },
        )
    services.record_salary(
        file,
        officer_a,
        {
            "kind": "rank_change",
            "rank": Rank.objects.get(code="01.002"),
            "step": 1,
            "start_date": date(2024, 1, 1),
        },
    )
    file.refresh_from_db()
    assert (file.rank.code, str(file.coefficient)) == ("01.002", "4.40")


def test_qualification_level_checked_and_highest_kept(officer_a, ward_a):
    file = make_file(officer_a, ward_a)
    with pytest.raises(ValidationError):
        services.add_qualification(file, officer_a, {"kind": "professional", "level": "genius"})
    services.add_qualification(
        file, officer_a, {"kind": "professional", "level": "university", "field": "Luật"}
    )
    services.add_qualification(file, officer_a, {"kind": "professional", "level": "master", "field": "Luật"})
    services.add_qualification(file, officer_a, {"kind": "political_theory", "level": "intermediate"})
    file.refresh_from_db()
    assert (file.education, file.political_theory) == ("master", "intermediate")
    with pytest.raises(ValidationError):
        services.add_training(
            file,
            officer_a,
            {"name": "Bồi dưỡng", "start_date": date(2024, 5, 1), "end_date": date(2024, 4, 1)},
        )


def test_correction_accepted_applies_the_value(officer_a, ward_a, make_user):
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv3")
    file = make_file(officer_a, ward_a, user=official, phone="0912345678")
    request = services.request_correction(file, official, "phone", "0987654321", "Số điện thoại mới")
    assert request.current_value == "0912345678"
    with pytest.raises(WorkflowError):
        services.accept_correction(request, official)  # nobody decides on their own file
    services.accept_correction(request, officer_a, "Đã kiểm tra")
    file.refresh_from_db()
    assert file.phone == "0987654321"
    assert list(request.events.values_list("action", flat=True)) == ["submit", "accept"]
    with pytest.raises(WorkflowError):
        services.refuse_correction(request, officer_a, "late")


def test_correction_refused_needs_reason_and_other_wards_officer_cannot(
    officer_a, officer_b, ward_a, make_user
):
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv4")
    file = make_file(officer_a, ward_a, user=official)
    request = services.request_correction(file, official, "other", "Quyết định 15/QĐ sai ngày", "Xem bản gốc")
    with pytest.raises(ValidationError):
        services.refuse_correction(request, officer_a, "  ")
    with pytest.raises(WorkflowError):
        services.refuse_correction(request, officer_b, "Không thuộc phạm vi")
    services.refuse_correction(request, officer_a, "Quyết định đúng như bản gốc")
    assert CorrectionRequest.objects.get(pk=request.pk).status == "refused"


def test_correction_with_bad_value_refused_at_request(officer_a, ward_a, make_user):
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv5")
    file = make_file(officer_a, ward_a, user=official)
    with pytest.raises(ValidationError):
        services.request_correction(file, official, "birth_date", "32/13/1990", "sai")
    with pytest.raises(PermissionDenied):
        services.request_correction(file, officer_a, "phone", "0987654321", "not mine")


def test_officer_cannot_edit_own_file(officer_a, ward_a, home_affairs):
    file = make_file(home_affairs, ward_a, user=officer_a)
    with pytest.raises(PermissionDenied):
        services.update_file(file, officer_a, {"phone": "0912345678"})
    services.update_file(file, home_affairs, {"phone": "0912345678"})
