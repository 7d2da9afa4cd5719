"""Signing and validating real PDFs: checked with pyHanko and, independently, with poppler's pdfsig."""

from __future__ import annotations

import io
import logging
import shutil
import socket
import subprocess
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader

from documents import appearance, ca, keys, services, signatures
from documents.models import Certificate, CertificateKind
from tests.documents import tsa
from tests.documents.conftest import PASSPHRASE, make_pdf

pytestmark = pytest.mark.django_db


def pdfsig(path, nssdir=None) -> str:
    """poppler's verdict; the test fails (never skips) when pdfsig is not installed."""
    exe = shutil.which("pdfsig")
    if exe is None:
        pytest.fail("pdfsig is missing: install poppler-utils (.ci/browser-deps does)")
    args = [exe]  # our certificates name no OCSP responder, so nothing is fetched
    if nssdir is None:
        args.append("-nocert")
    else:
        args += ["-nssdir", f"sql:{nssdir}"]
    result = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def nss_trusting(tmp_path, authority) -> str:
    """An NSS database (pdfsig's trust store) that trusts the test authority's root."""
    certutil = shutil.which("certutil")
    if certutil is None:
        pytest.fail("certutil is missing: install libnss3-tools (.ci/browser-deps does)")
    db = tmp_path / "nss"
    db.mkdir()
    root = tmp_path / "root.pem"
    root.write_bytes(authority.x509.public_bytes(serialization.Encoding.PEM))
    subprocess.run([certutil, "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{db}", "-n", "test root", "-t", "CT,C,C", "-i", str(root)],
        check=True,
        capture_output=True,
    )
    return str(db)


def approved_and_issued(document_pdf, personal, organisation) -> bytes:
    signed = signatures.sign_pdf(document_pdf, personal, PASSPHRASE, reason="Phê duyệt", location="Mỹ Tho")
    return signatures.sign_as_organisation(signed, organisation, number="05/QĐ-UBND", location="Mỹ Tho")


def widget_rects(pdf: bytes) -> dict[str, tuple[int, list[float]]]:
    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                out[str(annot["/T"])] = (index, [float(v) for v in annot["/Rect"]])
    return out


def test_signer_and_organisation_signatures_validate_with_pyhanko(document_pdf, personal, organisation):
    issued = approved_and_issued(document_pdf, personal, organisation)
    report = signatures.validate_pdf(issued)

    assert report.ok and report.signed and report.intact and report.valid and report.trusted
    assert not report.revoked and report.problems == []
    assert [s.field_name for s in report.signatures] == ["Signer1", "Organisation1"]
    first, second = report.signatures
    assert first.signer_name == "Dương Văn Thành" and "Phường A" in first.signer_subject
    assert first.certificate_serial == personal.serial_number and first.certificate == personal
    assert second.certificate == organisation
    assert first.signing_time is not None and abs(first.signing_time - timezone.now()) < timedelta(minutes=1)
    assert first.signing_time.utcoffset() == timedelta(hours=7)  # Vietnamese time, as the appearance shows
    assert (
        report.signer_subject == first.signer_subject and report.certificate_serial == personal.serial_number
    )


def test_pdfsig_finds_both_signatures_valid_and_trusted(
    document_pdf, personal, organisation, authority, tmp_path
):
    path = tmp_path / "issued.pdf"
    path.write_bytes(approved_and_issued(document_pdf, personal, organisation))

    out = pdfsig(path, nssdir=nss_trusting(tmp_path, authority))

    assert "Signature #1:" in out and "Signature #2:" in out
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2, out
    assert "Signer Certificate Common Name: Dương Văn Thành" in out
    assert "ETSI.CAdES.detached" in out  # PAdES


def test_one_changed_byte_is_detected_by_pyhanko_and_pdfsig(document_pdf, personal, tmp_path):
    signed = signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    # One byte inside the signed range (the content streams are compressed, so a byte of the
    # document information dictionary, which the signature covers too).
    data = bytearray(signed)
    at = data.index(b"/Producer")
    data[at + 2] ^= 0x01
    tampered = bytes(data)
    assert len(tampered) == len(signed) and tampered != signed

    report = signatures.validate_pdf(tampered)
    assert report.signed and not report.intact and not report.ok
    assert "changed after it was signed" in " ".join(str(p) for p in report.problems)

    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    out = pdfsig(path)
    assert "Signature is Valid." not in out and "Digest Mismatch" in out, out


def test_a_changed_byte_in_the_signature_itself_is_detected(document_pdf, personal):
    signed = signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    data = bytearray(signed)
    # somewhere in the middle of the DER of the CMS, past the certificates: the signature value
    at = start + 2 * 1200
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    report = signatures.validate_pdf(bytes(data))
    assert report.signed and not report.ok
    assert report.problems


def test_unsigned_and_unreadable_files_are_flagged_not_rejected(document_pdf):
    unsigned = signatures.validate_pdf(document_pdf)
    assert unsigned.readable and not unsigned.signed and not unsigned.ok
    assert [str(p) for p in unsigned.problems] == ["The document carries no digital signature."]

    for junk in (b"", b"\x00" * 100, b"%PDF-1.7\n" + b"garbage" * 50, "not bytes"):
        report = signatures.validate_pdf(junk)
        assert not report.readable and not report.signed
        assert "cannot be read as a PDF" in str(report.problems[0])


def test_problems_are_in_vietnamese_by_default(document_pdf):
    with translation.override("vi"):
        report = signatures.validate_pdf(document_pdf)
        assert str(report.problems[0]) == "Văn bản không có chữ ký số."


def test_signature_from_an_untrusted_authority_is_flagged(document_pdf, leader):
    stranger = ca.create_authority("CA lạ")
    Certificate.objects.filter(pk=stranger.certificate.pk).update(trusted=False)
    cert = ca.issue(
        stranger,
        kind=CertificateKind.PERSONAL,
        common_name="Người lạ",
        owner=leader,
        unit=leader.unit,
        passphrase=PASSPHRASE,
        kdf_iterations=2000,
    )
    report = signatures.validate_pdf(signatures.sign_pdf(document_pdf, cert, PASSPHRASE))
    assert report.intact and report.valid and not report.trusted and not report.ok
    assert "trusted certificate authority" in str(report.problems[0])


def test_a_certificate_revoked_after_signing_is_flagged(document_pdf, personal, leader):
    signed = signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    services.revoke_certificate(personal, actor=leader, reason="key_compromise", note="USB token lost")
    report = signatures.validate_pdf(signed)
    assert report.revoked and report.intact and report.valid and not report.ok
    assert "revoked on" in str(report.problems[0]) and "Key compromised" in str(report.problems[0])


def test_refusals_wrong_passphrase_revoked_expired_wrong_kind(document_pdf, personal, organisation, leader):
    with pytest.raises(signatures.SignatureError, match="passphrase is not correct"):
        signatures.sign_pdf(document_pdf, personal, "wrong")
    with pytest.raises(signatures.SignatureError, match="Enter the passphrase"):
        signatures.sign_pdf(document_pdf, personal, "")
    with pytest.raises(signatures.SignatureError, match="not a personal certificate"):
        signatures.sign_pdf(document_pdf, organisation, PASSPHRASE)
    with pytest.raises(signatures.SignatureError, match="not an organisation"):
        signatures.sign_as_organisation(document_pdf, personal, number="01/QĐ-UBND")
    with pytest.raises(signatures.SignatureError, match="not a PDF"):
        signatures.sign_pdf(b"\x00hello", personal, PASSPHRASE)
    with pytest.raises(signatures.SignatureError, match="number and symbol"):
        signatures.sign_as_organisation(document_pdf, organisation, attachment=True)
    Certificate.objects.filter(pk=organisation.pk).update(not_after=timezone.now() - timedelta(seconds=1))
    organisation.refresh_from_db()
    with pytest.raises(signatures.SignatureError, match="expired"):
        signatures.sign_as_organisation(document_pdf, organisation, number="01/QĐ-UBND")
    services.revoke_certificate(personal, actor=leader, reason="superseded")
    personal.refresh_from_db()
    with pytest.raises(signatures.SignatureError, match="revoked"):
        signatures.sign_pdf(document_pdf, personal, PASSPHRASE)


def test_the_passphrase_is_never_logged(document_pdf, personal, caplog):
    caplog.set_level(logging.DEBUG)
    signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    with pytest.raises(signatures.SignatureError) as info:
        signatures.sign_pdf(document_pdf, personal, PASSPHRASE + "x")
    assert PASSPHRASE not in caplog.text and PASSPHRASE not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_seal_lies_over_the_left_third_of_the_signers_image(document_pdf, personal, organisation):
    issued = approved_and_issued(document_pdf, personal, organisation)
    rects = widget_rects(issued)
    (signer_page, (sx1, sy1, sx2, sy2)), (seal_page, (ox1, oy1, ox2, oy2)) = (
        rects["Signer1"],
        rects["Organisation1"],
    )
    assert signer_page == seal_page == 0  # the last (only) page
    assert ox2 == pytest.approx(sx1 + (sx2 - sx1) / 3, abs=0.5)  # its right edge a third into the signature
    assert (oy1 + oy2) / 2 == pytest.approx((sy1 + sy2) / 2, abs=0.5)
    assert ox2 - ox1 == pytest.approx(36 * 72 / 25.4, abs=0.5)  # the seal at its real size (36 mm)


def test_attachment_carries_number_and_iso_time_top_right_of_page_one(personal, organisation):
    attachment = make_pdf("PHỤ LỤC", pages=3)
    signed = signatures.sign_as_organisation(attachment, organisation, number="05/QĐ-UBND", attachment=True)
    page, (x1, y1, x2, y2) = widget_rects(signed)["Organisation1"]
    width, height = 595.27, 841.89
    assert page == 0 and x2 > width * 0.9 and y2 > height * 0.95 and x1 > width / 2
    report = signatures.validate_pdf(signed)
    assert report.ok

    # The drawing of that appearance: the number, then the time in ISO 8601 with the Vietnamese offset.
    drawn = appearance.attachment_drawing(200, 30, number="05/QĐ-UBND", ts="2022-06-15T02:30:05+0000")
    text = PdfReader(io.BytesIO(drawn)).pages[0].extract_text()
    assert "05/QĐ-UBND" in text and "2022-06-15T09:30:05+07:00" in text


def test_signer_appearance_shows_title_and_name(personal, document_pdf):
    drawn = appearance.signer_drawing(
        200, 100, image=bytes(personal.image), title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", name="Dương Văn Thành"
    )
    text = PdfReader(io.BytesIO(drawn)).pages[0].extract_text()
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Dương Văn Thành" in text
    signed = signatures.sign_pdf(
        document_pdf,
        personal,
        PASSPHRASE,
        appearance=appearance.Appearance(page=0, box=(100, 100, 300, 200), title="KT. CHỦ TỊCH"),
    )
    assert widget_rects(signed)["Signer1"] == (0, [100.0, 100.0, 300.0, 200.0])


def test_organisation_keys_need_the_secret_outside_debug(settings, document_pdf, organisation):
    settings.ORG_SIGNING_KEY_SECRET = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="ORG_SIGNING_KEY_SECRET is not set"):
        signatures.sign_as_organisation(document_pdf, organisation, number="01/QĐ-UBND")
    settings.ORG_SIGNING_KEY_SECRET = "short"
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        signatures.sign_as_organisation(document_pdf, organisation, number="01/QĐ-UBND")
    # Under another secret the key does not open: a clear message, no traceback for the user.
    settings.ORG_SIGNING_KEY_SECRET = "another-secret-" + "x" * 40
    with pytest.raises(signatures.SignatureError, match="system administrator"):
        signatures.sign_as_organisation(document_pdf, organisation, number="01/QĐ-UBND")


def test_debug_derives_a_development_secret(settings, document_pdf, authority, ward_b):
    settings.ORG_SIGNING_KEY_SECRET = ""
    settings.DEBUG = True
    dev_ca = ca.create_authority("Dev CA")
    cert = ca.issue(
        dev_ca, kind=CertificateKind.ORGANISATION, common_name=ward_b.name, unit=ward_b, image=b""
    )
    signed = signatures.sign_as_organisation(
        document_pdf, cert, number="01/QĐ-UBND", appearance=appearance.Appearance(visible=False)
    )
    assert signatures.validate_pdf(signed).ok


def test_personal_keys_are_standard_encrypted_pkcs8(personal, tmp_path, settings):
    der = bytes(personal.encrypted_key)
    assert b"BEGIN" not in der and keys.kdf_iterations_of(der) == 2000
    path = tmp_path / "key.der"
    path.write_bytes(der)
    openssl = shutil.which("openssl")
    assert openssl, "openssl is part of the base system"
    opened = subprocess.run(
        [openssl, "pkey", "-inform", "DER", "-in", str(path), "-passin", "env:PASS", "-noout"],
        capture_output=True,
        env={"PASS": PASSPHRASE},
    )
    assert opened.returncode == 0, opened.stderr
    wrong = subprocess.run(
        [openssl, "pkey", "-inform", "DER", "-in", str(path), "-passin", "pass:nope", "-noout"],
        capture_output=True,
    )
    assert wrong.returncode != 0
    # The same passphrase typed with decomposed accents (NFD) opens it too.
    import unicodedata

    key = keys.decrypt_private_key(der, unicodedata.normalize("NFD", PASSPHRASE))
    assert (
        key.public_key().public_numbers()
        == x509.load_der_x509_certificate(bytes(personal.der)).public_key().public_numbers()
    )
    settings.PERSONAL_KEY_KDF_ITERATIONS = 5000
    assert keys.kdf_iterations_of(keys.encrypt_private_key(key, "p")) == 5000


def test_report_snippet_renders_what_the_clerk_needs(document_pdf, personal, organisation):
    issued = approved_and_issued(document_pdf, personal, organisation)
    with translation.override("vi"):
        ok = render_to_string("documents/_signature_report.html", {"report": signatures.validate_pdf(issued)})
        assert "Cả 2 chữ ký hợp lệ, tin cậy và toàn vẹn." in ok
        assert "Dương Văn Thành" in ok and personal.serial_number in ok
        unsigned = render_to_string(
            "documents/_signature_report.html", {"report": signatures.validate_pdf(document_pdf)}
        )
        assert "Không có chữ ký số." in unsigned and "Văn bản không có chữ ký số." in unsigned
        data = bytearray(issued)
        data[data.index(b"/Producer") + 2] ^= 1
        bad = render_to_string(
            "documents/_signature_report.html", {"report": signatures.validate_pdf(bytes(data))}
        )
        assert "Có vấn đề về chữ ký" in bad and "<strong>không</strong>" in bad


@pytest.fixture
def tsa_server(tmp_path):
    server = tsa.start(tmp_path)
    yield server
    server.stop()


def test_timestamp_from_a_real_rfc3161_server(settings, tsa_server, document_pdf, personal, tmp_path):
    settings.TSA_URL = tsa_server.url
    # Not trusted yet: the timestamp is flagged.
    signed = signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    report = signatures.validate_pdf(signed)
    assert report.signatures[0].timestamped and not report.ok
    assert "timestamp" in " ".join(str(p) for p in report.problems)
    # The registry trusts the TSA's root: all good, the signing time is the TSA's.
    ca.register_certificate(
        x509.load_der_x509_certificate(tsa_server.root_der), kind=CertificateKind.AUTHORITY, trusted=True
    )
    report = signatures.validate_pdf(signed)
    assert report.ok and report.signatures[0].timestamped
    assert abs(report.signing_time - timezone.now()) < timedelta(minutes=1)
    path = tmp_path / "ts.pdf"
    path.write_bytes(signed)
    assert "Signature is Valid." in pdfsig(path)


def test_an_unreachable_tsa_refuses_to_sign(settings, document_pdf, personal):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    settings.TSA_URL = f"http://127.0.0.1:{port}/tsa"
    settings.TSA_TIMEOUT = "2"
    with pytest.raises(signatures.SignatureError, match="time-stamping server did not answer"):
        signatures.sign_pdf(document_pdf, personal, PASSPHRASE)
    # Asked for no timestamp, it signs.
    assert signatures.validate_pdf(
        signatures.sign_pdf(document_pdf, personal, PASSPHRASE, timestamp=False)
    ).ok


def test_registry_rows_match_the_certificates(personal):
    cert = x509.load_der_x509_certificate(bytes(personal.der))
    assert personal.serial_number == f"{cert.serial_number:X}"
    assert personal.subject == cert.subject.rfc4514_string() and personal.common_name == "Dương Văn Thành"
    assert (
        personal.issuer_certificate.trusted and personal.issuer_certificate.kind == CertificateKind.AUTHORITY
    )
