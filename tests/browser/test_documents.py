"""Documents in Chromium: an incoming signed PDF registered, assigned, handed down, handled and
closed with its reply; draft -> review -> sign -> issue to two wards, who see it arrive and accept
it, the sender sees their statuses, and a search without accents finds it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from documents import catalogue
from tests.documents import flows
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


def test_register_a_signed_pdf_assign_hand_down_handle_and_reply(
    page, live_server, office, tmp_path, settings
):
    from documents import ca, signatures
    from documents.demo import seal_png
    from documents.models import CertificateKind

    settings.ORG_SIGNING_KEY_SECRET = "browser-test-organisation-key-secret-0123456789"
    settings.TSA_URL = ""
    base = live_server.url
    reply = flows.issued(office)  # the outgoing answer, 01/QĐ-UBND
    authority = ca.create_authority("CA thử nghiệm")
    seal = ca.issue(
        authority,
        kind=CertificateKind.ORGANISATION,
        common_name="Sở Tư pháp tỉnh Tiền Giang",
        unit=office.ward_b,
        image=seal_png("Sở Tư pháp", "STP"),
    )
    letter = tmp_path / "cong-van-den.pdf"
    letter.write_bytes(
        signatures.sign_as_organisation(
            flows.text_pdf("Công văn về việc rà soát văn bản quy phạm pháp luật"), seal, number="215/STP"
        )
    )

    # The clerk registers the PDF: it gets arrival number 1 and its signature is checked on arrival.
    sign_in(page, base, "ubnd.vanthu")
    page.goto(f"{base}/admin/documents/document/register/")
    page.get_by_label("Loại văn bản").select_option(label="Công văn")
    page.get_by_label("Số, ký hiệu văn bản").fill("215/STP-XDKTVB")
    page.get_by_label("Nơi gửi").fill("Sở Tư pháp tỉnh Tiền Giang")
    page.get_by_label("Trích yếu nội dung").fill("Về việc rà soát văn bản quy phạm pháp luật năm 2026")
    page.locator("#id_file").set_input_files(str(letter))
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#document-arrival")).to_have_text("1")
    expect(page.locator("#document-status")).to_have_text("Đã vào sổ, chờ phân công")
    expect(page.locator("#document-signatures .sig-signed")).to_have_text("Có")
    expect(page.locator("#document-signatures")).to_contain_text("Sở Tư pháp tỉnh Tiền Giang")
    doc_url = page.url

    # The committee's leader assigns it to the office (VP) with a deadline in working days.
    sign_in(page, base, "ubnd.lanhdao")
    page.goto(f"{base}/admin/")
    expect(page.locator('[data-doc-queue="to_assign"] .queue-count')).to_have_text("1")
    page.goto(doc_url)
    page.locator('[data-action="assign"]').click()
    page.get_by_label("Đơn vị chủ trì").select_option(label="Văn phòng HĐND và UBND")
    page.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    page.locator('input[type="submit"]').click()
    expect(page.locator("#document-status")).to_have_text("Đang xử lý")

    # The office's leader hands it down to their specialist, with the same deadline.
    sign_in(page, base, "vp.ld")
    page.goto(doc_url)
    page.locator('[data-action="pass_down"]').click()
    page.get_by_label("Đến đơn vị").select_option(label="Văn phòng HĐND và UBND")
    page.get_by_label("Người xử lý (không bắt buộc)").select_option(value=str(office.vp_cv.pk))
    page.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    page.locator('input[type="submit"]').click()
    expect(page.locator("#document-assignments tbody tr")).to_have_count(2)

    # The specialist finds it in their queue, handles it and closes it with the reply.
    sign_in(page, base, "vp.cv")
    page.goto(f"{base}/admin/")
    expect(page.locator('[data-doc-queue="mine"] .queue-count')).to_have_text("1")
    page.locator('[data-doc-queue="mine"] a').click()
    page.get_by_role("link", name="215/STP-XDKTVB").click()
    page.locator('[data-action="close"]').click()
    page.get_by_label("Văn bản trả lời (số, ký hiệu; không bắt buộc)").fill(reply.notation)
    page.get_by_label("Kết quả").fill("Đã rà soát, báo cáo kết quả.")
    page.locator('input[type="submit"]').click()
    expect(page.locator("#document-status")).to_have_text("Đã xử lý")
    expect(page.locator("#document-reply")).to_have_text("01/QĐ-UBND")
