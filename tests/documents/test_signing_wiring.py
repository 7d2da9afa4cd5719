"""The workflow signs with the registry's certificates: the signer on approval, the organisation on issue,
and every recipient's copy has its signatures validated on arrival (pyHanko, checked with pdfsig)."""

from __future__ import annotations

import subprocess
import tempfile

import pytest
from django.core.exceptions import ValidationError

from documents import ca, services
from documents.demo import seal_png, signature_png
from documents.models import CertificateKind, Document
from tests.documents import flows
from tests.documents.conftest import PASSPHRASE


@pytest.fixture
def certificates(office, authority):
    personal = ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name=office.leader.full_name,
        owner=office.leader,
        unit=office.city,
        passphrase=PASSPHRASE,
        kdf_iterations=2000,
        image=signature_png(office.leader.full_name),
    )
    org = ca.issue(
        authority,
        kind=CertificateKind.ORGANISATION,
        common_name=office.city.name,
        unit=office.city,
        image=seal_png(office.city.name, "UBND"),
    )
    return personal, org


def _pdf_draft(office, units):
    data = {
        "doc_type": flows.DocumentType.objects.get(code="QD"),
        "summary": "Quyết định ký số",
        "issuing_unit": office.city,
        "recipient_units": units,
        "recipients_text": "Lưu: VT.",
    }
    doc = services.create_draft(
        office.vp_cv, data, flows.upload("du-thao.pdf", flows.text_pdf("Quyết định ký số"))
    )
    services.submit_draft(doc, office.vp_cv)
    services.approve_draft(doc, office.vp_ld)
    return doc


def test_signer_then_organisation_then_validated_on_arrival(office, certificates):
    doc = _pdf_draft(office, [office.ward_a])
    with pytest.raises(ValidationError, match="passphrase"):
        services.sign_document(doc, office.leader, passphrase="sai mật khẩu")
    services.sign_document(doc, office.leader, passphrase=PASSPHRASE)
    issued = services.issue_document(doc, office.clerk)
    assert issued.digitally_signed
    final = issued.files.filter(kind="signed").order_by("-version").first()
    assert final.version == 2
    with final.file.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(handle.read())
        tmp.flush()
        out = subprocess.run(["pdfsig", tmp.name], capture_output=True, text=True).stdout
    assert out.count("Signature #") == 2 and "Signature is Valid" in out
    copy = Document.objects.get(source=issued)
    services.read_file_text(copy.files.get(kind="main").pk)
    copy.refresh_from_db()
    report = copy.signature_report
    assert report["signed"] and report["intact"] and len(report["signatures"]) == 2


def test_a_tampered_incoming_pdf_is_flagged_not_rejected(office, certificates):
    doc = _pdf_draft(office, [])
    services.sign_document(doc, office.leader, passphrase=PASSPHRASE)
    issued = services.issue_document(doc, office.clerk)
    with issued.files.filter(kind="signed").order_by("-version").first().file.open("rb") as handle:
        data = bytearray(handle.read())
    index = data.index(b"/Producer")  # inside the signed range (content streams are compressed)
    data[index + 2] ^= 0x01
    incoming = services.register_incoming(
        office.a_clerk,
        {
            "doc_type": flows.DocumentType.objects.get(code="QD"),
            "summary": "Nhận",
            "sender_name": "UBND",
            "notation": issued.notation,
        },
        flows.upload("den.pdf", bytes(data)),
    )
    services.read_file_text(incoming.files.get().pk)
    incoming.refresh_from_db()
    assert incoming.status == "registered"
    assert incoming.signature_report["signed"] and not incoming.signature_report["intact"]
