"""The public website in Chromium at 360 px: an editor's article reviewed and published reaches the
home page and the feed; a public document issued reaches the library and is found without accents;
every public page passes axe-core and fits the phone; the H1 2022 report downloads as PDF and DOCX."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal import roles
from tests.factories import UnitFactory, UserFactory
from tests.otp import browser_sign_in

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(_kernel_data):
    from website import setup

    city = UnitFactory(code="UBND-W", name="UBND thành phố", committee=True)
    UnitFactory(code="P1-W", name="Phường 1", ward=True, parent=city)
    setup.ensure_site()
    editor = UserFactory(username="bt.viet", unit=city, role=roles.EDITOR)
    chief = UserFactory(username="bt.lanhdao", unit=city, role=roles.EDITORIAL_LEADER)
    return {"city": city, "editor": editor, "chief": chief}


def fits_and_passes_axe(page, axe_violations):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert axe_violations(page) == [], page.url


def test_editor_drafts_leader_approves_article_reaches_home_and_feed(
    browser, live_server, site, axe_violations
):
    from website.models import Article, SectionPage

    base = live_server.url
    section = SectionPage.objects.get(slug="tin-thanh-pho")
    article = Article(
        title="Khánh thành cầu Rạch Miễu 2", intro="Cây cầu mới nối Tiền Giang và Bến Tre.", live=False
    )
    section.add_child(instance=article)
    article.save_revision(user=site["editor"])
    state = article.get_workflow().start(article, site["editor"])

    staff = browser.new_page()
    browser_sign_in(staff, base, "bt.lanhdao")
    staff.goto(f"{base}/cms/")  # the editorial admin opens after the portal's two-step log-in
    expect(staff).to_have_url(f"{base}/cms/")
    staff.close()
    state.current_task_state.task.specific.on_action(state.current_task_state, site["chief"], "approve")

    page = browser.new_page(viewport=PHONE)
    page.goto(base + "/")
    expect(page.locator("#home-news")).to_contain_text("Khánh thành cầu Rạch Miễu 2")
    fits_and_passes_axe(page, axe_violations)
    page.locator("#home-news").get_by_role("link", name="Khánh thành cầu Rạch Miễu 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khánh thành cầu Rạch Miễu 2")
    fits_and_passes_axe(page, axe_violations)
    for path in ("/tin-tuc/", "/tin-tuc/tin-thanh-pho/", "/lich-cong-tac/", "/tim-kiem/?q=cau+rach+mieu"):
        page.goto(base + path)
        fits_and_passes_axe(page, axe_violations)
    feed = page.request.get(base + "/tin-tuc/rss.xml")
    assert "Khánh thành cầu Rạch Miễu 2" in feed.text()


def test_public_document_issued_is_found_in_the_library_without_accents(
    browser, live_server, _kernel_data, settings, axe_violations
):
    from django.db import transaction

    from tests.documents.flows import Office, issued
    from website import setup

    settings.ORG_SIGNING_KEY_SECRET = "test-organisation-key-secret-0123456789abcdef"
    settings.TSA_URL = ""
    office = Office()
    setup.ensure_site()
    with transaction.atomic():
        doc = issued(office, summary="Quyết định về giá nước sạch trên địa bàn thành phố", public=True)
    base = live_server.url
    page = browser.new_page(viewport=PHONE)
    page.goto(base + "/van-ban/")
    fits_and_passes_axe(page, axe_violations)
    page.get_by_label("Từ khóa (có dấu hoặc không dấu), số hoặc ký hiệu").fill("gia nuoc sach")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#legal-list")).to_contain_text(doc.notation)
    page.locator("#legal-list").get_by_role("link").first.click()
    expect(page.locator("#legal-status")).to_contain_text("Còn hiệu lực")
    fits_and_passes_axe(page, axe_violations)


def test_h1_2022_report_downloads_as_pdf_and_docx(browser, live_server, _kernel_data):
    from website import bulk

    bulk.h1_2022(progress=lambda step: None)
    UserFactory(username="quantri.w", unit=None, is_superuser=True)
    base = live_server.url
    page = browser.new_page()
    browser_sign_in(page, base, "quantri.w")
    page.goto(f"{base}/admin/bao-cao-chinh-phu-dien-tu/?start=2022-01-01&end=2022-06-30")
    expect(page.locator("#section-documents")).to_contain_text("70.812")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải PDF").click()
    assert pdf.value.suggested_filename == "bao-cao-cpdt-20220101-20220630.pdf"
    with page.expect_download() as docx:
        page.get_by_role("link", name="Tải DOCX").click()
    assert docx.value.suggested_filename.endswith(".docx")
