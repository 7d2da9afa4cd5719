"""Digital signatures on PDF documents: sign (PAdES) and validate. The service API.

Signing (PAdES baseline B, or B-T with a timestamp, through pyHanko; the
appearance of Decree 30/2020/NĐ-CP, see :mod:`documents.appearance`)::

    sign_pdf(pdf_bytes, certificate, passphrase, *, appearance=None, reason="", location="",
             timestamp=True) -> bytes
        The signer's signature (on approval). ``certificate``: a usable
        personal :class:`~documents.models.Certificate` whose key the portal
        holds; ``passphrase``: its holder's passphrase, which decrypts the key
        in memory for this one call (never stored, never logged). The caller
        checks that the person asking is the holder (``certificate.owner``).
        ``appearance``: an :class:`~documents.appearance.Appearance` (page,
        box, title lines, name); by default the holder's signature image and
        full name at the bottom right of the last page.

    sign_as_organisation(pdf_bytes, certificate, *, number="", attachment=False, appearance=None,
                         reason="", location="", timestamp=True) -> bytes
        The organisation's signature (on issue), with the key encrypted under
        ``ORG_SIGNING_KEY_SECRET``. On the document itself: the seal image at
        its real size over the left third of the last signer's signature
        (or ``appearance.box``). With ``attachment=True``: no image, the
        ``number`` (e.g. ``"05/QĐ-UBND"``) and the ISO 8601 signing time at the
        top right of page 1.

    Both return the signed PDF (an incremental update: earlier signatures
    stay valid) and raise :class:`SignatureError` with a message in the
    user's language when they cannot sign (wrong passphrase, revoked or
    expired certificate, no key, not a PDF, time-stamping server down).
    With ``TSA_URL`` set and ``timestamp=True`` the signature carries an
    RFC 3161 timestamp from that server.

Validating (what the clerk sees on arrival of an incoming document)::

    validate_pdf(pdf_bytes) -> ValidationReport
        Never raises for bad input: an unsigned, damaged or tampered file
        gives a report that says so (flagged, not rejected). Each signature
        is checked for integrity (the signed bytes are unchanged), validity
        (the signature matches the certificate), trust (a chain to a trusted
        root of the registry, valid now), the registry's revocation state,
        and changes made after it. :class:`ValidationReport` has the summary
        (``signed``, ``intact``, ``valid``, ``trusted``, ``revoked``,
        ``signer_subject``, ``signing_time``, ``certificate_serial``,
        ``problems``) and one :class:`SignatureCheck` per signature;
        ``templates/documents/_signature_report.html`` renders it
        (``{% include "documents/_signature_report.html" with report=report %}``).

Check the result independently with poppler's ``pdfsig`` (see the README).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.units import mm

from documents import appearance as look
from documents import conf, keys
from documents.models import Certificate, CertificateKind, CertificateState, KeyProtection

log = logging.getLogger(__name__)

__all__ = [
    "Appearance",
    "SignatureCheck",
    "SignatureError",
    "ValidationReport",
    "sign_as_organisation",
    "sign_pdf",
    "validate_pdf",
]

Appearance = look.Appearance
MAX_PDF_BYTES = 100 * 1024 * 1024


class SignatureError(Exception):
    """Signing refused or failed; ``message`` is for the user (translated)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def _run(coro):
    """Run a pyHanko coroutine from sync code, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --- signing ------------------------------------------------------------------------


def _asn1(cert: Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(bytes(cert.der))


def _issuers(cert: Certificate) -> list[asn1_x509.Certificate]:
    chain, seen, node = [], {cert.pk}, cert.issuer_certificate
    while node is not None and node.pk not in seen:
        chain.append(_asn1(node))
        seen.add(node.pk)
        node = node.issuer_certificate
    return chain


def _check_usable(cert: Certificate, kind: str, protection: str) -> None:
    if cert.kind != kind:
        raise SignatureError(
            _("This is not a personal certificate.")
            if kind == CertificateKind.PERSONAL
            else _("This is not an organisation's certificate.")
        )
    state = cert.state()
    if state == CertificateState.REVOKED:
        raise SignatureError(_("The certificate was revoked: it can no longer sign."))
    if state == CertificateState.EXPIRED:
        raise SignatureError(_("The certificate has expired: it can no longer sign."))
    if state == CertificateState.NOT_YET_VALID:
        raise SignatureError(_("The certificate is not valid yet."))
    if cert.key_protection != protection or not cert.encrypted_key:
        raise SignatureError(_("The portal does not hold the private key of this certificate."))


@dataclass
class _Widget:
    page: int
    box: tuple[float, float, float, float]
    name: str


def _reader(pdf_bytes: bytes) -> PdfFileReader:
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview) or not bytes(
        pdf_bytes[:1024]
    ).lstrip().startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    reader = PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=False)
    if reader.encrypted:
        raise ValueError("encrypted")
    return reader


def _deref(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _pages(reader: PdfFileReader) -> list:
    out: list = []

    def walk(node, depth=0):
        if depth > 64:  # a looping page tree
            raise ValueError("page tree too deep")
        if "/Kids" in node:
            for kid in node["/Kids"]:
                walk(_deref(kid), depth + 1)
        else:
            out.append(node)

    walk(reader.root["/Pages"])
    return out


def _page_size(page) -> tuple[float, float]:
    node = page
    while node is not None:
        if "/MediaBox" in node:
            x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
            return abs(x2 - x1), abs(y2 - y1)
        node = _deref(node.get("/Parent"))
    return 595.28, 841.89


def _signed_widgets(pages: list) -> list[_Widget]:
    """Visible, filled signature fields in page order."""
    found = []
    for index, page in enumerate(pages):
        for annot in _deref(page.get("/Annots")) or []:
            try:
                annot = _deref(annot)
                if annot.get("/Subtype") != "/Widget":
                    continue
                parent = _deref(annot.get("/Parent")) or {}
                if (annot.get("/FT") or parent.get("/FT")) != "/Sig":
                    continue
                if annot.get("/V") is None and parent.get("/V") is None:
                    continue
                x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
                if abs(x2 - x1) < 1 or abs(y2 - y1) < 1:
                    continue
                name = str(annot.get("/T") or parent.get("/T") or "")
                found.append(_Widget(index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), name))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
    return found


def _field_name(reader: PdfFileReader, prefix: str) -> str:
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _page_index(page: int | None, default: int, count: int) -> int:
    index = default if page is None else page
    if index < 0:
        index += count
    if not 0 <= index < count:
        raise SignatureError(_("The document has no such page."))
    return index


def _timestamper(timestamp: bool):
    url = conf.tsa_url() if timestamp else ""
    return HTTPTimeStamper(url, timeout=conf.tsa_timeout()) if url else None


def _sign(
    pdf_bytes: bytes,
    cert: Certificate,
    private_key,
    *,
    prefix: str,
    place,
    style,
    reason: str,
    location: str,
    name: str,
    timestamp: bool,
) -> bytes:
    """``place(reader, pages) -> (page index, box)`` or ``None`` for an invisible signature."""
    if len(pdf_bytes) > MAX_PDF_BYTES:
        raise SignatureError(_("The file is too large to sign (at most 100 MB)."))
    try:
        reader = _reader(pdf_bytes)
        pages = _pages(reader)
        field_name = _field_name(reader, prefix)
    except SignatureError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means the same thing to the user
        raise SignatureError(_("The file is not a PDF the portal can sign (damaged or encrypted).")) from None
    where = place(reader, pages) if style is not None else None
    spec = (
        fields.SigFieldSpec(field_name, on_page=where[0], box=tuple(round(v, 2) for v in where[1]))
        if where
        else fields.SigFieldSpec(field_name)
    )
    key_info = asn1_keys.PrivateKeyInfo.load(
        private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1(cert),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs(_issuers(cert)),
    )
    meta = PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=name or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    pdf_signer = PdfSigner(
        meta,
        signer,
        timestamper=_timestamper(timestamp),
        stamp_style=style if where else None,
        new_field_spec=spec,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf_bytes)), strict=False)
        out = _run(pdf_signer.async_sign_pdf(writer))
    except TimestampRequestError:
        raise SignatureError(_("The time-stamping server did not answer: try again later.")) from None
    except (SigningError, ValueError, KeyError, TypeError) as exc:
        log.warning("signing failed for certificate %s: %s", cert.pk, type(exc).__name__)
        raise SignatureError(_("The document could not be signed (the file may be damaged).")) from None
    return out.getvalue()


def sign_pdf(
    pdf_bytes: bytes,
    certificate: Certificate,
    passphrase: str,
    *,
    appearance: look.Appearance | None = None,
    reason: str = "",
    location: str = "",
    timestamp: bool = True,
) -> bytes:
    """The signer's PAdES signature with their image and name (see the module docstring)."""
    _check_usable(certificate, CertificateKind.PERSONAL, KeyProtection.PASSPHRASE)
    if not isinstance(passphrase, str) or not passphrase:
        raise SignatureError(_("Enter the passphrase of your signing key."))
    try:
        private_key = keys.decrypt_private_key(certificate.encrypted_key, passphrase)
    except keys.WrongPassphrase:
        raise SignatureError(_("The passphrase is not correct.")) from None
    look_ = appearance or look.Appearance()
    owner = certificate.owner
    name = look_.name or (owner.full_name if owner else "") or certificate.common_name
    width, height = look.SIGNER_SIZE
    if look_.box:
        width, height = look_.box[2] - look_.box[0], look_.box[3] - look_.box[1]
    if width < 20 or height < 20:
        raise SignatureError(_("The signature box is too small."))
    image = bytes(certificate.image) if certificate.image else None

    def draw(_ts: str) -> bytes:
        return look.signer_drawing(width, height, image=image, title=look_.title, name=name)

    def place(_reader, pages):
        index = _page_index(look_.page, -1, len(pages))
        return index, look_.box or look.default_signer_box(*_page_size(pages[index]))

    return _sign(
        pdf_bytes,
        certificate,
        private_key,
        prefix="Signer",
        place=place,
        style=look.DrawnStampStyle(draw=draw) if look_.visible else None,
        reason=reason,
        location=location,
        name=name,
        timestamp=timestamp,
    )


def sign_as_organisation(
    pdf_bytes: bytes,
    certificate: Certificate,
    *,
    number: str = "",
    attachment: bool = False,
    appearance: look.Appearance | None = None,
    reason: str = "",
    location: str = "",
    timestamp: bool = True,
) -> bytes:
    """The organisation's PAdES signature: the seal over the signer's, or number and time on an attachment."""
    _check_usable(certificate, CertificateKind.ORGANISATION, KeyProtection.ENVIRONMENT)
    number = (number or "").replace("\x00", "").strip()[:60]
    if attachment and not number:
        raise SignatureError(_("An attachment is signed with the number and symbol of its document."))
    try:
        private_key = keys.decrypt_organisation_key(certificate.encrypted_key)
    except keys.WrongPassphrase:
        log.error("ORG_SIGNING_KEY_SECRET does not open the key of certificate %s", certificate.pk)
        raise SignatureError(
            _("The organisation's key cannot be opened: tell the system administrator.")
        ) from None
    look_ = appearance or look.Appearance()
    org_name = certificate.unit.name if certificate.unit_id else certificate.common_name
    reason = reason or (format_lazy("{} {}", _("Issued as"), number) if number else "")

    if attachment:

        def draw(ts: str) -> bytes:
            w, h = look.ATTACHMENT_SIZE
            return look.attachment_drawing(w, h, number=number, ts=ts)

        def place(_reader, pages):
            index = _page_index(look_.page, 0, len(pages))
            return index, look_.box or look.attachment_box(*_page_size(pages[index]))

        style = look.DrawnStampStyle(draw=draw) if look_.visible else None
    else:
        image = bytes(certificate.image) if certificate.image else None
        if look_.visible and not image:
            raise SignatureError(_("The organisation's certificate has no seal image."))
        aspect = look.image_aspect(image) if image else 1.0

        def place(_reader, pages):
            if look_.box:
                return _page_index(look_.page, -1, len(pages)), look_.box
            widgets = _signed_widgets(pages)
            own = [w for w in widgets if w.name.startswith("Signer")] or widgets
            if own:
                target = own[-1]
                return target.page, look.seal_box(target.box, certificate.image_width_mm, aspect)
            index = _page_index(look_.page, -1, len(pages))
            signer_box = look.default_signer_box(*_page_size(pages[index]))
            return index, look.seal_box(signer_box, certificate.image_width_mm, aspect)

        def draw(_ts: str) -> bytes:
            width = certificate.image_width_mm * mm
            return look.seal_drawing(width, width * aspect, image=image)

        style = look.DrawnStampStyle(draw=draw) if look_.visible else None

    return _sign(
        pdf_bytes,
        certificate,
        private_key,
        prefix="Organisation",
        place=place,
        style=style,
        reason=str(reason),
        location=location,
        name=org_name,
        timestamp=timestamp,
    )


# --- validation --------------------------------------------------------------------------


@dataclass
class SignatureCheck:
    """One signature of a document, as checked."""

    field_name: str = ""
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    signer_subject: str = ""
    signer_name: str = ""
    signing_time: datetime | None = None
    timestamped: bool = False
    certificate_serial: str = ""
    certificate_fingerprint: str = ""
    certificate: Certificate | None = None  # the registry's row, when it holds this certificate
    revoked: bool = False
    revoked_at: datetime | None = None
    covers_document: bool = False
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.revoked and not self.problems


@dataclass
class ValidationReport:
    """The result of :func:`validate_pdf` (summary properties read every signature)."""

    signatures: list[SignatureCheck] = field(default_factory=list)
    document_problems: list = field(default_factory=list)
    readable: bool = True

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def intact(self) -> bool:
        return self.signed and all(s.intact for s in self.signatures)

    @property
    def valid(self) -> bool:
        return self.signed and all(s.valid for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.signed and all(s.trusted for s in self.signatures)

    @property
    def revoked(self) -> bool:
        return any(s.revoked for s in self.signatures)

    @property
    def ok(self) -> bool:
        return self.signed and all(s.ok for s in self.signatures) and not self.document_problems

    @property
    def first(self) -> SignatureCheck | None:
        return self.signatures[0] if self.signatures else None

    # "Who and when": the first signature is the author's (the signer's, before the seal).
    @property
    def signer_subject(self) -> str:
        return self.first.signer_subject if self.first else ""

    @property
    def signing_time(self) -> datetime | None:
        return self.first.signing_time if self.first else None

    @property
    def certificate_serial(self) -> str:
        return self.first.certificate_serial if self.first else ""

    @property
    def problems(self) -> list:
        out = list(self.document_problems)
        many = len(self.signatures) > 1
        for check in self.signatures:
            for problem in check.problems:
                out.append(
                    format_lazy("{}: {}", check.signer_name or check.field_name, problem) if many else problem
                )
        return out

    def as_dict(self) -> dict:
        """Plain data (strings in the active language) to store beside the document or log."""
        return {
            "signed": self.signed,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "revoked": self.revoked,
            "problems": [str(p) for p in self.problems],
            "signatures": [
                {
                    "field": s.field_name,
                    "intact": s.intact,
                    "valid": s.valid,
                    "trusted": s.trusted,
                    "revoked": s.revoked,
                    "subject": s.signer_subject,
                    "signing_time": s.signing_time.isoformat() if s.signing_time else None,
                    "timestamped": s.timestamped,
                    "serial": s.certificate_serial,
                    "fingerprint": s.certificate_fingerprint,
                    "problems": [str(p) for p in s.problems],
                }
                for s in self.signatures
            ],
        }


def validation_context() -> ValidationContext:
    """Trust anchors from the registry (trusted, unrevoked authorities); no network fetching."""
    roots, others = [], []
    for cert in Certificate.objects.filter(kind=CertificateKind.AUTHORITY).only(
        "der", "trusted", "revoked_at"
    ):
        (roots if cert.trusted and cert.revoked_at is None else others).append(_asn1(cert))
    return ValidationContext(
        trust_roots=roots, other_certs=others, allow_fetching=False, revocation_mode="soft-fail"
    )


def _fingerprint(cert: asn1_x509.Certificate) -> str:
    return cert.sha256.hex()


def _check(embedded, context: ValidationContext, registry: dict[str, Certificate]) -> SignatureCheck:
    check = SignatureCheck(field_name=str(embedded.field_name or ""))
    try:
        cert = embedded.signer_cert
        check.signer_subject = cert.subject.human_friendly
        names = cert.subject.native
        check.signer_name = str(names.get("common_name") or check.signer_subject)
        check.certificate_serial = f"{cert.serial_number:X}"
        check.certificate_fingerprint = _fingerprint(cert)
    except Exception:  # noqa: BLE001 - a signature whose certificate cannot be read
        check.problems.append(_("The signature cannot be read (its certificate is missing or damaged)."))
        return check
    try:
        status = _run(
            async_validate_pdf_signature(
                embedded, signer_validation_context=context, ts_validation_context=context
            )
        )
    except Exception as exc:  # noqa: BLE001 - malformed signatures are reported, never raised
        log.info("signature %s could not be validated: %s", check.field_name, type(exc).__name__)
        check.problems.append(_("The signature cannot be read (it is damaged)."))
        return check
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    ts = status.timestamp_validity
    check.timestamped = ts is not None
    check.signing_time = ts.timestamp if ts is not None else status.signer_reported_dt
    coverage = status.coverage
    level = status.modification_level
    check.covers_document = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None
        and level <= ModificationLevel.FORM_FILLING
        and status.docmdp_ok is not False
    )
    if not check.intact:
        check.problems.append(
            _("The document was changed after it was signed: its content no longer matches.")
        )
    elif not check.valid:
        check.problems.append(_("The signature does not match the signer's certificate."))
    if check.intact and not check.covers_document:
        check.problems.append(_("Parts of the file were added or changed after this signature."))
    if not check.trusted:
        if cert.not_valid_after < (status.validation_time or timezone.now()):
            check.problems.append(_("The signer's certificate has expired."))
        else:
            check.problems.append(
                _("The signer's certificate does not come from a trusted certificate authority.")
            )
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        check.problems.append(_("The signature's timestamp is not valid or not trusted."))
    row = registry.get(check.certificate_fingerprint)
    check.certificate = row
    if row is not None and row.revoked_at is not None:
        check.revoked = True
        check.revoked_at = row.revoked_at
        check.problems.append(
            format_lazy(
                _("The certificate was revoked on {date} ({reason})."),
                date=timezone.localtime(row.revoked_at).strftime("%d/%m/%Y %H:%M"),
                reason=row.get_revocation_reason_display(),
            )
        )
    return check


def validate_pdf(pdf_bytes: bytes) -> ValidationReport:
    """Check every signature of a PDF; flags, never raises (see the module docstring)."""
    report = ValidationReport()
    try:
        if len(pdf_bytes) > MAX_PDF_BYTES:
            raise ValueError("too large")
        reader = _reader(pdf_bytes)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 - whatever the parser says, the clerk sees one message
        report.readable = False
        report.document_problems.append(
            _("The file cannot be read as a PDF (damaged, encrypted or not a PDF).")
        )
        return report
    if not embedded:
        report.document_problems.append(_("The document carries no digital signature."))
        return report
    context = validation_context()
    fingerprints = []
    for sig in embedded:
        try:
            fingerprints.append(_fingerprint(sig.signer_cert))
        except Exception:  # noqa: BLE001,S112
            continue
    registry = {c.fingerprint: c for c in Certificate.objects.filter(fingerprint__in=fingerprints)}
    report.signatures = [_check(sig, context, registry) for sig in embedded]
    return report
