"""The report's life through the services: every step checked by the one workflow table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from feedback import services
from feedback import workflow as wf
from feedback.models import Assignment, Photo, Report, ReportStatus, Rules
from feedback.workflow import Citizen, WorkflowError
from portal.models import AuditEvent
from tests.feedback.factories import jpeg_bytes, photo

S = ReportStatus
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_table_covers_every_state_and_refuses_what_it_does_not_list(fb):
    assert set(wf.TRANSITIONS) == set(S.values)
    report = fb.report()
    with pytest.raises(WorkflowError) as refused:
        services.approve_answer(report, fb.dept_ld)
    assert str(refused.value.message) == (
        "Không thể “Phê duyệt và công khai trả lời” khi phản ánh đang ở trạng thái “Đã tiếp nhận, chờ phân loại”."
    )


@time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=TZ), tick=False)  # a Monday
def test_a_report_is_received_with_a_code_a_key_and_its_forwarding_deadline(fb):
    report, key = services.submit_report(fb.data(), [photo()])
    assert report.code == "PA-260420-0001"
    assert services.key_matches(report, key) and not services.key_matches(report, key + "x")
    assert report.status == S.NEW and report.unit == fb.city
    assert sorted(report.unit_ids) == sorted([fb.city.pk, fb.ward.pk])
    assert report.forward_due.isoformat() == "2026-04-28"  # 5 working days; Mon 27/4 is a day off
    assert report.events.get().action == "receive"
    stored = report.photos.get()
    assert stored.kind == Photo.Kind.REPORT and b"PhoneMaker" not in stored.file.read()
    second, _key = services.submit_report(fb.data())
    assert second.code == "PA-260420-0002"


def test_a_double_submit_makes_one_report(fb):
    first, key = services.submit_report(fb.data(), submission_key="k" * 32)
    again, no_key = services.submit_report(fb.data(), submission_key="k" * 32)
    assert again.pk == first.pk and key and no_key is None
    assert Report.objects.count() == 1


def test_bad_input_writes_nothing_and_names_every_field(fb):
    bad = fb.data(
        reporter_phone="12345",
        description="",
        reporter_name="\x00",
        lat="91",
        lon="x",
        attributes={"pole": "a" * 500, "nope": "1"},
    )
    with pytest.raises(ValidationError) as error:
        services.submit_report(bad, [photo("anh.jpg", b"<html>not a photo</html>")])
    fields = set(error.value.message_dict)
    assert {"reporter_phone", "description", "reporter_name", "lat", "lon", "attribute[pole]"} <= fields
    with pytest.raises(ValidationError) as photo_error:
        services.submit_report(fb.data(), [photo("anh.jpg", b"<html>not a photo</html>")])
    assert "photos" in photo_error.value.message_dict
    with pytest.raises(ValidationError):
        services.submit_report(fb.data(), [photo() for _ in range(6)])
    assert Report.objects.count() == 0 and Photo.objects.count() == 0


def test_a_required_question_of_the_category_must_be_answered(fb):
    with pytest.raises(ValidationError) as error:
        services.submit_report(fb.data(category=fb.flood, attributes={}))
    assert "attribute[depth]" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.submit_report(fb.data(category=fb.flood, attributes={"depth": "roof"}))
    report, _key = services.submit_report(fb.data(category=fb.flood, attributes={"depth": "knee"}))
    assert report.attributes == {"depth": "knee"}


@time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=TZ), tick=False)
def test_triage_assigns_with_the_category_deadline_and_only_the_desk_triages(fb):
    report = fb.report()
    with pytest.raises(WorkflowError):
        services.assign_report(report, fb.dept_ld, fb.dept)  # not the desk
    with pytest.raises(WorkflowError):
        services.assign_report(report, Citizen(report.pk), fb.dept)
    assignment = services.assign_report(report, fb.operator, fb.dept, handler=fb.dept_cv)
    report.refresh_from_db()
    assert assignment.due_date.isoformat() == "2026-04-23"  # 3 working days
    assert report.status == S.ASSIGNED and report.unit == fb.dept and fb.dept.pk in report.unit_ids
    assert AuditEvent.objects.filter(action="report.assign", object_id=str(report.pk)).exists()
    with pytest.raises(WorkflowError):  # a handler named: another specialist may not act
        other = type(fb.dept_cv).objects.create(username="dept.cv2", unit=fb.dept, is_staff=True)
        from portal import roles

        other.groups.add(roles.group_for(roles.SPECIALIST))
        services.submit_answer(report, other, "x")


def test_invalid_duplicate_and_forwarded_carry_a_reason(fb):
    original = fb.report(S.ASSIGNED)
    dup = fb.report()
    services.mark_duplicate(dup, fb.operator, original, "")
    dup.refresh_from_db()
    assert dup.status == S.DUPLICATE and dup.duplicate_of == original
    assert original.code in dup.decision_note
    assert dup.effective_status == S.ASSIGNED  # follows the original
    with pytest.raises(ValidationError):
        services.reject_report(fb.report(), fb.operator, "  ")
    forwarded = fb.report(S.FORWARDED)
    assert forwarded.forwarded_to == "Điện lực Tiền Giang"
    assert forwarded.events.last().data["on_time"] is True


@time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=TZ), tick=False)
def test_a_department_passes_down_to_a_ward_with_an_earlier_deadline(fb):
    report = fb.report(S.ASSIGNED)
    due = report.due_date
    with pytest.raises(ValidationError) as late:
        services.pass_down(report, fb.dept_ld, fb.ward, due.replace(day=due.day + 7))
    assert "due_date" in late.value.message_dict
    with pytest.raises(ValidationError):
        services.pass_down(report, fb.dept_ld, fb.dept, due)  # not below
    child = services.pass_down(report, fb.dept_ld, fb.ward, due, handler=fb.ward_cv)
    report.refresh_from_db()
    assert report.unit == fb.ward and child.parent.status == Assignment.Status.PASSED_DOWN
    with pytest.raises(WorkflowError):  # the department no longer holds it
        services.submit_answer(report, fb.dept_cv, "x")
    with pytest.raises(WorkflowError):  # another ward never acts
        services.submit_answer(report, fb.ward2_cv, "x")
    services.add_note(report, fb.ward_cv, "Đã kiểm tra hiện trường", [photo("sua.jpg", jpeg_bytes())])
    services.submit_answer(report, fb.ward_cv, "Đã sửa xong.")
    with pytest.raises(WorkflowError):  # the department's leader does not approve the ward's answer
        services.approve_answer(report, fb.dept_ld)
    services.approve_answer(report, fb.ward_ld)
    report.refresh_from_db()
    assert report.status == S.ANSWERED and report.published_at and report.answered_unit == fb.ward
    assert set(report.assignments.values_list("status", flat=True)) == {Assignment.Status.DONE}
    assert report.photos.filter(kind=Photo.Kind.FIX).count() == 1


def test_the_published_answer_never_carries_a_phone_number(fb):
    report = fb.report(S.ANSWERED)
    assert "0987654321" not in report.answer and "[…]" in report.answer
    assert "0987654321" in report.answer_draft  # the official record keeps what was written


def test_send_back_returns_the_draft_to_the_handler(fb):
    report = fb.report(S.AWAITING_APPROVAL)
    with pytest.raises(WorkflowError):
        services.send_back(report, fb.dept_cv, "Viết lại")
    services.send_back(report, fb.dept_ld, "Viết rõ hơn")
    report.refresh_from_db()
    assert report.status == S.ASSIGNED


def test_rate_then_reopen_once_within_seven_days(fb):
    report = fb.report(S.ANSWERED)
    citizen = Citizen(report.pk)
    with pytest.raises(WorkflowError):  # rate first
        services.reopen_report(report, citizen, "Vẫn hỏng")
    with pytest.raises(WorkflowError):
        services.rate_report(report, Citizen(report.pk + 1), 1)
    services.rate_report(report, citizen, 1, "Chưa sửa")
    with pytest.raises(WorkflowError):
        services.rate_report(report, citizen, 2)
    services.reopen_report(report, citizen, "Đèn vẫn không sáng")
    report.refresh_from_db()
    assert report.status == S.ASSIGNED and report.round == 2 and report.unit == fb.dept
    services.submit_answer(report, fb.dept_cv, "Đã thay cả chấn lưu.")
    services.approve_answer(report, fb.dept_ld)
    services.rate_report(report, citizen, 2)
    with pytest.raises(WorkflowError) as once:
        services.reopen_report(report, citizen, "Lại hỏng")
    assert str(once.value.message) == "Mỗi phản ánh chỉ được mở lại một lần."


def test_reopening_closes_after_the_days_the_rules_give(fb):
    report = fb.report(S.ANSWERED, rated=1)
    rules = Rules.in_force(report.received_at.date())
    assert rules.reopen_days == 7
    with time_machine.travel(report.answered_at.timestamp() + 8 * 86400):
        with pytest.raises(WorkflowError) as late:
            services.reopen_report(report, Citizen(report.pk), "Vẫn hỏng")
    assert "7" in late.value.message


def test_a_handling_unit_returns_a_report_to_the_desk(fb):
    report = fb.report(S.ASSIGNED)
    services.return_to_desk(report, fb.dept_cv, "Không thuộc phòng")
    report.refresh_from_db()
    assert report.status == S.NEW and report.unit == fb.city
    services.assign_report(report, fb.operator, fb.ward)
    assert report.assignments.filter(status="active").get().unit == fb.ward
