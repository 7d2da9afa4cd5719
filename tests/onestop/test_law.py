"""The law in force on the reception day, as data (issue 7 item 5), and the one letter registry (issue 6 item 2).

- A dossier received before 1 July 2025 prints Decree 61/2018's desk and
  Circular 01/2018's forms; one received in 2026 the 2025 centre and the
  forms of Circular 03/2025 (04 renamed, 05 notice of stop, 06 control
  sheet, 07 register).
- The desk's name is data per unit; headers name the issuing body in full.
- Withdrawal and stop (form 05) exist only under the 2025 regime.
- The staff pages and the citizen look-up list the same letters from one table.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from onestop import law, letters, services
from onestop import workflow as wf
from onestop.models import DeskName, Dossier, DossierStatus, LegalRegime
from onestop.workflow import Citizen, WorkflowError
from portal.workdays import TZ
from tests.onestop.factories import make_dossier
from tests.onestop.test_lookup import signed_in

pytestmark = pytest.mark.django_db
S = DossierStatus


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def dossier_on(cast, when: datetime, state=S.PROCESSING) -> Dossier:
    with time_machine.travel(when, tick=False):
        return Dossier.objects.get(pk=make_dossier(cast, state).pk)


def test_a_2025_june_dossier_prints_decree_61_desk_and_2018_forms(cast):
    dossier = dossier_on(cast, at(2025, 6, 2, 9, 0))
    text = text_of(letters.receipt_pdf(dossier, "https://x/?ma="))
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ UBND PHƯỜNG 1" in text
    assert "(Mẫu số 01 - Thông tư số 01/2018/TT-VPCP)" in text
    assert "Trung tâm" not in text
    with time_machine.travel(at(2025, 6, 3, 9, 0), tick=False):
        services.reschedule_dossier(dossier, cast.ward_specialist, date(2025, 6, 12), "Chờ ý kiến")
    apology = text_of(letters.apology_pdf(Dossier.objects.get(pk=dossier.pk)))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology and "Mẫu số 04" in apology
    assert (
        "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào 17 giờ 00 phút, thứ Năm, ngày 12/06/2025" in apology
    )
    assert "gia hạn" not in apology
    control = text_of(letters.control_sheet_pdf(dossier))
    assert "(Mẫu số 05 - Thông tư số 01/2018/TT-VPCP)" in control


def test_the_desk_name_is_data_per_unit(cast):
    regime = LegalRegime.objects.get(code="nd-118-2025")
    DeskName.objects.create(
        unit=cast.ward, regime=regime, name="Trung tâm Phục vụ hành chính công phường Mỹ Tho"
    )
    dossier = dossier_on(cast, at(2026, 11, 23, 9, 0))
    text = text_of(letters.receipt_pdf(dossier, "https://x/?ma="))
    # The header names the issuing body in full: the committee, then the desk's own name.
    assert "UBND PHƯỜNG 1 TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG MỸ THO" in text
    assert "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công phường Mỹ Tho" in text
    # The 2018 regime's desk of the same unit is untouched.
    old = dossier_on(cast, at(2025, 6, 2, 9, 0))
    assert law.dossier_desk(old) == "Bộ phận Tiếp nhận và Trả kết quả UBND Phường 1"


def test_an_administrator_moves_the_circulars_date(cast):
    """Circular 03/2025's effective date is [open]: editing the row changes which forms apply."""
    dossier = dossier_on(cast, at(2025, 8, 4, 9, 0))
    assert law.form(dossier, "control-sheet")[0] == "05"
    from onestop.models import FormSet

    FormSet.objects.filter(code="tt-03-2025").update(effective_from=date(2025, 7, 1))
    assert law.form(Dossier.objects.get(pk=dossier.pk), "control-sheet")[0] == "06"


def test_withdrawal_is_refused_under_decree_61_and_stops_under_decree_118(cast):
    old = dossier_on(cast, at(2025, 6, 2, 9, 0))
    with time_machine.travel(at(2025, 6, 3, 9, 0), tick=False), pytest.raises(WorkflowError) as refused:
        services.withdraw_dossier(old, cast.officer, "Người nộp xin rút")
    assert "Nghị định số 61/2018/NĐ-CP" in str(refused.value.message)
    assert wf.WITHDRAW not in wf.allowed_actions(old, cast.officer)
    assert Dossier.objects.get(pk=old.pk).status == S.PROCESSING

    dossier = dossier_on(cast, at(2026, 11, 23, 9, 0))
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        services.withdraw_dossier(dossier, Citizen(dossier.pk), "Tôi không còn nhu cầu xây nhà")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.STOPPED and dossier.decided_at is not None
    assert not dossier.steps.filter(status="active").exists()
    text = text_of(letters.stop_pdf(dossier))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "(Mẫu số 05 - Thông tư số 03/2025/TT-VPCP)" in text
    assert "Theo đề nghị rút hồ sơ của Ông/Bà Nguyễn Văn An" in text
    assert "Tôi không còn nhu cầu xây nhà" in text


def test_the_agency_stops_processing_with_the_notice(cast):
    dossier = dossier_on(cast, at(2026, 11, 23, 9, 0))
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        services.stop_processing(dossier, cast.specialist, "Có tranh chấp đất đai đang được Tòa án thụ lý")
    text = text_of(letters.stop_pdf(Dossier.objects.get(pk=dossier.pk)))
    assert "PHÒNG QUẢN LÝ ĐÔ THỊ" in text
    assert "Qua xem xét, Phòng Quản lý đô thị thông báo dừng giải quyết" in text


# --- one registry, two audiences -------------------------------------------------------------


def test_staff_and_citizen_read_one_registry(client, cast):
    dossier = dossier_on(cast, at(2026, 11, 23, 9, 0))
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        services.stop_processing(dossier, cast.ward_specialist, "Người nộp đã chuyển đi nơi khác")
    dossier = Dossier.objects.get(pk=dossier.pk)
    citizen = [c.slug for c in letters.available(dossier, letters.CITIZEN)]
    staff = [c.slug for c in letters.available(dossier, letters.STAFF)]
    assert citizen == ["receipt", "stop"]
    assert staff == ["receipt", "stop", "control-sheet"]

    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Thông báo dừng giải quyết hồ sơ (mẫu 05)" in page
    assert "Người nộp đã chuyển đi nơi khác" in page
    url = re.search(r'href="([^"]+/thu/stop\.pdf)"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert f'filename="dung-giai-quyet-{dossier.code}.pdf"' in response["Content-Disposition"]
    assert client.get(f"/tra-cuu/{dossier.code}/thu/control-sheet.pdf").status_code == 404  # staff only

    client.force_login(cast.officer)
    detail = client.get(reverse("admin:onestop_dossier_change", args=[dossier.pk])).content.decode()
    assert "Thông báo dừng giải quyết hồ sơ (mẫu 05)" in detail
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)" in detail
    pdf = client.get(reverse("admin:onestop_dossier_pdf", args=[dossier.pk, "stop"]))
    assert pdf.status_code == 200 and "THÔNG BÁO DỪNG" in text_of(pdf.content)


def test_a_2018_dossier_lists_the_2018_numbers(client, cast):
    dossier = dossier_on(cast, at(2025, 6, 2, 9, 0))
    client.force_login(cast.officer)
    detail = client.get(reverse("admin:onestop_dossier_change", args=[dossier.pk])).content.decode()
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 05)" in detail
    assert "mẫu 06" not in detail


# --- the register (form 07), per desk and period ----------------------------------------------


def test_register_per_desk_and_period(client, cast):
    inside = dossier_on(cast, at(2026, 11, 23, 9, 0))
    dossier_on(cast, at(2026, 10, 1, 9, 0))  # before the period
    client.force_login(cast.officer)
    url = reverse("admin:onestop_dossier_register")
    assert "In sổ theo dõi hồ sơ" in client.get(url).content.decode()
    response = client.get(url, {"unit": cast.ward.pk, "start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "(Mẫu số 07 - Thông tư số 03/2025/TT-VPCP)" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG 1" in text
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    assert inside.code in text.replace(" ", "") and "Tổng số: 1 hồ sơ." in text  # codes wrap in the cell
    old = client.get(url, {"unit": cast.ward.pk, "start": "2025-06-01", "end": "2025-06-30"})
    assert "(Mẫu số 06 - Thông tư số 01/2018/TT-VPCP)" in text_of(old.content)
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ UBND PHƯỜNG 1" in text_of(old.content)


def test_register_refuses_a_bad_period_and_other_desks(client, cast):
    client.force_login(cast.officer)
    url = reverse("admin:onestop_dossier_register")
    backwards = client.get(url, {"unit": cast.ward.pk, "start": "2026-11-30", "end": "2026-11-01"})
    assert backwards.status_code == 400 and "Ngày kết thúc trước ngày bắt đầu." in backwards.content.decode()
    garbage = client.get(url, {"unit": "x", "start": "2026-13-01", "end": "\x00"})
    assert garbage.status_code == 400
    other = client.get(url, {"unit": cast.other_ward.pk, "start": "2026-11-01", "end": "2026-11-30"})
    assert other.status_code == 400  # not a desk this officer sees


def test_a_stopped_dossier_is_closed_in_the_statistics(cast):
    from onestop import stats

    dossier = dossier_on(cast, at(2026, 10, 5, 9, 0))
    open_one = dossier_on(cast, at(2026, 10, 5, 9, 30))
    with time_machine.travel(at(2026, 10, 6, 9, 0), tick=False):
        services.withdraw_dossier(dossier, cast.officer, "Người nộp rút hồ sơ")
    period = stats.Period(date(2026, 10, 1), date(2026, 10, 31))
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        (ward,) = [r for r in stats.receiving_figures(period) if r.unit == cast.ward]
    assert (ward.received, ward.in_progress, ward.overdue) == (2, 1, 1)  # only ``open_one``
    assert open_one.status == S.PROCESSING


def test_the_seed_stands_in_when_the_tables_are_empty(cast):
    """A flushed database (transactional tests) still follows the law of the reception day."""
    from onestop.models import FormSet

    LegalRegime.objects.all().delete()
    FormSet.objects.all().delete()
    assert law.regime_on(date(2025, 6, 30)).decree == "Nghị định số 61/2018/NĐ-CP"
    assert law.regime_on(date(2025, 7, 1)).decree == "Nghị định số 118/2025/NĐ-CP"
    assert law.forms_on(date(2025, 9, 15))["stop"] == ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    assert "stop" not in law.forms_on(date(2025, 9, 14))
    dossier = dossier_on(cast, at(2026, 11, 23, 9, 0))
    assert law.dossier_desk(dossier) == "Trung tâm Phục vụ hành chính công Phường 1"


def test_the_law_is_edited_in_the_admin(client, cast, make_user):
    admin_user = make_user(is_superuser=True, is_staff=True, unit=cast.city)
    client.force_login(admin_user)
    regime = LegalRegime.objects.get(code="nd-118-2025")
    for name, args in (
        ("onestop_legalregime_changelist", []),
        ("onestop_legalregime_change", [regime.pk]),
        ("onestop_formset_changelist", []),
        ("onestop_deskname_add", []),
    ):
        assert client.get(reverse(f"admin:{name}", args=args)).status_code == 200, name
    page = client.get(reverse("admin:onestop_formset_changelist")).content.decode()
    assert "Thông tư số 03/2025/TT-VPCP" in page and "15/09/2025" in page
