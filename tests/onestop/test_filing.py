"""Citizens file a dossier online: validation before any write, drafts, the confirmation page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from onestop.models import Dossier, DossierFile, DossierStatus, PaymentStatus
from portal.uploads import CITIZEN_DOCUMENTS
from tests.onestop.factories import CCCD, MOBILE, PDF_BYTES, ServiceFactory, pdf_upload

MAX_UPLOAD_BYTES = CITIZEN_DOCUMENTS.max_bytes
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def file_url(service):
    return f"/dich-vu/{service.code}/nop-ho-so/"


def mandatory(service):
    return service.documents.get(mandatory=True)


def form_data(service, unit, action="submit", **overrides):
    data = {
        "receiving_unit": unit.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": CCCD,
        "applicant_birth_date": "1985-03-15",
        "applicant_address": "12 Lê Lợi, Phường 1, Mỹ Tho",
        "applicant_phone": MOBILE,
        "applicant_email": "an@example.com",
        "request_summary": "Xin cấp giấy phép xây dựng",
        "consent": "on",
        "action": action,
        f"doc_{mandatory(service).pk}": pdf_upload("to-khai.pdf"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_nothing_saved():
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0


def errors_of(response) -> str:
    return response.content.decode()


def test_form_shows_the_service_and_labelled_fields(client, cast):
    response = client.get(file_url(cast.service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nộp hồ sơ trực tuyến" in html
    assert cast.service.name in html
    for label in ("Họ và tên", "Số CCCD", "Ngày sinh", "Số điện thoại di động", "Tờ khai", "Lưu nháp"):
        assert label in html
    # Every input has a label pointing at it.
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        if input_id != "language-select":
            assert f'for="{input_id}"' in html, input_id


def test_unknown_service_is_a_friendly_404(client, cast):
    response = client.get("/dich-vu/KHONG-CO/nop-ho-so/")
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in response.content.decode()


def test_level_2_service_is_filed_in_person(client, cast):
    service = ServiceFactory(level=2, receiving_units=[cast.ward])
    response = client.get(file_url(service))
    assert response.status_code == 200
    assert "không nộp trực tuyến được" in response.content.decode()
    response = client.post(file_url(service), form_data(cast.service, cast.ward))
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("number", "birth", "message"),
    [
        ("08208500012", "1985-03-15", "Số CCCD phải có đúng 12 chữ số."),
        ("999085000123", "1985-03-15", "Số CCCD không bắt đầu bằng mã tỉnh hợp lệ."),
        ("082085000123", "1990-01-01", "Số CCCD không khớp với ngày sinh (năm 1985)."),
    ],
)
def test_cccd_errors_are_shown_in_vietnamese(client, cast, number, birth, message):
    data = form_data(cast.service, cast.ward, applicant_id_number=number, applicant_birth_date=birth)
    response = client.post(file_url(cast.service), data)
    assert response.status_code == 400
    assert message in errors_of(response)
    assert_nothing_saved()


@pytest.mark.parametrize("phone", ["12345", "0212345678", "09123456789"])
def test_mobile_errors(client, cast, phone):
    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward, applicant_phone=phone))
    assert response.status_code == 400
    assert "Nhập số di động Việt Nam: 10 chữ số" in errors_of(response)
    assert_nothing_saved()


@pytest.mark.parametrize(
    "content", [PNG_BYTES, b"Day la mot tep van ban, khong phai PDF.\n" * 10], ids=["png", "text"]
)
def test_pdf_name_with_other_content_is_refused(client, cast, content):
    doc = mandatory(cast.service)
    upload = SimpleUploadedFile("to-khai.pdf", content, content_type="application/pdf")
    response = client.post(
        file_url(cast.service), form_data(cast.service, cast.ward, **{f"doc_{doc.pk}": upload})
    )
    assert response.status_code == 400
    assert "“to-khai.pdf” không thực sự là tệp PDF" in errors_of(response)
    assert_nothing_saved()


def test_refused_file_on_the_optional_document_saves_nothing_either(client, cast):
    optional = cast.service.documents.get(mandatory=False)
    upload = SimpleUploadedFile("anh.png", b"GIF89a" + b"\x00" * 50, content_type="image/png")
    response = client.post(
        file_url(cast.service), form_data(cast.service, cast.ward, **{f"doc_{optional.pk}": upload})
    )
    assert response.status_code == 400
    assert "“anh.png” không thực sự là tệp PNG" in errors_of(response)
    assert_nothing_saved()


def test_oversized_file_is_refused(client, cast):
    doc = mandatory(cast.service)
    big = SimpleUploadedFile(
        "to-khai.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES, content_type="application/pdf"
    )
    response = client.post(
        file_url(cast.service), form_data(cast.service, cast.ward, **{f"doc_{doc.pk}": big})
    )
    assert response.status_code == 400
    assert "“to-khai.pdf” lớn hơn 10 MB" in errors_of(response)
    assert_nothing_saved()


def test_missing_mandatory_document_is_refused(client, cast):
    doc = mandatory(cast.service)
    response = client.post(
        file_url(cast.service), form_data(cast.service, cast.ward, **{f"doc_{doc.pk}": None})
    )
    assert response.status_code == 400
    assert "Vui lòng đính kèm “Tờ khai”: đây là giấy tờ bắt buộc." in errors_of(response)
    assert_nothing_saved()


def test_missing_consent_is_refused(client, cast):
    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward, consent=None))
    assert response.status_code == 400
    assert "Vui lòng đồng ý cho xử lý dữ liệu cá nhân." in errors_of(response)
    assert_nothing_saved()


def test_unit_not_receiving_the_service_is_refused(client, cast):
    response = client.post(file_url(cast.service), form_data(cast.service, cast.other_ward))
    assert response.status_code == 400
    assert_nothing_saved()


def test_submit_files_the_dossier_and_shows_the_confirmation(client, cast):
    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.code}/da-nop/"
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.applicant_phone == MOBILE and dossier.consent_at is not None
    assert dossier.applicant_birth_date.isoformat() == "1985-03-15"
    record = dossier.files.get()
    assert record.required_document == mandatory(cast.service)
    assert record.original_name == "to-khai.pdf" and record.content_type == "application/pdf"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert dossier.code in html
    assert "Hồ sơ đã được nộp và đang chờ Bộ phận một cửa của Phường 1 kiểm tra." in html
    assert dossier.due_date.strftime("%d/%m/%Y") in html
    receipt_url = re.search(r'href="([^"]+/thu/receipt\.pdf)"', html).group(1)
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    assert dossier.code in text
    assert "Thanh toán trực tuyến" not in html  # level 3: no online fee


def test_confirmation_page_needs_the_session_proof(client, cast):
    client.post(file_url(cast.service), form_data(cast.service, cast.ward))
    dossier = Dossier.objects.get()
    stranger = client.__class__()
    response = stranger.get(f"/ho-so/{dossier.code}/da-nop/")
    assert response.status_code == 302 and response["Location"] == "/tra-cuu/"
    response = stranger.get(f"/tra-cuu/{dossier.code}/thu/receipt.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/tra-cuu/?ma=")


def test_level_4_confirmation_offers_online_payment(client, cast):
    service = cast.paid_service
    response = client.post(file_url(service), form_data(service, cast.ward))
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.payment_status == PaymentStatus.PENDING
    html = client.get(response["Location"]).content.decode()
    assert "50.000 đồng" in html and "50000" not in html  # fees written one way everywhere
    detail = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "50.000 đồng" in detail and "50000" not in detail
    pay = re.search(r'<a class="btn btn-primary" href="([^"]+)">Thanh toán trực tuyến</a>', html)
    assert pay, html
    assert pay.group(1).startswith(f"/thanh-toan/{dossier.code}/?t=")
    assert client.get(pay.group(1).replace("&amp;", "&")).status_code == 200


def test_draft_saved_resumed_and_submitted(client, cast, settings):
    doc = mandatory(cast.service)
    # 1. Save a draft without documents nor consent.
    data = form_data(cast.service, cast.ward, action="draft", consent=None, **{f"doc_{doc.pk}": None})
    response = client.post(file_url(cast.service), data)
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.DRAFT and dossier.code is None
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/nhap/{dossier.draft_token}/"

    # 2. Resume it from another browser with the token alone: data shown, the link to keep.
    other = client.__class__()
    page = other.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Nguyễn Văn An"' in html and 'value="1985-03-15"' in html
    assert f"{settings.PORTAL_BASE_URL}/ho-so/nhap/{dossier.draft_token}/" in html

    # 3. Attach the form, then replace it with another file.
    draft_url = response["Location"]
    edit = {k: v for k, v in data.items() if k != "receiving_unit"}
    response = other.post(draft_url, {**edit, f"doc_{doc.pk}": pdf_upload("ban-dau.pdf")})
    assert response.status_code == 302
    assert "ban-dau.pdf" in other.get(draft_url).content.decode()
    response = other.post(
        draft_url, {**edit, "applicant_address": "34 Ấp Bắc", f"doc_{doc.pk}": pdf_upload("thay-the.pdf")}
    )
    assert response.status_code == 302
    assert list(dossier.files.values_list("original_name", flat=True)) == ["thay-the.pdf"]
    dossier.refresh_from_db()
    assert dossier.applicant_address == "34 Ấp Bắc" and dossier.status == DossierStatus.DRAFT

    # 4. Submit without a new file: the draft's file counts; consent is now required.
    response = other.post(draft_url, {**edit, "action": "submit"})
    assert response.status_code == 400
    assert "Vui lòng đồng ý cho xử lý dữ liệu cá nhân." in response.content.decode()
    response = other.post(draft_url, {**edit, "action": "submit", "consent": "on"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.code
    assert response["Location"] == f"/ho-so/{dossier.code}/da-nop/"
    assert dossier.code in other.get(response["Location"]).content.decode()

    # 5. The token no longer edits anything.
    page = other.get(draft_url)
    assert "Hồ sơ đã được nộp" in page.content.decode()
    assert other.post(draft_url, {**edit, "applicant_name": "Kẻ Khác"}).status_code == 200
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Văn An"


def test_draft_resume_keeps_errors_next_to_fields_and_changes_nothing(client, cast):
    data = form_data(cast.service, cast.ward, action="draft")
    client.post(file_url(cast.service), data)
    dossier = Dossier.objects.get()
    response = client.post(
        f"/ho-so/nhap/{dossier.draft_token}/",
        {"applicant_name": "Tên Mới", "applicant_id_number": "123", "action": "draft"},
    )
    assert response.status_code == 400
    assert "Số CCCD phải có đúng 12 chữ số." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.files.count() == 1


# A NUL byte is a 400 (see tests/portal/test_bad_input.py).
@pytest.mark.parametrize("token", ["x", "a" * 32, "a" * 200, "..%3Cscript%3E"])
def test_unknown_draft_token_is_a_friendly_404(client, cast, token):
    response = client.get(f"/ho-so/nhap/{token}/")
    assert response.status_code == 404
    assert "Không tìm thấy bản nháp" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"applicant_birth_date": "not-a-date", "receiving_unit": "abc"},
        {"receiving_unit": "999999999", "applicant_name": "x" * 5000},
        {"applicant_id_number": "\x00" * 12, "applicant_phone": "<script>"},
    ],
)
def test_garbage_input_never_errors(client, cast, data):
    response = client.post(file_url(cast.service), {"action": "submit", **data})
    assert response.status_code == 400
    assert_nothing_saved()


# --- draft links: they expire, and never show the whole CCCD ----------------------------------


def _save_draft(client, cast):
    client.post(file_url(cast.service), form_data(cast.service, cast.ward, action="draft"))
    dossier = Dossier.objects.get()
    return dossier, f"/ho-so/nhap/{dossier.draft_token}/"


def test_draft_link_expires_30_days_after_its_last_use(client, cast):
    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        dossier, url = _save_draft(client, cast)
    with time_machine.travel(start + timedelta(days=29), tick=False):
        assert client.get(url).status_code == 200  # used: renewed
    with time_machine.travel(start + timedelta(days=58), tick=False):
        assert client.get(url).status_code == 200  # 29 days after the last use
    with time_machine.travel(start + timedelta(days=89), tick=False):
        page = client.get(url)
        assert page.status_code == 410
        assert "Liên kết bản nháp đã hết hạn" in page.content.decode()
        assert "Nguyễn Văn An" not in page.content.decode()
        edit = form_data(cast.service, cast.ward, action="draft", applicant_name="Kẻ Khác")
        assert client.post(url, edit).status_code == 410
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Văn An"


def test_draft_never_shows_the_full_cccd_and_keeps_it_unless_changed(client, cast):
    dossier, url = _save_draft(client, cast)
    html = client.get(url).content.decode()
    assert CCCD not in html
    assert "********0123" in html

    def edit(**changes):
        data = form_data(cast.service, cast.ward, action="draft", **changes)
        return {k: v for k, v in data.items() if k != "receiving_unit"}

    response = client.post(url, edit(applicant_id_number="", applicant_address="34 Ấp Bắc"))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_id_number == CCCD and dossier.applicant_address == "34 Ấp Bắc"
    assert CCCD not in client.get(url).content.decode()
    assert client.post(url, edit(applicant_id_number="082085000456")).status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_id_number == "082085000456"


# --- a form with an error keeps the files already attached (issue 7, item 11) -------------


def _form_key(response) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', response.content.decode()).group(1)


def test_a_form_with_an_error_keeps_every_file_attached(client, cast, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    optional = cast.service.documents.get(mandatory=False)
    first = client.get(file_url(cast.service))
    data = form_data(
        cast.service,
        cast.ward,
        applicant_phone="12345",  # one wrong field
        form_key=_form_key(first),
        **{f"doc_{optional.pk}": pdf_upload("ban-ve.pdf")},
    )
    response = client.post(file_url(cast.service), data)
    assert response.status_code == 400
    assert_nothing_saved()
    html = response.content.decode()
    assert html.count('class="small mb-2 text-success kept-file"') == 2
    assert "to-khai.pdf" in html and "ban-ve.pdf" in html
    held = client.session["held_uploads"][_form_key(response)]
    assert {item["original_name"] for item in held.values()} == {"to-khai.pdf", "ban-ve.pdf"}
    assert all(default_storage.exists(item["name"]) for item in held.values())

    # The phone corrected, nothing attached again: both files are filed with the dossier.
    again = form_data(cast.service, cast.ward, form_key=_form_key(response))
    del again[f"doc_{mandatory(cast.service).pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(file_url(cast.service), again)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED
    files = {f.required_document_id: f for f in dossier.files.all()}
    assert files[mandatory(cast.service).pk].original_name == "to-khai.pdf"
    assert files[optional.pk].original_name == "ban-ve.pdf"
    assert files[optional.pk].file.read() == PDF_BYTES
    assert "held_uploads" not in client.session or not client.session["held_uploads"]
    assert not any(default_storage.exists(item["name"]) for item in held.values())  # released


def test_a_new_file_replaces_the_kept_one(client, cast):
    doc = mandatory(cast.service)
    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward, applicant_phone="1"))
    key = _form_key(response)
    data = form_data(cast.service, cast.ward, form_key=key, **{f"doc_{doc.pk}": pdf_upload("moi.pdf")})
    assert client.post(file_url(cast.service), data).status_code == 302
    assert Dossier.objects.get().files.get().original_name == "moi.pdf"


def test_kept_files_belong_to_the_browser_that_attached_them(client, cast, django_user_model):
    from django.test import Client

    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward, applicant_phone="1"))
    data = form_data(cast.service, cast.ward, form_key=_form_key(response))
    del data[f"doc_{mandatory(cast.service).pk}"]
    stranger = Client().post(file_url(cast.service), data)
    assert stranger.status_code == 400
    assert "Tờ khai" in stranger.content.decode() and "kept-file" not in stranger.content.decode()
    assert_nothing_saved()


def test_a_refused_file_is_not_kept_but_the_good_one_is(client, cast):
    optional = cast.service.documents.get(mandatory=False)
    data = form_data(
        cast.service,
        cast.ward,
        **{f"doc_{optional.pk}": SimpleUploadedFile("x.pdf", b"<html>", "application/pdf")},
    )
    response = client.post(file_url(cast.service), data)
    assert response.status_code == 400
    held = client.session["held_uploads"][_form_key(response)]
    assert [item["original_name"] for item in held.values()] == ["to-khai.pdf"]


def test_housekeeping_drops_files_held_for_abandoned_forms(client, cast):
    import os
    import time

    from django.core.files.storage import default_storage

    from portal import tasks

    response = client.post(file_url(cast.service), form_data(cast.service, cast.ward, applicant_phone="1"))
    (item,) = client.session["held_uploads"][_form_key(response)].values()
    assert tasks.housekeeping()["stale_held_files"] == 0  # fresh: kept
    old = time.time() - 25 * 3600
    os.utime(default_storage.path(item["name"]), (old, old))
    assert tasks.housekeeping()["stale_held_files"] == 1
    assert not default_storage.exists(item["name"])
