"""Fixtures of the signature tests: a certificate authority, holders, certificates, real PDFs."""

from __future__ import annotations

import pytest

from documents import ca
from documents.demo import seal_png, signature_png
from documents.models import CertificateKind
from portal import pdf as portal_pdf
from portal import roles

PASSPHRASE = "Mật-khẩu ký số 2022"
ORG_SECRET = "test-organisation-key-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def _org_secret(settings):
    settings.ORG_SIGNING_KEY_SECRET = ORG_SECRET
    settings.TSA_URL = ""


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service messages asserted in English (msgids); pages are requested as officials (Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def authority(db):
    return ca.create_authority("Test CA Mỹ Tho")


@pytest.fixture
def leader(ward_a, make_user):
    return make_user(unit=ward_a, role=roles.LEADER, username="wa.lanhdao", full_name="Dương Văn Thành")


@pytest.fixture
def personal(authority, leader):
    return ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name=leader.full_name,
        owner=leader,
        unit=leader.unit,
        passphrase=PASSPHRASE,
        kdf_iterations=2000,
        image=signature_png(leader.full_name),
    )


@pytest.fixture
def organisation(authority, ward_a):
    return ca.issue(
        authority,
        kind=CertificateKind.ORGANISATION,
        common_name=ward_a.name,
        unit=ward_a,
        image=seal_png(ward_a.name, "UBND"),
    )


def make_pdf(title: str = "QUYẾT ĐỊNH", pages: int = 1) -> bytes:
    """A real administrative PDF from the kernel's builder."""
    story = portal_pdf.title(title, "Về việc thử nghiệm chữ ký số")
    for i in range(pages):
        story += [portal_pdf.para(f"Điều {i + 1}. Nội dung thử nghiệm của văn bản, trang {i + 1}. " * 40)]
    return portal_pdf.build(story, title=title)


@pytest.fixture
def document_pdf() -> bytes:
    return make_pdf()


# --- the documents workflow (registers, routing, exchange) ---------------------------------


@pytest.fixture
def office(db):
    from tests.documents.flows import Office

    return Office()


@pytest.fixture
def decision_type(db):
    from documents.models import DocumentType

    return DocumentType.objects.get(code="QD")


@pytest.fixture
def letter_type(db):
    from documents.models import DocumentType

    return DocumentType.objects.get(code="CV")
