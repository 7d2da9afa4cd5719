"""Officials in Chromium: the back office from the desk to the leader and back to the citizen."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onestop import services
from onestop.models import Dossier, DossierStatus, Rating
from onestop.workflow import Citizen
from portal import ratelimit
from tests.onestop.factories import MOBILE, PDF_BYTES, make_dossier, pdf_upload
from tests.otp import browser_sign_in

S = DossierStatus


@pytest.fixture(autouse=True)
def _clean_limits():
    ratelimit.clear()
    yield
    ratelimit.clear()


def status_label(status) -> str:
    with translation.override("vi"):
        return str(S(status).label)


def sign_in(page, base_url, username):
    """Sign in through the admin's two steps (a real TOTP code), landing on the queues."""
    browser_sign_in(page, base_url, username)
    expect(page.get_by_role("heading", name="Hàng đợi của tôi")).to_be_visible()


def open_dossier(page, base_url, code):
    page.goto(f"{base_url}/admin/onestop/dossier/")
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.locator("#dossier-code")).to_have_text(code)


def expect_success(page, text):
    expect(page.locator(".messagelist .success")).to_contain_text(text)


def click_action(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def pdf_behind(page, link_name) -> bytes:
    exact = True if isinstance(link_name, str) else None
    href = page.get_by_role("link", name=link_name, exact=exact).get_attribute("href")
    response = page.request.get(page.evaluate("h => new URL(h, location.href).href", href))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    return body


def test_dossier_journey_from_the_desk_to_the_rating(page, live_server, cast):
    base = live_server.url
    code = make_dossier(cast, S.SUBMITTED).code

    # The ward's one-stop officer finds it in "Mine" and accepts it.
    sign_in(page, base, "p1.motcua")
    mine = page.locator('[data-queue="mine"]')
    expect(mine.locator(".queue-count")).to_have_text("1")
    mine.get_by_role("link", name="Của tôi").click()
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.locator("#dossier-status")).to_have_text(status_label(S.SUBMITTED))
    click_action(page, "Tiếp nhận (mẫu 01)")
    expect_success(page, f"Đã tiếp nhận hồ sơ {code}")
    expect(page.locator("#dossier-code")).to_have_text(code)
    expect(page.locator("#dossier-status")).to_have_text(status_label(S.PROCESSING))
    pdf_behind(page, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)")
    expect(page.locator("#dossier-steps tbody tr")).to_have_count(2)

    # The ward's specialist hands it to the urban management department.
    sign_in(page, base, "p1.cv")
    open_dossier(page, base, code)
    click_action(page, "Chuyển đơn vị tiếp theo")
    expect_success(page, f"Đã chuyển hồ sơ {code} cho đơn vị tiếp theo.")

    # The department's specialist submits it; its leader approves it (a specialist cannot).
    sign_in(page, base, "qldt.cv")
    open_dossier(page, base, code)
    expect(page.get_by_role("button", name="Phê duyệt", exact=True)).to_have_count(0)
    click_action(page, "Trình phê duyệt")
    expect_success(page, f"Đã trình duyệt hồ sơ {code}.")
    expect(page.locator("#dossier-status")).to_have_text(status_label(S.AWAITING_APPROVAL))

    sign_in(page, base, "qldt.ld")
    open_dossier(page, base, code)
    page.get_by_label("Ghi chú (không bắt buộc)").fill("Đồng ý cấp phép xây dựng")
    click_action(page, "Phê duyệt")
    expect_success(page, f"Đã phê duyệt hồ sơ {code}: đã có kết quả.")
    pdf_behind(page, "Kết quả")

    # The desk returns the result: early, since the appointment is days away.
    sign_in(page, base, "p1.motcua")
    open_dossier(page, base, code)
    click_action(page, "Trả kết quả")
    expect_success(page, f"Đã trả kết quả hồ sơ {code} (Trước hạn).")
    expect(page.locator("#dossier-timeliness")).to_have_text("Trước hạn")
    expect(page.locator("#dossier-steps tbody tr td:last-child")).to_have_text(["Trước hạn", "Trước hạn"])
    expect(page.locator("#dossier-history")).to_contain_text("Phê duyệt")

    # The citizen looks the dossier up and rates the service.
    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu/?ma={code}")
    page.get_by_label("Số điện thoại hoặc số CCCD").fill(MOBILE)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect(page.get_by_role("radio", name="Không phải đi lại")).to_have_count(0)  # counted, not asked
    page.get_by_role("radio", name="Bình thường").check()
    page.get_by_role("radio", name="Có, đầy đủ và chính xác").check()
    page.get_by_role("radio", name="Không có, hoặc được trả lời đúng hạn").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("alert")).to_have_text("Cảm ơn bạn đã đánh giá dịch vụ.")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == S.RETURNED and dossier.timeliness == "early"
    assert Rating.objects.get(dossier=dossier).attitude == 1
    assert dossier.evaluation.visits == 2 and dossier.evaluation.rated


def test_supplement_round_trip_from_the_desk(page, live_server, cast):
    base = live_server.url
    dossier = make_dossier(cast, S.SUBMITTED)
    sign_in(page, base, "p1.motcua")
    open_dossier(page, base, dossier.code)
    expect(page.locator("#dossier-files .file-document")).to_have_text(["Tờ khai"])  # what it answers
    page.get_by_role("button", name="Yêu cầu bổ sung (mẫu 02)").click()
    # A pick-list of the service's documents, plus free text for anything else.
    page.get_by_label("Thành phần hồ sơ 1", exact=True).select_option(label="Giấy tờ khác")
    page.get_by_label("Lý do 1", exact=True).fill("Thiếu chữ ký của người thiết kế")
    page.get_by_label("Giấy tờ còn thiếu 2", exact=True).fill("Giấy chứng nhận quyền sử dụng đất")
    page.get_by_label("Lý do 2", exact=True).fill("Bản sao chưa chứng thực")
    page.get_by_role("button", name="Yêu cầu bổ sung (mẫu 02)").click()

    expect_success(page, f"Đã yêu cầu bổ sung hồ sơ {dossier.code} (mẫu 02).")
    expect(page.locator("#dossier-status")).to_have_text(status_label(S.SUPPLEMENT_REQUESTED))
    items = page.locator("#dossier-supplements li")
    expect(items).to_have_text(
        [
            "Giấy tờ khác: Thiếu chữ ký của người thiết kế",
            "Giấy chứng nhận quyền sử dụng đất: Bản sao chưa chứng thực",
        ]
    )
    pdf = pdf_behind(page, re.compile(r"Phiếu yêu cầu bổ sung ngày .* \(mẫu 02\)"))
    assert len(pdf) > 1000
    expect(page.locator('[data-action="accept"]')).to_have_count(0)

    # The citizen sees no appointment date while the documents are awaited.
    citizen = page.context.browser.new_page()
    citizen.goto(f"{base}/tra-cuu/?ma={dossier.code}")
    citizen.get_by_label("Số điện thoại hoặc số CCCD").fill(MOBILE)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#due-date")).to_have_text(
        "Chưa có trong khi chờ bổ sung giấy tờ: thời gian giải quyết được tính lại khi nhận đủ giấy tờ."
    )
    citizen.close()

    # The citizen provides both items online.
    services.provide_supplement(dossier, Citizen(dossier.pk), files=[pdf_upload("ban-ve.pdf")])

    page.reload()
    expect(page.locator("#dossier-status")).to_have_text(status_label(S.SUBMITTED))
    expect(page.locator("#dossier-files")).to_contain_text("ban-ve.pdf")
    click_action(page, "Tiếp nhận (mẫu 01)")
    expect_success(page, f"Đã tiếp nhận hồ sơ {dossier.code}")
    assert Dossier.objects.get(pk=dossier.pk).status == S.PROCESSING


def test_walk_in_received_regardless_of_boundary(page, live_server, cast):
    """Ward 2's desk receives Ward 1's boundary-free service, scans the papers, numbers it with
    its own code and routes it to Ward 1, whose staff then see it."""
    cast.service.receivable_anywhere = True
    cast.service.save()
    base = live_server.url
    sign_in(page, base, "p2.motcua")
    page.goto(f"{base}/admin/onestop/dossier/")
    page.get_by_role("link", name="Tiếp nhận hồ sơ trực tiếp").click()
    page.get_by_label("Thủ tục hành chính").select_option(str(cast.service.pk))
    page.get_by_role("button", name="Tiếp tục").click()

    page.get_by_label("Cơ quan có thẩm quyền giải quyết").select_option(label="Phường 1")
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số CCCD").fill("082185000456")
    page.get_by_label("Địa chỉ").fill("5 Hùng Vương, Phường 1, Mỹ Tho")
    page.get_by_label("Số điện thoại di động").fill("0987654321")
    page.get_by_role("checkbox", name=re.compile("^Tờ khai")).check()
    page.get_by_label("Bản quét: Tờ khai").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Ghi nhận hồ sơ").click()

    expect_success(page, "Đã ghi nhận hồ sơ")
    code = page.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"000\.02\.26\.H58-\d{6}-\d{4}", code), code  # Ward 2's code
    expect(page.locator("#dossier-desk")).to_have_text("Phường 2")
    expect(page.locator("#dossier-competent")).to_contain_text("Phường 1")
    expect(page.locator("#dossier-files .file-document")).to_have_text(["Tờ khai"])
    click_action(page, "Tiếp nhận (mẫu 01)")
    expect_success(page, f"Đã tiếp nhận hồ sơ {code}")
    expect(page.locator("#dossier-steps tbody tr td:nth-child(3)")).to_have_text(
        ["Phường 1", "Phòng Quản lý đô thị"]
    )

    # Ward 1's specialist finds it in the list and hands it over (who acted is shown).
    sign_in(page, base, "p1.cv")
    open_dossier(page, base, code)
    click_action(page, "Chuyển đơn vị tiếp theo")
    expect_success(page, f"Đã chuyển hồ sơ {code} cho đơn vị tiếp theo.")
    expect(page.locator("#dossier-steps .step-actor").first).to_have_text(str(cast.ward_specialist))
    dossier = Dossier.objects.get(code=code)
    assert (dossier.receiving_unit, dossier.competent_unit, dossier.channel) == (
        cast.other_ward,
        cast.ward,
        "desk",
    )


def test_a_one_stop_officer_is_not_offered_a_specialists_step(page, live_server, cast):
    code = make_dossier(cast, S.PROCESSING).code  # the first step is Ward 1's
    sign_in(page, live_server.url, "p1.motcua")
    open_dossier(page, live_server.url, code)
    expect(page.locator('[data-action="hand_over"]')).to_have_count(0)
    # A hand-made post is refused with the reason.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    dossier = Dossier.objects.get(code=code)
    response = page.request.post(
        f"{live_server.url}/admin/onestop/dossier/{dossier.pk}/action/hand_over/",
        form={"csrfmiddlewaretoken": token, "note": ""},
        headers={"Referer": page.url},
    )
    assert "Chỉ người có vai trò Chuyên viên / Lãnh đạo" in response.text()
    assert Dossier.objects.get(pk=dossier.pk).steps.get(order=1).status == "active"
