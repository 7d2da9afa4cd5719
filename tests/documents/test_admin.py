"""The back office as every role: pages answer, scope holds, bad input gets a message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document, DocumentStatus
from tests.documents import flows
from tests.documents.flows import text_pdf, upload

S = DocumentStatus


def login(client, user):
    client.force_login(user)
    return client


PAGES = ["changelist", "new", "register", "import", "search", "registers", "statistics"]


def url(name, *args):
    return reverse(f"admin:documents_document_{name}", args=args)


@pytest.mark.parametrize("who", ["clerk", "leader", "vp_cv", "vp_ld", "a_clerk", "a_leader", "a_cv"])
def test_every_page_as_every_role(client, office, who):
    doc = flows.issued(office)
    login(client, getattr(office, who))
    for name in PAGES:
        params = {"q": "ke hoach" + "x" * 300, "queue": "nope"}
        if name != "changelist":
            params.update({"unit": "x", "from": "2026-13-45", "after": "a.b", "page": "-4"})
        response = client.get(url(name), params)
        assert response.status_code in (200, 403), (name, response.status_code)
        # A NUL byte is refused before any page (portal.middleware.RejectNulMiddleware).
        assert client.get(url(name), {**params, "q": "ke hoach\x00"}).status_code == 400, name
    response = client.get(url("change", doc.pk))
    own = who in ("clerk", "leader", "vp_cv", "vp_ld")
    assert response.status_code == (200 if own else 404)
    if own:
        assert doc.notation in response.content.decode()


def test_ward_official_never_sees_another_wards_copy(client, office):
    doc = flows.issued(office)
    copy_b = Document.objects.get(source=doc, unit=office.ward_b)
    login(client, office.a_clerk)
    assert client.get(url("change", copy_b.pk)).status_code == 404
    assert client.get(url("file", copy_b.pk, copy_b.files.first().pk)).status_code == 404
    listing = client.get(url("changelist")).content.decode()
    assert f"/{copy_b.pk}/change/" not in listing
    copy_a = Document.objects.get(source=doc, unit=office.ward_a)
    assert f"/{copy_a.pk}/change/" in listing


def test_clerk_registers_a_paper_document_with_bad_input_first(client, office, decision_type):
    login(client, office.clerk)
    bad = client.post(
        url("register"),
        {
            "doc_type": decision_type.pk,
            "notation": "12/QĐ-UBND",
            "sender_name": "x" * 300,
            "summary": "",
            "urgency": "normal",
            "secrecy": "none",
            "medium": "electronic",
        },
    )
    assert bad.status_code == 200 and "errornote" in bad.content.decode()
    nul = client.post(url("register"), {"doc_type": decision_type.pk, "notation": "12/QĐ-UBND\x00"})
    assert nul.status_code == 400  # refused before any form (portal.middleware.RejectNulMiddleware)
    assert not Document.objects.exists()
    good = client.post(
        url("register"),
        {
            "doc_type": decision_type.pk,
            "notation": "12/QĐ-UBND",
            "sender_name": "UBND tỉnh Tiền Giang",
            "summary": "Quyết định về việc giao chỉ tiêu",
            "urgency": "urgent",
            "secrecy": "none",
            "medium": "electronic",
            "file": upload("scan.pdf", text_pdf("Quyết định giao chỉ tiêu")),
        },
    )
    assert good.status_code == 302
    doc = Document.objects.get()
    assert doc.status == S.REGISTERED and doc.arrival_number == 1


def test_buttons_follow_the_workflow_and_a_typed_url_is_refused(client, office):
    doc = flows.draft(office)
    login(client, office.vp_cv)
    page = client.get(url("change", doc.pk)).content.decode()
    assert 'data-action="submit"' in page and 'data-action="issue"' not in page
    response = client.post(url("action", doc.pk, "issue"), follow=True)
    assert "not possible" in response.content.decode() or "Không thể" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == S.DRAFT


def test_assign_form_with_working_days(client, office):
    doc = flows.registered(office)
    login(client, office.leader)
    response = client.post(
        url("action", doc.pk, "assign"),
        {
            "lead_unit": office.ward_a.pk,
            "working_days": 5,
            "coordinating": [office.vp.pk],
            "note": "Khẩn trương",
        },
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == S.IN_PROGRESS and doc.deadline and doc.lead_unit == office.ward_a
    assert client.post(url("action", doc.pk, "assign"), {"lead_unit": office.ward_a.pk}).status_code == 302


def test_registers_export_pdf_and_xlsx(client, office):
    flows.issued(office)
    login(client, office.clerk)
    pdf = client.get(url("registers"), {"direction": "out", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    compact = "".join(text.split())
    assert "01/QĐ-UBND" in compact and "SỔĐĂNGKÝVĂNBẢNĐI" in compact.upper()
    xlsx = client.get(url("registers"), {"direction": "out", "format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "01/QĐ-UBND" in values
    html = client.get(url("registers"), {"direction": "out"}).content.decode()
    assert "01/QĐ-UBND" in html


def test_statistics_page_and_export(client, office):
    flows.issued(office)
    login(client, office.leader)
    page = client.get(url("statistics")).content.decode()
    assert "stats-summary" in page
    xlsx = client.get(url("statistics"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
