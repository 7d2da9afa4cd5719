"""The e-government report: data shaped like the first half of 2022 gives back the article's figures."""

from __future__ import annotations

import io
from datetime import date

import pytest

from website import bulk
from website import report as reports


@pytest.fixture
def h1(db):
    return bulk.h1_2022(progress=lambda step: None)


@pytest.fixture
def sysadmin(db):
    from portal.models import User

    return User.objects.create_superuser("quantri.h1", "qt@example.gov.vn", "x-Strong-pass-2022")


def test_report_states_the_figures_of_the_2022_article(h1, sysadmin):
    """FIGURES.md: 68 units, 1,082 accounts; > 70,800 received and handled, > 13,200 issued; at the
    committee > 7,300 and > 3,500, 100% electronic; 901 mailboxes, 95% used; 341 services 13/182/146,
    none late; 41 organisation and 132 personal certificates; > 280 articles, 146 legal documents;
    51 feedback received and answered; 24 online meetings with the 17 wards."""
    result = reports.build(sysadmin, date(2022, 1, 1), date(2022, 6, 30))
    f = result.figures
    assert (f["units"], f["accounts"]) == (68, 1082)
    assert f["documents_received"] > 70800 and f["documents_handled"] > 70800
    assert f["documents_received_electronic"] == f["documents_received"]
    assert f["documents_issued"] > 13200 and f["documents_share_electronic"] == "100%"
    assert f["committee_received"] > 7300 and f["committee_issued"] > 3500
    assert f["committee_share_electronic"] == "100%"
    assert f["mailboxes"] == 901 and round(100 * f["mailboxes_in_use"] / f["mailboxes"]) == 95
    assert (f["services"], f["services_level_2"], f["services_level_3"], f["services_level_4"]) == (
        341,
        13,
        182,
        146,
    )
    assert f["dossiers_late"] == 0
    assert (f["certificate_units"], f["certificates_personal"]) == (41, 132)
    assert f["articles"] > 280 and f["legal_documents"] == 146
    assert f["feedback_received"] == 51 and f["feedback_answered"] == 51
    assert f["meetings_online"] == 24 and f["meeting_sites"] == 17
    # A later period counts none of it.
    later = reports.build(sysadmin, date(2022, 7, 1), date(2022, 12, 31)).figures
    assert later["documents_received"] == 0 and later["articles"] == 0 and later["meetings_online"] == 0


def test_report_page_and_its_pdf_and_docx(h1, sysadmin, client):
    from docx import Document as Docx
    from pypdf import PdfReader

    client.force_login(sysadmin)
    page = client.get("/admin/bao-cao-chinh-phu-dien-tu/", {"start": "2022-01-01", "end": "2022-06-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "70.812" in html and "13.215" in html and "<svg" in html
    pdf = client.get(
        "/admin/bao-cao-chinh-phu-dien-tu/", {"start": "2022-01-01", "end": "2022-06-30", "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "70.812" in text and "146" in text and "1.082" in text
    docx = client.get(
        "/admin/bao-cao-chinh-phu-dien-tu/", {"start": "2022-01-01", "end": "2022-06-30", "format": "docx"}
    )
    doc = Docx(io.BytesIO(docx.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "70.812" in cells and "341" in cells and "24" in cells
    assert len(doc.inline_shapes) == 8  # a chart per section


def test_report_needs_the_permission_and_refuses_bad_periods(db, client, make_user, sysadmin):
    client.force_login(make_user())
    assert client.get("/admin/bao-cao-chinh-phu-dien-tu/").status_code == 403
    client.force_login(sysadmin)
    bad = client.get("/admin/bao-cao-chinh-phu-dien-tu/", {"start": "2022-06-30", "end": "2022-01-01"})
    assert bad.status_code == 200 and bad.context["report"] is None
    assert client.get("/admin/bao-cao-chinh-phu-dien-tu/", {"start": "x", "end": "y"}).status_code == 200
