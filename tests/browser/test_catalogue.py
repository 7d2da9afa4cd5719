"""A citizen in Chromium searches the catalogue without accents, opens a service and reads its documents."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from onestop import demo
from portal import demo as portal_demo


@pytest.fixture
def catalogue(transactional_db):
    portal_demo.seed_site()
    portal_demo.seed_units()
    demo.seed()


def test_search_without_accents_then_open_a_service(page, live_server, catalogue, axe_violations):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Dịch vụ công", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dịch vụ công")
    expect(page.locator("#result-count")).to_contain_text("341")
    assert axe_violations(page) == []

    page.get_by_label("Tìm thủ tục hành chính").fill("giay phep xay dung")
    page.get_by_label("Dịch vụ công trực tuyến").select_option("full")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    results = page.locator("#services")
    expect(
        results.get_by_role("link", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    ).to_be_visible()
    expect(
        results.get_by_role("link", name="Cấp giấy phép xây dựng mới đối với công trình quảng cáo")
    ).to_have_count(0)
    assert axe_violations(page) == []

    results.get_by_role("link", name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
    )
    documents = page.locator("#documents")
    expect(documents).to_contain_text("Đơn đề nghị cấp giấy phép xây dựng")
    expect(documents).to_contain_text("Bản vẽ thiết kế xây dựng")
    expect(page.locator("#steps")).to_contain_text("Phòng Quản lý đô thị")
    expect(page.locator("#fee")).to_contain_text("75.000")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    assert axe_violations(page) == []

    href = documents.get_by_role("link", name="Tải về").first.get_attribute("href")
    form = page.request.get(f"{live_server.url}{href}")
    assert form.ok and form.headers["content-type"] == "application/pdf"
    assert form.body().startswith(b"%PDF")


def test_level_2_service_page_and_unknown_code(page, live_server, catalogue, axe_violations):
    page.goto(f"{live_server.url}/dich-vu/?online=offline")
    expect(page.locator("#result-count")).to_contain_text("13")
    page.locator("#services").get_by_role("link").first.click()
    expect(page.locator("#file-in-person")).to_contain_text("nộp trực tiếp tại Bộ phận Một cửa")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_count(0)
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/dich-vu/khong-co/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy thủ tục")
    assert axe_violations(page) == []
