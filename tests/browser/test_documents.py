"""Documents in Chromium: draft -> review -> sign -> issue to two wards, who see it arrive and accept it,
the sender sees their statuses, and a search without accents finds it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents import catalogue
from tests.documents.flows import Office, make_docx
from tests.otp import browser_sign_in


@pytest.fixture
def office(transactional_db):
    catalogue.ensure_catalogue()
    return Office()


def sign_in(page, base, username):
    """Through the admin's two steps, typing a real TOTP code (tests/otp.py)."""
    browser_sign_in(page, base, username)


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_draft_review_sign_issue_to_two_wards_who_accept(page, live_server, office, tmp_path):
    base = live_server.url
    draft = tmp_path / "du-thao.docx"
    draft.write_bytes(make_docx("Kế hoạch phòng chống lụt bão"))

    sign_in(page, base, "vp.cv")
    page.goto(f"{base}/admin/documents/document/new/")
    page.get_by_label("Loại văn bản").select_option(label="Quyết định (QĐ)")
    page.get_by_label("Trích yếu nội dung").fill("Quyết định ban hành kế hoạch phòng chống lụt bão năm 2026")
    page.get_by_label("Cơ quan ban hành").select_option(label="Ủy ban nhân dân thành phố Mỹ Tho")
    page.get_by_label("Nơi nhận trong hệ thống").select_option(label=["Phường 1", "Phường 2"])
    page.get_by_label("Dự thảo (DOCX hoặc PDF)").set_input_files(str(draft))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#document-status")).to_have_text("Bản nháp")
    doc_url = page.url
    press(page, "Trình thẩm định")

    sign_in(page, base, "vp.ld")
    page.goto(doc_url)
    press(page, "Duyệt và trình ký")

    sign_in(page, base, "ubnd.lanhdao")
    page.goto(doc_url)
    page.get_by_role("button", name="Duyệt và ký").click()
    page.get_by_role("button", name="Duyệt và ký").click()
    expect(page.locator("#document-status")).to_have_text("Đã ký, chờ phát hành")

    sign_in(page, base, "ubnd.vanthu")
    page.goto(doc_url)
    press(page, "Cấp số và phát hành")
    expect(page.locator("#document-notation")).to_have_text("01/QĐ-UBND")

    for ward in ("p1.vanthu", "p2.vanthu"):
        sign_in(page, base, ward)
        queue = page.locator('[data-doc-queue="to_register"] .queue-count')
        expect(queue).to_have_text("1")
        page.locator('[data-doc-queue="to_register"] a').click()
        page.get_by_role("link", name="01/QĐ-UBND").click()
        press(page, "Vào sổ")
        expect(page.locator("#document-arrival")).to_have_text("1")

    sign_in(page, base, "ubnd.vanthu")
    page.goto(doc_url)
    rows = page.locator("#document-recipients tbody tr")
    expect(rows).to_have_count(2)
    for name in ("Phường 1", "Phường 2"):
        expect(page.locator(f'[data-recipient="{name}"] .recipient-status')).to_contain_text("Đã tiếp nhận")

    page.goto(f"{base}/admin/documents/document/search/?q=lut+bao+nam+2026&direction=out")
    expect(page.locator("#search-results .result")).to_have_count(1)
    expect(page.locator("#search-results mark").first).to_have_text("lụt")
