"""A citizen in Chromium: files a dossier, looks it up, answers a supplement request, rates the service."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from onestop.models import Dossier, DossierFile, DossierStatus, Rating
from portal import ratelimit
from tests.onestop.factories import CCCD, MOBILE, PDF_BYTES, make_dossier

CODE = re.compile(r"^\S+-\d{6}-\d{4}$")


@pytest.fixture(autouse=True)
def _clean_limits():
    ratelimit.clear()
    yield
    ratelimit.clear()


@pytest.fixture
def small_pdf(tmp_path):
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def look_up(page, base_url, code, secret):
    page.goto(f"{base_url}/tra-cuu/?ma={code}")
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(code)
    page.get_by_label("Số điện thoại hoặc số CCCD").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")


def test_citizen_files_a_dossier_downloads_the_receipt_and_looks_it_up(
    page, live_server, cast, small_pdf, axe_violations
):
    page.goto(f"{live_server.url}/dich-vu/{cast.service.code}/nop-ho-so/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp hồ sơ trực tuyến")
    assert axe_violations(page) == []

    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số CCCD").fill(CCCD)
    page.get_by_label("Ngày sinh").fill("1985-06-01")
    page.get_by_label("Địa chỉ").fill("5 Nguyễn Huệ, Phường 1, Mỹ Tho")
    page.get_by_label("Số điện thoại di động").fill(MOBILE)
    page.get_by_label("Tờ khai").set_input_files(small_pdf)
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của bạn đã được nộp")
    code = page.locator("#dossier-code").inner_text().strip()
    assert CODE.match(code), code
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.files.get().sha256
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải giấy tiếp nhận hồ sơ").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    text = "".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert code in text

    look_up(page, live_server.url, code, MOBILE)
    expect(page.locator("#public-status")).to_have_text(
        "Hồ sơ đã được nộp và đang chờ Bộ phận một cửa của Phường 1 kiểm tra."
    )
    expect(page.get_by_role("cell", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    assert axe_violations(page) == []


def test_wrong_details_give_one_plain_answer(page, live_server, cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Số điện thoại hoặc số CCCD").fill("0987654321")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_have_text("Không tìm thấy hồ sơ khớp với thông tin đã nhập.")


def test_citizen_answers_a_supplement_request(page, live_server, cast, small_pdf, axe_violations):
    dossier = make_dossier(cast, DossierStatus.SUPPLEMENT_REQUESTED)
    look_up(page, live_server.url, dossier.code, CCCD)
    expect(page.locator("#supplement-items")).to_contain_text("Bản vẽ: Thiếu chữ ký")
    assert axe_violations(page) == []

    page.get_by_label("Bản vẽ").set_input_files(small_pdf)
    page.get_by_label("Lời nhắn cho bộ phận một cửa").fill("Bản vẽ đã có chữ ký")
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()

    expect(page.get_by_role("alert")).to_contain_text("giấy tờ bổ sung đã được gửi")
    expect(page.locator("#public-status")).to_have_text(
        "Hồ sơ đã được nộp và đang chờ Bộ phận một cửa của Phường 1 kiểm tra."
    )
    expect(page.locator("#supplement-items")).to_have_count(0)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.files.filter(kind=DossierFile.Kind.SUPPLEMENT).count() == 1


def test_citizen_rates_a_returned_dossier(page, live_server, cast, axe_violations):
    dossier = make_dossier(cast, DossierStatus.RETURNED)
    look_up(page, live_server.url, dossier.code, MOBILE)
    expect(page.locator("#public-status")).to_contain_text("Kết quả đã được trả cho bạn.")
    assert axe_violations(page) == []

    page.get_by_role("radio", name="Bình thường").check()
    page.get_by_role("radio", name="Có, đầy đủ và chính xác").check()
    page.get_by_role("radio", name="Không có, hoặc được trả lời đúng hạn").check()
    page.get_by_role("button", name="Gửi đánh giá").click()

    expect(page.get_by_role("alert")).to_have_text("Cảm ơn bạn đã đánh giá dịch vụ.")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.attitude, rating.publication, rating.feedback) == (1, 2, 2)


def test_a_filing_form_with_an_error_keeps_the_attached_file(page, live_server, cast, small_pdf):
    page.goto(f"{live_server.url}/dich-vu/{cast.service.code}/nop-ho-so/")
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số CCCD").fill(CCCD)
    page.get_by_label("Ngày sinh").fill("1985-06-01")
    page.get_by_label("Địa chỉ").fill("5 Nguyễn Huệ, Phường 1, Mỹ Tho")
    page.get_by_label("Số điện thoại di động").fill("0123")  # wrong
    page.get_by_label("Tờ khai").set_input_files(small_pdf)
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".kept-file")).to_contain_text("to-khai.pdf")
    page.get_by_label("Số điện thoại di động").fill(MOBILE)  # corrected; the file is not chosen again
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của bạn đã được nộp")
    code = page.locator("#dossier-code").inner_text().strip()
    record = Dossier.objects.get(code=code).files.get()
    assert record.original_name == "to-khai.pdf" and record.file.read() == PDF_BYTES
