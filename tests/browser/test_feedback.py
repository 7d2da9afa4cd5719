"""Citizen feedback in Chromium: a report from a 360 px phone with a photo, triage, hand-down to a
ward, answer, approval and publication, and the reporter who rates unhappy and reopens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Photo, Report, ReportStatus
from portal import ratelimit
from tests.feedback.factories import MOBILE, Setup, jpeg_bytes
from tests.otp import browser_sign_in

S = ReportStatus
CODE = re.compile(r"^PA-\d{6}-\d{4}$")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def _clean_limits():
    ratelimit.clear()
    yield
    ratelimit.clear()


@pytest.fixture
def fb(_kernel_data):
    return Setup()


def sign_in(page, base, username):
    browser_sign_in(page, base, username)  # both steps: password, then the authenticator's code


def open_report(page, base, report):
    page.goto(f"{base}/admin/feedback/report/")
    page.get_by_role("link", name=report.code, exact=True).click()
    expect(page.locator("#report-status")).to_be_visible()


def act(page, label):
    page.locator("#actions").get_by_role("link", name=label, exact=True).click()


def submit(page, label):
    page.locator(f'input[type="submit"][value="{label}"]').click()


def expect_success(page, text):
    expect(page.locator(".messagelist .success")).to_contain_text(text)


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_reports_from_a_360px_phone_with_a_photo(
    browser, live_server, fb, tmp_path, axe_violations
):
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(jpeg_bytes(2400, 1800))
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Gửi phản ánh").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh")
    assert no_overflow(page)
    assert axe_violations(page) == []

    page.get_by_label("Vấn đề gì?").select_option(label="Đèn đường hư hỏng")
    expect(page.get_by_label("Số cột đèn")).to_be_visible()
    expect(page.get_by_label("Mức ngập")).to_be_hidden()  # another category's question
    page.get_by_label("Số cột đèn").fill("LL-12")
    page.get_by_label("Phường, xã").select_option(label="Phường 1")
    page.get_by_label("Địa chỉ hoặc địa điểm").fill("Trước số 12 Lê Lợi")
    page.get_by_label("Mô tả vấn đề").fill("Đèn đường tắt ba đêm nay, hẻm rất tối.")
    page.get_by_label("Ảnh (tối đa 5)").set_input_files(photo)
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại").fill("")  # forgotten: the form comes back with everything kept
    page.get_by_role("button", name="Gửi phản ánh").click()

    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_label("Mô tả vấn đề")).to_have_value("Đèn đường tắt ba đêm nay, hẻm rất tối.")
    expect(page.locator("#kept-photos")).to_contain_text("IMG_0042.jpg")
    assert no_overflow(page)
    page.get_by_label("Số điện thoại").fill(MOBILE)
    page.get_by_role("button", name="Gửi phản ánh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn: phản ánh đã được tiếp nhận")
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE.match(code), code
    assert no_overflow(page)
    report = Report.objects.get(code=code)
    assert report.reporter_name == "Trần Thị Bình" and report.attributes == {"pole": "LL-12"}
    stored = report.photos.get(kind=Photo.Kind.REPORT)
    data = stored.file.read()
    assert b"PhoneMaker" not in data and stored.size < len(photo.read_bytes())

    page.locator("#private-link").click()
    expect(page.locator("#report-status")).to_contain_text("Đã tiếp nhận")
    expect(page.locator("body")).not_to_contain_text(MOBILE)
    assert no_overflow(page)
    for path in ("/phan-anh/", "/phan-anh/thong-ke/"):  # the other public pages fit the phone too
        page.goto(live_server.url + path)
        assert no_overflow(page), path
        assert axe_violations(page) == [], path
    context.close()


def test_triage_hand_down_answer_approval_and_publication(page, live_server, fb):
    base = live_server.url
    report = fb.report()

    # The 1022 desk assigns it to the urban management department with the category's deadline.
    sign_in(page, base, "op")
    page.goto(f"{base}/admin/feedback/report/?queue=triage")
    page.get_by_role("link", name=report.code, exact=True).click()
    act(page, "Giao đơn vị xử lý")
    page.get_by_label("Đơn vị xử lý").select_option(label="Phòng Quản lý đô thị")
    submit(page, "Giao đơn vị xử lý")
    expect_success(page, f"Phản ánh {report.code} đã giao cho Phòng Quản lý đô thị")
    expect(page.locator("#report-status")).to_contain_text("Đang xử lý")

    # The department's leader passes it down to Ward 1 with the ward's own deadline.
    sign_in(page, base, "dept.ld")
    open_report(page, base, report)
    act(page, "Chuyển xuống đơn vị cấp dưới")
    page.locator("#id_unit").select_option(label="Phường 1")
    submit(page, "Chuyển xuống đơn vị cấp dưới")
    expect_success(page, f"Phản ánh {report.code} đã chuyển xuống Phường 1")
    expect(page.locator("#report-unit")).to_have_text("Phường 1")

    # Ward 2 cannot even see it.
    sign_in(page, base, "p2.cv")
    page.goto(f"{base}/admin/feedback/report/{report.pk}/change/")
    expect(page.locator("#report-status")).to_have_count(0)

    # Ward 1's specialist drafts the answer; a specialist cannot approve it.
    sign_in(page, base, "p1.cv")
    open_report(page, base, report)
    act(page, "Trình dự thảo trả lời")
    page.get_by_label("Trả lời người phản ánh").fill("Đã thay bóng đèn. Cần thêm thông tin gọi 0987654321.")
    submit(page, "Trình dự thảo trả lời")
    expect_success(page, "chờ lãnh đạo phê duyệt")
    expect(page.locator("#actions").get_by_role("link", name="Phê duyệt và công khai trả lời")).to_have_count(
        0
    )

    # Ward 1's leader approves: the answer is published, the phone number masked.
    sign_in(page, base, "p1.ld")
    open_report(page, base, report)
    act(page, "Phê duyệt và công khai trả lời")
    submit(page, "Phê duyệt và công khai trả lời")
    expect_success(page, f"Trả lời phản ánh {report.code} đã được công khai.")

    page.context.clear_cookies()
    page.goto(f"{base}/phan-anh/")
    page.get_by_role("link", name="Đèn đường hư hỏng").first.click()
    expect(page.locator("#official-answer")).to_contain_text("Đã thay bóng đèn.")
    expect(page.locator("#official-answer")).not_to_contain_text("0987654321")
    expect(page.locator("body")).not_to_contain_text("Nguyễn Văn An")


def test_the_reporter_rates_unhappy_and_reopens(page, live_server, fb):
    report = fb.report(S.ANSWERED)
    page.goto(f"{live_server.url}/phan-anh/{report.code}/?k={report.key}")
    expect(page).to_have_url(re.compile(rf"/phan-anh/{report.code}/$"))  # the key leaves the address bar
    page.get_by_label("1 - rất không hài lòng").check()
    page.get_by_label("Ý kiến (không bắt buộc)").fill("Đèn vẫn chập chờn")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".alert-success")).to_contain_text("đánh giá đã được ghi nhận")
    expect(page.locator("#your-rating")).to_contain_text("1/5")

    page.get_by_label("Vì sao trả lời chưa giải quyết được vấn đề?").fill("Tối qua đèn lại tắt")
    page.get_by_role("button", name="Mở lại phản ánh").click()
    expect(page.locator(".alert-success")).to_contain_text("Phản ánh đã được mở lại")
    expect(page.locator("#report-status")).to_contain_text("Phòng Quản lý đô thị đang xử lý")
    expect(page.locator("#reopen-form")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == S.ASSIGNED and report.round == 2
