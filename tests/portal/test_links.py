"""Absolute links come from PORTAL_BASE_URL, never from the request's Host header."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from onestop.models import DossierStatus
from portal.links import absolute_url
from tests.onestop.factories import make_dossier

BASE = "https://dichvucong.mytho.gov.vn"


@pytest.fixture
def forged_host(settings):
    settings.PORTAL_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # a name Django accepts, but not ours
    return {"HTTP_HOST": "evil.example"}


def test_absolute_url_is_on_the_base_url(settings):
    settings.PORTAL_BASE_URL = BASE + "/"
    assert absolute_url("/tra-cuu/", {"ma": "A B"}) == BASE + "/tra-cuu/?ma=A+B"
    with pytest.raises(ValueError):
        absolute_url("evil.example/x")


def test_draft_resume_link_ignores_the_host_header(client, cast, forged_host):
    dossier = make_dossier(cast, DossierStatus.DRAFT)
    html = client.get(reverse("onestop:draft", args=[dossier.draft_token]), **forged_host).content.decode()
    assert f"{BASE}/ho-so/nhap/{dossier.draft_token}/" in html
    assert "evil.example" not in html


@pytest.fixture
def qr_contents(monkeypatch):
    """What each QR code drawn into a PDF holds (the drawing itself runs unchanged)."""
    from portal import pdf

    seen = []
    original = pdf.qr_block

    def recording(data, *args, **kwargs):
        seen.append(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(pdf, "qr_block", recording)
    return seen


def test_receipt_qr_link_ignores_the_host_header(client, cast, forged_host, qr_contents):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    session = client.session
    session["dossiers"] = [dossier.pk]
    session.save()
    pdf = client.get(reverse("onestop:letter", args=[dossier.code, "receipt"]), **forged_host)
    assert pdf.status_code == 200 and PdfReader(io.BytesIO(pdf.content)).pages
    assert qr_contents == [f"{BASE}/tra-cuu/?ma={dossier.code}"]


def test_staff_receipt_qr_link_ignores_the_host_header(client, cast, forged_host, qr_contents):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    client.force_login(cast.officer)
    url = reverse("admin:onestop_dossier_pdf", args=[dossier.pk, "receipt"])
    response = client.get(url, **forged_host)
    assert response.status_code == 200
    assert qr_contents == [f"{BASE}/tra-cuu/?ma={dossier.code}"]
