"""The one-stop desk's PDF letters (Circular 01/2018/TT-VPCP forms 01-05, results, blank forms).

Each test brings a dossier to the state the letter belongs to through the
real services, generates the PDF, reads it back with pypdf and checks what
the citizen or the official reads on paper.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from onestop import letters, services
from onestop.models import DossierFile, DossierStatus, RequiredDocument, ScanExemption
from onestop.workflow import WorkflowError
from portal import pdf as pdfkit
from portal.models import SiteProfile
from portal.workdays import TZ
from tests.onestop.factories import make_dossier

LOOKUP_URL = "https://dichvucong.mytho.gov.vn/tra-cuu/?ma="


@pytest.fixture(autouse=True)
def site(db):
    SiteProfile.objects.update_or_create(pk=1, defaults={"city_name": "Mỹ Tho", "portal_name": "Cổng"})


@pytest.fixture
def monday(time_machine):
    """Monday 23/11/2026 09:00 in Mỹ Tho, an ordinary working day."""
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=TZ), tick=False)
    return time_machine


def at(clock, day: int, month: int, hour: int, minute: int = 0):
    clock.move_to(datetime(2026, month, day, hour, minute, tzinfo=TZ), tick=False)


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    """The PDF's text with whitespace (line wraps included) collapsed to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in read(data).pages).split())


def has_image(data: bytes) -> bool:
    for page in read(data).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
    return False


def assert_inside_page(data: bytes) -> None:
    """Every run of text starts and ends within the page: nothing overflows the margins."""
    pdfkit.register_fonts()
    for number, page in enumerate(read(data).pages, start=1):
        width = float(page.mediabox.width)
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip() and font is not None:
                runs.append((text, cm, tm, font, size))

        page.extract_text(visitor_text=visit)
        assert runs, f"page {number} has no text"
        for text, cm, tm, font, size in runs:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            scale = (tm[0] * cm[0]) or 1
            name = str(font.get("/BaseFont", "")).split("+")[-1]
            if name not in pdfmetrics.getRegisteredFontNames():
                continue
            end = x + pdfmetrics.stringWidth(text.rstrip("\n"), name, size * scale)
            assert x >= 10, f"page {number}: {text!r} starts off the page at {x:.0f}"
            assert end <= width - 10, f"page {number}: {text!r} runs off the page ({end:.0f} > {width:.0f})"


# --- form 01 ------------------------------------------------------------------------


def test_receipt_form_01_lists_everything_the_applicant_was_given(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    assert dossier.due_date == date(2026, 11, 27)  # 1 + 3 working days from Monday

    data = letters.receipt_pdf(dossier, LOOKUP_URL + dossier.code)
    text = text_of(data)

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND PHƯỜNG 1",
        # Received in 2026: Decree 118/2025's desk, named in full (the regime's pattern).
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG 1",
        "(Mẫu số 01 - Thông tư số 03/2025/TT-VPCP)",
        "Mỹ Tho, ngày 23 tháng 11 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Tiếp nhận hồ sơ của: Nguyễn Văn An",
        "Địa chỉ: 12 Lê Lợi, Phường 1, Mỹ Tho",
        "Số điện thoại: 0912345678",
        "Email: an@example.com",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ (Xin cấp giấy)",
        "Tờ khai Bản chính 01 Bản điện tử: giay-to.pdf",
        "theo quy định: 04 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, thứ Hai, ngày 23/11/2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, thứ Sáu, ngày 27/11/2026",
        "6. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công Phường 1",
        "Quyển số: 261123, Số thứ tự: 0001",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        str(cast.officer),
        "Tra cứu hồ sơ",
    ):
        assert expected in text, expected
    assert "Giấy tờ khác" not in text  # optional and not provided: not listed as received
    assert has_image(data)  # the QR code of the lookup address
    assert_inside_page(data)


def test_online_receipt_before_the_check_is_provisional(cast, monday):
    at(monday, 23, 11, 16, 20)  # after 15:00: processing starts the next working day
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)

    text = text_of(letters.receipt_pdf(dossier, LOOKUP_URL + dossier.code))

    assert "4. Thời gian nhận hồ sơ: 16 giờ 20 phút, thứ Hai, ngày 23/11/2026" in text
    assert "ngày 30/11/2026" in text  # 4 working days from Tuesday 24/11
    assert "ngày hẹn trả là tạm tính" in text


def test_desk_receipt_lists_paper_documents(cast, monday):
    data = {
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "082185000456",
        "applicant_address": "5 Hùng Vương, Phường 1",
        "applicant_phone": "0987654321",
    }
    shown_only = ScanExemption.objects.get(code="shown-only")
    dossier = services.register_walk_in(cast.service, cast.officer, data, scan_exemption=shown_only)

    text = text_of(letters.receipt_pdf(dossier, LOOKUP_URL))

    assert "Trần Thị Bình" in text
    assert "Tờ khai Bản chính 01 Bản giấy" in text
    assert "(nộp trực tiếp)" in text


def test_no_receipt_for_a_draft(cast, monday):
    dossier = make_dossier(cast, DossierStatus.DRAFT)
    with pytest.raises(WorkflowError):
        letters.receipt_pdf(dossier, LOOKUP_URL)


# --- form 02 ------------------------------------------------------------------------


def test_supplement_form_02_lists_every_item_with_its_reason(cast, monday):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    items = [
        {"name": "Bản vẽ thiết kế mặt bằng", "reason": "Thiếu chữ ký của chủ đầu tư"},
        {"name": "Giấy chứng nhận quyền sử dụng đất", "reason": "Bản sao chưa được chứng thực"},
        {"name": "Tờ khai", "reason": "Ghi sai số định danh cá nhân"},
    ]
    request = services.request_supplement(dossier, cast.officer, items, note="Nộp lại trong 10 ngày")

    data = letters.supplement_pdf(request)
    text = text_of(data)

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Hồ sơ của: Nguyễn Văn An" in text
    assert "gồm 3 nội dung sau" in text
    for n, item in enumerate(items, start=1):
        assert f"{n} {item['name']} {item['reason']}" in text
    assert "Ghi chú: Nộp lại trong 10 ngày" in text
    assert f"Người hướng dẫn: {cast.officer}" in text
    assert "Mỹ Tho, ngày 23 tháng 11 năm 2026" in text
    assert_inside_page(data)


def test_forty_supplement_items_flow_onto_more_pages(cast, monday):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    items = [
        {
            "name": f"Giấy tờ số {n:02d} về hiện trạng công trình và các hồ sơ kèm theo",
            "reason": f"Lý do số {n:02d}: bản nộp bị mờ, thiếu trang, không đọc được nội dung "
            "và chưa có xác nhận của cơ quan có thẩm quyền theo quy định",
        }
        for n in range(1, 41)
    ]
    request = services.request_supplement(dossier, cast.officer, items)

    data = letters.supplement_pdf(request)
    text = text_of(data)

    assert len(read(data).pages) > 1
    assert "Trang 2/" in text
    for n in range(1, 41):
        assert f"Giấy tờ số {n:02d} về hiện trạng" in text
        assert f"Lý do số {n:02d}: bản nộp bị mờ" in text
    assert "gồm 40 nội dung sau" in text
    assert_inside_page(data)


def test_processing_unit_supplement_says_the_clock_restarts(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    request = services.request_supplement(
        dossier, cast.ward_specialist, [{"name": "Sơ đồ vị trí", "reason": "Không rõ ranh giới"}]
    )

    text = text_of(letters.supplement_pdf(request))

    assert "UBND PHƯỜNG 1" in text
    assert "1 Sơ đồ vị trí Không rõ ranh giới" in text
    assert "tính lại từ đầu" in text


# --- form 03 ------------------------------------------------------------------------


def test_rejection_form_03_gives_the_reasons(cast, monday):
    dossier = make_dossier(cast, DossierStatus.REJECTED)

    data = letters.rejection_pdf(dossier)
    text = text_of(data)

    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Tiếp nhận hồ sơ của: Nguyễn Văn An" in text
    assert "với lý do cụ thể như sau: - Không thuộc thẩm quyền" in text
    assert "NGƯỜI TIẾP NHẬN" in text
    assert str(cast.officer) in text
    assert_inside_page(data)


def test_refusal_during_processing_is_a_notice_from_the_unit(cast, monday):
    dossier = make_dossier(cast, DossierStatus.REFUSED)

    data = letters.refusal_pdf(dossier)
    text = text_of(data)

    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" not in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Ông/Bà Nguyễn Văn An" in text
    assert "- Không đủ điều kiện" in text
    assert f"Cán bộ xử lý hồ sơ: {cast.ward_specialist}" in text
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text
    assert_inside_page(data)


# --- form 04 ------------------------------------------------------------------------


def test_apology_form_04_gives_the_reason_and_the_new_date(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    at(monday, 25, 11, 10)
    dossier = services.reschedule_dossier(
        dossier, cast.ward_specialist, date(2026, 12, 4), "Chờ ý kiến thẩm định của Sở Xây dựng"
    )

    data = letters.apology_pdf(dossier)
    text = text_of(data)

    # Circular 03/2025's form 04: apology and request for an extension.
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "(Mẫu số 04 - Thông tư số 03/2025/TT-VPCP)" in text
    assert "Mỹ Tho, ngày 25 tháng 11 năm 2026" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Ông/Bà Nguyễn Văn An" in text
    assert "Thời hạn giải quyết hồ sơ theo quy định: 17 giờ 00 phút, thứ Sáu, ngày 27/11/2026" in text
    assert "Lý do: - Chờ ý kiến thẩm định của Sở Xây dựng" in text
    # The 2025 wording (templates/onestop/letters/tt-03-2025/apology.txt): a request to extend.
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến 17 giờ 00 phút, thứ Sáu, ngày 04/12/2026" in text
    assert_inside_page(data)


def test_no_apology_without_a_new_date(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    with pytest.raises(WorkflowError):
        letters.apology_pdf(dossier)


# --- form 05 ------------------------------------------------------------------------

TIMELINESS = re.compile(r"Trước hạn|Đúng hạn|Quá hạn")


def test_control_sheet_form_05_records_every_hand_off(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)  # desk hands over Mon 23/11 09:00
    at(monday, 23, 11, 10)
    services.hand_over(dossier, cast.ward_specialist, "Đủ điều kiện")  # ward step due 24/11: early
    at(monday, 30, 11, 9)
    services.submit_for_approval(dossier, cast.specialist)
    services.approve_dossier(dossier, cast.leader, "Đồng ý cấp phép")  # department due 27/11: late
    at(monday, 30, 11, 14)
    dossier = services.return_result(dossier, cast.officer)  # promised 27/11: late

    data = letters.control_sheet_pdf(dossier)
    text = text_of(data)

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "(Mẫu số 06 - Thông tư số 03/2025/TT-VPCP)" in text  # form 05 of 2018
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Kèm theo hồ sơ của: Nguyễn Văn An" in text
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Quản lý đô thị" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: UBND Phường 1" in text
    table = text.split("Ký giao, nhận", 1)[1]
    desk = "Trung tâm Phục vụ hành chính công Phường 1"
    rows = [
        (desk, "UBND Phường 1", "09 giờ 00, ngày 23/11/2026", "23/11/2026", "Đúng hạn"),
        ("UBND Phường 1", "Phòng Quản lý đô thị", "10 giờ 00, ngày 23/11/2026", "24/11/2026", "Trước hạn"),
        ("Phòng Quản lý đô thị", desk, "09 giờ 00, ngày 30/11/2026", "27/11/2026", "Quá hạn"),
        (desk, "Người nộp hồ sơ: Nguyễn Văn An", "14 giờ 00, ngày 30/11/2026", "27/11/2026", "Quá hạn"),
    ]
    for n, (giver, receiver, *rest) in enumerate(rows, start=1):
        assert f"{n} Giao: {giver} Nhận: {receiver} {' '.join(rest)}" in table, giver
    assert TIMELINESS.findall(table) == [row[-1] for row in rows]
    assert "(Dự kiến)" not in table  # nothing left to do
    assert_inside_page(data)


def test_control_sheet_of_a_dossier_in_progress_shows_the_hand_offs_ahead(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)

    text = text_of(letters.control_sheet_pdf(dossier))
    table = text.split("Ký giao, nhận", 1)[1]

    assert (
        "2 Giao: UBND Phường 1 Nhận: Phòng Quản lý đô thị ..... giờ ....., ngày ..../..../........ 24/11/2026"
        in table
    )
    assert "Giao: Phòng Quản lý đô thị Nhận: Trung tâm Phục vụ hành chính công Phường 1" in table
    assert table.count("(Dự kiến)") == 3
    assert TIMELINESS.findall(table) == ["Đúng hạn"]


def test_control_sheet_records_supplements_and_new_dates(cast, monday):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    at(monday, 24, 11, 9)
    services.request_supplement(dossier, cast.ward_specialist, [{"name": "Sơ đồ", "reason": "Thiếu"}])
    at(monday, 25, 11, 9)
    services.provide_supplement(dossier, cast.officer)  # the clock restarts: due 01/12
    dossier.refresh_from_db()
    dossier = services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 12, 8), "Chờ đo đạc")

    text = text_of(letters.control_sheet_pdf(dossier))

    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in text
    assert "thời gian giải quyết tính lại từ đầu; hẹn trả mới 01/12/2026" in text
    assert "hẹn lại ngày trả kết quả 08/12/2026. Lý do: Chờ đo đạc" in text


def test_no_control_sheet_before_the_desk_accepts(cast, monday):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    with pytest.raises(WorkflowError):
        letters.control_sheet_pdf(dossier)


# --- result and blank form ----------------------------------------------------------


def test_result_pdf_is_rendered_after_the_commit_not_under_the_row_lock(
    cast, django_capture_on_commit_callbacks
):
    dossier = make_dossier(cast, DossierStatus.AWAITING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve_dossier(dossier, cast.leader, "Đồng ý cấp phép")
        assert not dossier.files.filter(kind=DossierFile.Kind.RESULT).exists()
    assert not dossier.files.filter(kind=DossierFile.Kind.RESULT).exists()  # committed without it
    for callback in callbacks:
        callback()
    assert dossier.files.filter(kind=DossierFile.Kind.RESULT).count() == 1
    services.result_file(dossier)  # asked again (the desk, the citizen): the same file, not a second
    assert dossier.files.filter(kind=DossierFile.Kind.RESULT).count() == 1


def test_approval_stores_the_result_document(cast, monday, django_capture_on_commit_callbacks):
    cast.leader.full_name = "Đặng Văn Phúc"
    cast.leader.save()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(cast, DossierStatus.RESULT_READY)

    stored = dossier.files.get(kind=DossierFile.Kind.RESULT)
    with stored.file.open("rb") as handle:
        data = handle.read()
    text = text_of(data)

    assert "UBND THÀNH PHỐ" in text
    assert "PHÒNG QUẢN LÝ ĐÔ THỊ" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Người đề nghị: Nguyễn Văn An" in text
    assert "Nội dung giải quyết: Đồng ý cấp phép" in text
    assert "TRƯỞNG PHÒNG Đặng Văn Phúc" in text
    assert "KT." not in text
    assert has_image(data)  # QR code of the dossier code
    assert_inside_page(data)


def test_a_deputy_signs_on_behalf_of_the_head(cast, monday):
    cast.ward_leader.position = "Phó Chủ tịch UBND Phường 1"
    cast.ward_leader.save()
    service = cast.paid_service  # one step, decided by the ward
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=service)
    payment = services.start_payment(dossier)
    services.confirm_payment(payment, paid=True)
    dossier = services.accept_dossier(dossier, cast.officer)
    services.submit_for_approval(dossier, cast.ward_specialist)
    dossier = services.approve_dossier(dossier, cast.ward_leader, "Cấp 02 bản sao trích lục")

    text = text_of(letters.result_pdf(dossier))

    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text
    assert str(cast.ward_leader) in text
    assert "hoặc nhận kết quả trực tuyến" in text  # level 4


def test_blank_application_form(cast):
    data = letters.application_form_pdf(cast.service)
    text = text_of(data)

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỜ KHAI",
        "Về việc: Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Kính gửi: UBND Phường 1",
        "Họ và tên:",
        "Ngày, tháng, năm sinh:",
        "Số định danh cá nhân (CCCD):",
        "Nơi cư trú (địa chỉ):",
        "Số điện thoại:",
        "Nội dung đề nghị:",
        "1 Tờ khai Bản chính 01 Bắt buộc",
        "2 Giấy tờ khác Bản chính 01 Nếu có",
        "Thời gian giải quyết: 04 ngày làm việc",
        "NGƯỜI LÀM ĐƠN",
    ):
        assert expected in text, expected
    assert_inside_page(data)


def test_blank_form_named_after_its_document(cast):
    document = cast.service.documents.get(order=1)
    document.name = "Đơn đề nghị cấp giấy phép xây dựng"
    document.save()

    text = text_of(letters.application_form_pdf(cast.service, document))

    assert "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG" in text
    other = RequiredDocument.objects.filter(service=cast.paid_service).first()
    with pytest.raises(ValueError):
        letters.application_form_pdf(cast.service, other)


# --- robustness ---------------------------------------------------------------------


def test_long_and_marked_up_text_wraps_inside_the_page(cast, monday):
    address = "Tổ 7, ấp Mỹ Hòa, " * 16 + "xã Đạo Thạnh"
    dossier = make_dossier(
        cast,
        DossierStatus.SUBMITTED,
        applicant_address=address[:300],
        applicant_name="Nguyễn <b>Văn</b> & Con",
    )
    services.reject_dossier(dossier, cast.officer, "Tên tệp " + "x" * 250 + "\nDòng thứ hai")
    dossier.refresh_from_db()

    data = letters.rejection_pdf(dossier)
    text = text_of(data)

    assert "Nguyễn <b>Văn</b> & Con" in text
    assert address[:300].strip() in text
    assert "Dòng thứ hai" in text
    assert_inside_page(data)


def test_letters_available_follow_the_dossier(cast, monday):
    dossier = make_dossier(cast, DossierStatus.REJECTED)
    slugs = lambda d, who: [c.slug for c in letters.available(d, who)]  # noqa: E731
    assert slugs(dossier, letters.STAFF) == slugs(dossier, letters.CITIZEN) == ["receipt", "rejection"]
    dossier = make_dossier(cast, DossierStatus.RESULT_READY)
    assert slugs(dossier, letters.STAFF) == ["receipt", "control-sheet", "result"]
    assert slugs(dossier, letters.CITIZEN) == ["receipt"]
