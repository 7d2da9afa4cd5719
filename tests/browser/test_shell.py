import re

from playwright.sync_api import expect

from portal import roles
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.otp import code_for_key


def test_home_page_and_language_switch(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Staff sign-in")).to_be_visible()
    page.get_by_role("link", name="Public services").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is kept
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(re.compile(r"/dich-vu/$"))  # back on the page it was chosen on


def test_home_page_has_no_accessibility_violations(page, live_server, axe_violations):
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []


def test_axe_check_can_fail(page, live_server, axe_violations):
    # The check is real: a page with an unlabeled input and an image without alt fails it.
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/x.png"><input type="text">\'); }'
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= ids


def test_staff_first_sign_in_sets_up_two_step_verification(page, live_server, axe_violations):
    """An official without a device: password, then the authenticator app's set-up, a real code, backup codes."""
    ward = UnitFactory(code="P1", name="Phường 1", ward=True)
    UserFactory(username="p1.motcua", unit=ward, role=roles.ONESTOP_OFFICER)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Tên đăng nhập").fill("p1.motcua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Thiết lập xác thực hai bước")).to_be_visible()
    expect(page.get_by_role("img", name="Mã QR của khóa")).to_be_visible()
    assert axe_violations(page) == []
    key = page.get_by_test_id("otp-key").inner_text()
    page.get_by_label("Mã ứng dụng hiển thị").fill(code_for_key(key))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Mã dự phòng của bạn")).to_be_visible()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Vào hệ thống nghiệp vụ").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("button", name="Thoát")).to_be_visible()


def test_wrong_password_shows_a_clear_message(page, live_server):
    UserFactory(username="cv", unit=UnitFactory(), role=roles.SPECIALIST)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Tên đăng nhập").fill("cv")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".errornote")).to_contain_text("Bạn hãy nhập đúng")
