"""Every write of the documents app: its public API (other apps call these, nothing else).

Each service validates before writing, runs in one transaction, locks the
document row, asks ``documents.workflow`` whether the step is allowed (a
:class:`WorkflowError` with the reason otherwise), appends a
:class:`~documents.models.DocumentEvent` and an audit row, and leaves slow
side effects (reading the files' text, OCR) until after the commit.

Outgoing: :func:`create_draft`, :func:`revise_draft`, :func:`submit_draft`,
:func:`approve_draft`, :func:`sign_document`, :func:`send_back`,
:func:`issue_document` (numbers, registers, delivers), :func:`withdraw_document`.
A replacement is a draft created with ``replaces=``: issuing it withdraws the
old one.

Incoming: :func:`register_incoming` (paper or e-mail, straight into the
register), :func:`accept_arrived` / :func:`refuse_arrived` (a document
delivered inside the system or imported), :func:`assign_document`,
:func:`pass_down`, :func:`report_coordination`, :func:`close_document`.

Exchange: delivery inside the system happens on issue; each recipient's copy
sends QCVN 102:2016 status messages back (:func:`send_status`). Packages for
agencies outside the system: ``documents.exchange``.

For other apps: :data:`documents.signals.document_issued` is sent after the
commit of every issue (the website's legal library listens for
``public=True``), and :func:`public_documents` lists what is published.
"""

from __future__ import annotations

import io
import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents import signals
from documents import text as doctext
from documents import workflow as wf
from documents.models import (
    Assignment,
    Certificate,
    CertificateKind,
    Direction,
    Document,
    DocumentFile,
    DocumentRecipient,
    DocumentStatus,
    DocumentType,
    Medium,
    RevocationReason,
    Secrecy,
    StatusCode,
    StatusMessage,
    Timeliness,
    Urgency,
)
from documents.workflow import DocumentAction, WorkflowError
from portal import audit, cases, workdays
from portal.models import Unit
from portal.scoping import sees_everything
from portal.uploads import OFFICE_DOCUMENTS, Policy, check_upload, store
from portal.workflow import actor_user

log = logging.getLogger(__name__)

__all__ = [
    "WorkflowError",
    "next_number",
    "notation_for",
    "create_draft",
    "revise_draft",
    "submit_draft",
    "approve_draft",
    "sign_document",
    "send_back",
    "issue_document",
    "withdraw_document",
    "register_incoming",
    "accept_arrived",
    "refuse_arrived",
    "assign_document",
    "pass_down",
    "report_coordination",
    "close_document",
    "send_status",
    "read_file_text",
    "public_documents",
]

A = DocumentAction
S = DocumentStatus
S_NORMAL, S_SECRET, S_ARRIVAL = "normal", "secret", "arrival"

# Drafts: DOCX or PDF (Decree 30/2020: the draft is edited, the signed original is a PDF).
DRAFTS = Policy(
    "document_draft",
    {".docx": OFFICE_DOCUMENTS.allowed[".docx"], ".pdf": OFFICE_DOCUMENTS.allowed[".pdf"]},
    max_bytes=OFFICE_DOCUMENTS.max_bytes,
    description=gettext_lazy("DOCX or PDF"),
)
SIGNED = Policy(
    "document_signed",
    {".pdf": OFFICE_DOCUMENTS.allowed[".pdf"]},
    max_bytes=50 * 1024 * 1024,
    description="PDF",
)
INCOMING = Policy(
    "document_incoming",
    {".pdf": OFFICE_DOCUMENTS.allowed[".pdf"], ".docx": OFFICE_DOCUMENTS.allowed[".docx"]},
    max_bytes=50 * 1024 * 1024,
    description=gettext_lazy("PDF or DOCX"),
)
SUMMARY_MAX = 2000
NOTE_MAX = 2000


# --- helpers ------------------------------------------------------------------------------


def _clean_text(value, field: str, label: str, required=True, max_length=SUMMARY_MAX) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: [_("%(label)s is required.") % {"label": label}]})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: [
                    _("%(label)s is too long (at most %(n)s characters).") % {"label": label, "n": max_length}
                ]
            }
        )
    return text


def _note(note) -> str:
    return _clean_text(note, "note", _("The note"), required=False, max_length=NOTE_MAX)


def _transition(doc: Document, action: str, actor) -> tuple[Document, str]:
    moved = cases.transition(wf.WORKFLOW, doc, action, actor, "doc_type", "unit")
    return moved.case, moved.from_status


def _event(doc: Document, action: str, actor, from_status: str = "", note: str = "", **data):
    return cases.record_event(doc, action, actor, from_status, note, **data)


def _add_units(doc: Document, *unit_ids) -> None:
    doc.unit_ids = sorted({*doc.unit_ids, *(u for u in unit_ids if u)})


def next_number(unit: Unit | int, year: int, series: str) -> int:
    """The next number of ``series`` for ``unit`` in ``year``: one atomic upsert.

    Call it inside the transaction that uses the number: the counter row
    stays locked until that transaction ends, so concurrent issuers queue on
    it and get consecutive numbers, and a transaction that fails gives its
    number back (gap-free). Numbers run from 1 each 1 January.
    """
    unit_id = unit if isinstance(unit, int) else unit.pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO documents_numbercounter (unit_id, year, series, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (unit_id, year, series) DO UPDATE SET last = documents_numbercounter.last + 1
            RETURNING last
            """,
            [unit_id, year, series],
        )
        (number,) = cursor.fetchone()
    return number


def notation_for(doc: Document, number: int) -> str:
    """Number and symbol (Decree 30/2020 Art. 8 and Appendix I): ``05/QĐ-UBND``; công văn ``45/UBND-VP``.

    The number is zero-padded below 10; the symbol joins the type's
    abbreviation and the issuer's with a hyphen (for a công văn: the
    issuer's and the drafting unit's), no spaces.
    """
    issuer = (doc.unit.short_name or doc.unit.code).replace(" ", "")
    if doc.doc_type.is_letter or not doc.doc_type.abbreviation:
        drafting = doc.drafting_unit
        parts = [issuer]
        if drafting is not None and drafting.pk != doc.unit_id and drafting.short_name:
            parts.append(drafting.short_name.replace(" ", ""))
        symbol = "-".join(parts)
    else:
        symbol = f"{doc.doc_type.abbreviation}-{issuer}"
    return f"{number:02d}/{symbol}"


def _store_file(doc: Document, uploaded, policy: Policy, kind: str, user, version: int = 1, note: str = ""):
    record = DocumentFile(document=doc, kind=kind, version=version, uploaded_by=actor_user(user), note=note)
    store(record, uploaded, policy)
    record.save()
    transaction.on_commit(lambda: read_file_text(record.pk))
    return record


def _check_file(uploaded, policy: Policy, field: str = "file"):
    try:
        return check_upload(uploaded, policy)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages})


def refresh_search(doc: Document) -> None:
    """Rebuild the document's folded search text from its fields and its files' text."""
    texts = list(
        DocumentFile.objects.filter(document=doc)
        .exclude(text="")
        .exclude(kind=DocumentFile.Kind.DRAFT, document__status__in=[S.ISSUED, S.WITHDRAWN])
        .values_list("text", flat=True)
    )
    Document.objects.filter(pk=doc.pk).update(search_text=doctext.search_text(doc, texts))


def read_file_text(file_id: int) -> str:
    """Read a stored file's text (after the commit; or in the task); queue OCR for a scan.

    Returns the file's new text state. Idempotent: a file already read is left alone.
    """
    from portal.queue import send_now

    record = (
        DocumentFile.objects.select_related("document", "document__doc_type", "document__unit")
        .filter(pk=file_id)
        .first()
    )
    if record is None or record.text_state == DocumentFile.TextState.DONE:
        return record.text_state if record else ""
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return record.text_state
    text, needs_ocr = doctext.extract(data, record.content_type)
    if needs_ocr:
        state = DocumentFile.TextState.OCR_PENDING
    else:
        state = DocumentFile.TextState.DONE if text else DocumentFile.TextState.NONE
    DocumentFile.objects.filter(pk=record.pk).update(text=text, text_state=state)
    refresh_search(record.document)
    check_signatures(record, data)
    if needs_ocr:
        from documents.tasks import ocr_file

        send_now(ocr_file, record.pk)
    return state


def check_signatures(record: DocumentFile, data: bytes | None = None) -> dict | None:
    """Validate the signatures of an incoming document's PDF on arrival; the clerk sees the report.

    Flags, never rejects: an unsigned scan or a tampered file is registered
    all the same, with the report saying so.
    """
    from documents import signatures

    doc = record.document
    if doc.direction != Direction.INCOMING or record.kind != DocumentFile.Kind.MAIN:
        return None
    if record.content_type != "application/pdf":
        return None
    report = signatures.validate_pdf(data if data is not None else _read(record)).as_dict()
    Document.objects.filter(pk=doc.pk).update(signature_report=report)
    return report


def ocr_file(file_id: int) -> str:
    """OCR a scanned PDF with Tesseract (Vietnamese) and index its text; idempotent."""
    record = (
        DocumentFile.objects.select_related("document", "document__doc_type", "document__unit")
        .filter(pk=file_id, text_state=DocumentFile.TextState.OCR_PENDING)
        .first()
    )
    if record is None:
        return "skipped"
    with record.file.open("rb") as handle:
        data = handle.read()
    text = doctext.ocr_pdf(data)
    state = DocumentFile.TextState.DONE if text else DocumentFile.TextState.NONE
    DocumentFile.objects.filter(pk=record.pk, text_state=DocumentFile.TextState.OCR_PENDING).update(
        text=text, text_state=state
    )
    refresh_search(record.document)
    return state


def _choice(value, choices, field, label):
    if value not in choices.values:
        raise ValidationError({field: [_("Choose a valid %(label)s.") % {"label": label}]})
    return value


def _common_fields(data: dict) -> dict:
    doc_type = data.get("doc_type")
    if not isinstance(doc_type, DocumentType) or not doc_type.active:
        raise ValidationError({"doc_type": [_("Choose a document type.")]})
    return {
        "doc_type": doc_type,
        "summary": _clean_text(data.get("summary"), "summary", _("The summary")),
        "urgency": _choice(data.get("urgency") or Urgency.NORMAL, Urgency, "urgency", _("urgency")),
        "secrecy": _choice(data.get("secrecy") or Secrecy.NONE, Secrecy, "secrecy", _("secrecy")),
    }


# --- outgoing ---------------------------------------------------------------------------


def _external(lines) -> list[tuple[str, str]]:
    """``agency id | name`` lines of recipients outside the system."""
    out = []
    for line in lines or []:
        line = str(line).replace("\x00", "").strip()
        if not line:
            continue
        agency, _sep, name = line.partition("|")
        agency, name = agency.strip()[:32], (name.strip() or agency.strip())[:255]
        out.append((agency if _sep else "", name))
    return out


@transaction.atomic
def create_draft(user, data: dict, file, *, replaces: Document | None = None) -> Document:
    """A specialist's draft: type, summary, urgency, secrecy, recipients and the file (version 1).

    ``data``: ``doc_type``, ``summary``, ``urgency``, ``secrecy``, ``issuing_unit`` (the body that
    will issue it; default the drafter's unit), ``signer`` (optional), ``signing_authority``,
    ``signer_title``, ``recipient_units`` (units inside the system), ``external_recipients``
    (lines ``agency id | name``), ``recipients_text`` (the "Nơi nhận" block), ``public``.
    """
    if not (
        user.is_staff and user.unit_id and (user.is_superuser or user.has_perm("documents.draft_document"))
    ):
        raise WorkflowError(_("Your role does not allow drafting documents."))
    fields = _common_fields(data)
    _check_file(file, DRAFTS)
    issuing = data.get("issuing_unit") or user.unit
    if not isinstance(issuing, Unit) or not (
        issuing.pk == user.unit_id or user.unit.path.startswith(issuing.path) or user.is_superuser
    ):
        raise ValidationError({"issuing_unit": [_("A draft is issued by your unit or a unit above it.")]})
    signer = data.get("signer")
    if signer is not None and (signer.unit_id != issuing.pk or not signer.is_active):
        raise ValidationError({"signer": [_("The signer must be a member of the issuing body.")]})
    units = [u for u in (data.get("recipient_units") or []) if isinstance(u, Unit)]
    external = _external(data.get("external_recipients"))
    if replaces is not None:
        if replaces.direction != Direction.OUTGOING or replaces.status != S.ISSUED:
            raise ValidationError(_("Only an issued document can be replaced."))
        if replaces.unit_id != issuing.pk:
            raise ValidationError(_("A replacement is issued by the same body."))
    doc = Document(
        direction=Direction.OUTGOING,
        status=S.DRAFT,
        unit=issuing,
        drafting_unit=user.unit,
        drafted_by=user,
        signer=signer,
        signing_authority=data.get("signing_authority"),
        signer_title=_clean_text(data.get("signer_title"), "signer_title", _("The title"), False, 200),
        recipients_text=_clean_text(data.get("recipients_text"), "recipients_text", _("Recipients"), False),
        public=bool(data.get("public")),
        replaces=replaces,
        medium=Medium.ELECTRONIC,
        **fields,
    )
    _add_units(doc, issuing.pk, user.unit_id)
    doc.search_text = doctext.search_text(doc)
    doc.save()
    for unit in units:
        DocumentRecipient.objects.get_or_create(document=doc, unit=unit, defaults={"name": unit.name})
    for agency, name in external:
        DocumentRecipient.objects.create(document=doc, agency_id=agency, name=name)
    _store_file(doc, file, DRAFTS, DocumentFile.Kind.DRAFT, user, version=1)
    _event(doc, A.CREATE_DRAFT, user, "", replaces=replaces.notation if replaces else "")
    return doc


@transaction.atomic
def revise_draft(doc: Document, user, file, note: str = "") -> DocumentFile:
    """A new version of the draft (the earlier ones are kept)."""
    note = _note(note)
    _check_file(file, DRAFTS)
    locked, from_status = _transition(doc, A.REVISE, user)
    version = (
        locked.files.filter(kind=DocumentFile.Kind.DRAFT)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    record = _store_file(locked, file, DRAFTS, DocumentFile.Kind.DRAFT, user, version=version, note=note)
    locked.save()
    _event(locked, A.REVISE, user, from_status, note, version=version)
    return record


def _move(doc: Document, action: str, user, note: str = "", **data) -> Document:
    note = _note(note)
    locked, from_status = _transition(doc, action, user)
    for key, value in data.items():
        setattr(locked, key, value)
    locked.save()
    _event(locked, action, user, from_status, note)
    return locked


@transaction.atomic
def submit_draft(doc: Document, user, note: str = "") -> Document:
    return _move(doc, A.SUBMIT, user, note)


@transaction.atomic
def approve_draft(doc: Document, user, note: str = "") -> Document:
    """The drafting unit's leader approves the draft: it goes to the signer."""
    return _move(doc, A.APPROVE_DRAFT, user, note, reviewer=user)


def _read(record: DocumentFile) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def _signed_version(doc: Document, data: bytes, name: str, user, note: str) -> DocumentFile:
    from portal.uploads import store_bytes

    version = (doc.files.filter(kind=DocumentFile.Kind.SIGNED).aggregate(v=Max("version"))["v"] or 0) + 1
    record = DocumentFile(
        document=doc, kind=DocumentFile.Kind.SIGNED, version=version, uploaded_by=actor_user(user), note=note
    )
    store_bytes(record, data, name, "application/pdf")
    record.save()
    transaction.on_commit(lambda: read_file_text(record.pk))
    return record


@transaction.atomic
def sign_document(doc: Document, user, note: str = "", signed_file=None, passphrase: str = "") -> Document:
    """The signer approves and signs (Decree 30/2020 Art. 13).

    - With ``passphrase``: the signer's PAdES signature (``documents.signatures.sign_pdf``)
      on the latest PDF version, with their personal certificate, whose key
      the passphrase unlocks for this call only (never stored);
    - with ``signed_file``: a PDF signed elsewhere (a USB token) becomes the signed original;
    - with neither: the approval is recorded (a paper signature follows).
    """
    from documents import selectors, signatures

    note = _note(note)
    if signed_file is not None:
        _check_file(signed_file, SIGNED)
    locked, from_status = _transition(doc, A.SIGN, user)
    signed_bytes = None
    if passphrase and signed_file is None:
        certificate = selectors.personal_certificate(user)
        if certificate is None:
            raise ValidationError(
                {"passphrase": [_("You have no valid personal certificate in the registry.")]}
            )
        source = (
            locked.files.filter(kind__in=[DocumentFile.Kind.DRAFT, DocumentFile.Kind.SIGNED])
            .filter(content_type="application/pdf")
            .order_by("-uploaded_at", "-id")
            .first()
        )
        if source is None:
            raise ValidationError(
                {"passphrase": [_("Only a PDF can be signed digitally: upload the draft as a PDF.")]}
            )
        try:
            signed_bytes = signatures.sign_pdf(_read(source), certificate, passphrase, reason=_("Approved"))
        except signatures.SignatureError as exc:
            raise ValidationError({"passphrase": [str(exc.message)]})
    locked.signer = locked.signer or user
    locked.signer_name = str(user)
    locked.signed_at = timezone.now()
    if signed_file is not None:
        _store_file(locked, signed_file, SIGNED, DocumentFile.Kind.SIGNED, user, note=_("Signed elsewhere"))
    if signed_bytes is not None:
        _signed_version(locked, signed_bytes, "ban-ky.pdf", user, _("Signed digitally by the signer"))
    locked.save()
    _event(
        locked,
        A.SIGN,
        user,
        from_status,
        note,
        uploaded=signed_file is not None,
        digital=signed_bytes is not None,
    )
    return locked


def _organisation_signature(doc: Document, clerk) -> bool:
    """The organisation's PAdES signature over the signed original, with the number (Decree 30/2020 Art. 18).

    Applied when the issuing body has a usable organisation certificate and the
    signed original is a PDF; a failure refuses the issue (no number consumed).
    """
    from documents import selectors, signatures

    certificate = selectors.organisation_certificate(doc.unit)
    source = doc.files.filter(kind=DocumentFile.Kind.SIGNED).order_by("-version", "-id").first()
    if certificate is None or source is None:
        return False
    try:
        data = signatures.sign_as_organisation(_read(source), certificate, number=doc.notation)
    except signatures.SignatureError as exc:
        raise ValidationError(str(exc.message))
    _signed_version(doc, data, f"{doc.notation.replace('/', '-')}.pdf", clerk, _("Organisation's signature"))
    return True


@transaction.atomic
def send_back(doc: Document, user, comments: str) -> Document:
    """Back to the drafter with comments, from review, signature or the clerk's check."""
    comments = _clean_text(comments, "note", _("The comments"), max_length=NOTE_MAX)
    locked, from_status = _transition(doc, A.SEND_BACK, user)
    locked.signed_at = None
    locked.save()
    _event(locked, A.SEND_BACK, user, from_status, comments)
    return locked


@transaction.atomic
def issue_document(doc: Document, clerk, note: str = "", when=None) -> Document:
    """The clerk numbers, registers and issues: the number comes from the body's series of the year.

    Inside the same transaction: the number (never consumed if anything here
    fails), the register line, the copies delivered into each internal
    recipient's incoming queue with status 01 (arrived), and the withdrawal
    of the document it replaces. After the commit: ``document_issued``.
    """
    note = _note(note)
    locked, from_status = _transition(doc, A.ISSUE, clerk)
    now = when or timezone.now()
    today = workdays.local(now).date()
    series = S_SECRET if locked.is_secret else S_NORMAL
    locked.number = next_number(locked.unit_id, today.year, series)
    locked.year = today.year
    locked.series = series
    locked.notation = notation_for(locked, locked.number)
    locked.document_date = locked.document_date or today
    locked.issued_at = now
    locked.issued_by = actor_user(clerk)
    if not locked.signer_name and locked.signer_id:
        locked.signer_name = str(locked.signer)
    locked.digitally_signed = _organisation_signature(locked, clerk)
    locked.search_text = doctext.search_text(locked)
    locked.save()
    _event(locked, A.ISSUE, clerk, from_status, note, number=locked.notation)
    for recipient in locked.recipients.filter(unit__isnull=False).select_related("unit"):
        _deliver(locked, recipient, clerk, now)
    if locked.replaces_id:
        _withdraw(
            locked.replaces,
            clerk,
            _("Replaced by %(notation)s.") % {"notation": locked.notation},
            now,
            replaced=locked,
        )
    document_id = locked.pk
    transaction.on_commit(
        lambda: refresh_search(Document.objects.select_related("doc_type", "unit").get(pk=document_id))
    )
    transaction.on_commit(lambda: signals.send_issued(document_id))
    return locked


def _copy_files(source: Document, copy: Document) -> None:
    """The recipient's copy shares the stored files (no bytes copied): the signed original, else the last draft."""
    main = (
        source.files.filter(kind=DocumentFile.Kind.SIGNED).order_by("-version", "-id").first()
        or source.files.filter(kind=DocumentFile.Kind.DRAFT).order_by("-version", "-id").first()
    )
    signed = [f for f in [main] if f] + list(source.files.filter(kind=DocumentFile.Kind.ATTACHMENT))
    for f in signed:
        DocumentFile.objects.create(
            document=copy,
            kind=DocumentFile.Kind.ATTACHMENT
            if f.kind == DocumentFile.Kind.ATTACHMENT
            else DocumentFile.Kind.MAIN,
            file=f.file.name,
            original_name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            text=f.text,
            text_state=f.text_state,
        )


def _deliver(source: Document, recipient: DocumentRecipient, actor, now) -> Document:
    """Deliver ``source`` into ``recipient.unit``'s incoming queue (no re-typing) with status 01."""
    copy = Document(
        direction=Direction.INCOMING,
        status=S.ARRIVED,
        doc_type=source.doc_type,
        summary=source.summary,
        urgency=source.urgency,
        secrecy=source.secrecy,
        medium=Medium.ELECTRONIC,
        unit=recipient.unit,
        notation=source.notation,
        document_date=source.document_date,
        signer_name=source.signer_name,
        sender_name=str(source.unit),
        sender_agency_id=source.unit.agency_id,
        source=source,
        arrived_at=now,
    )
    _add_units(copy, recipient.unit_id)
    copy.search_text = doctext.search_text(copy)
    copy.save()
    _copy_files(source, copy)
    recipient.copy = copy
    recipient.save(update_fields=["copy"])
    _event(copy, A.DELIVER, actor, "", "", sender=str(source.unit), number=source.notation)
    _status(recipient, StatusCode.ARRIVED, "", actor)
    return copy


def _status(recipient: DocumentRecipient, code: str, note: str, actor) -> StatusMessage:
    name = str(actor)[:200] if actor is not None else ""
    message = StatusMessage.objects.create(recipient=recipient, code=code, note=note[:500], by_name=name)
    DocumentRecipient.objects.filter(pk=recipient.pk).update(
        status=code, status_at=message.at, status_note=note[:500]
    )
    return message


def send_status(copy: Document, code: str, actor, note: str = "") -> StatusMessage | None:
    """A QCVN 102:2016 status message from an incoming copy back to its sender (inside the caller's transaction)."""
    recipient = DocumentRecipient.objects.filter(copy=copy).first()
    if recipient is None:
        return None
    return _status(recipient, code, note, actor)


def _withdraw(doc: Document, actor, reason: str, now, replaced=None) -> Document:
    locked = cases.lock(doc, "doc_type", "unit")
    if locked.status != S.ISSUED:
        raise WorkflowError(_("Only an issued document can be withdrawn."))
    from_status = locked.status
    locked.status = S.WITHDRAWN
    locked.voided_at = now
    locked.void_reason = reason[:500]
    locked.save()
    _event(locked, A.REPLACED if replaced is not None else A.WITHDRAW, actor, from_status, reason)
    for recipient in locked.recipients.select_related("copy"):
        if recipient.copy_id:
            copy = cases.lock(recipient.copy)
            if wf.WORKFLOW.table.get(copy.status, {}).get(A.CANCEL):
                copy_from = copy.status
                copy.status = S.CANCELLED
                copy.save()
                _event(copy, A.CANCEL, wf.SENDER, copy_from, reason)
        _status(recipient, StatusCode.WITHDRAWN, reason, actor)
    document_id, replaced_by = locked.pk, replaced.pk if replaced is not None else None
    transaction.on_commit(lambda: signals.send_withdrawn(document_id, replaced_by))
    return locked


@transaction.atomic
def withdraw_document(doc: Document, leader, reason: str) -> Document:
    """Withdraw an issued document: its number stays taken (voided), every recipient sees status 13."""
    reason = _clean_text(reason, "note", _("The reason"), max_length=500)
    wf.check(cases.lock(doc), A.WITHDRAW, leader)
    return _withdraw(doc, leader, reason, timezone.now())


# --- incoming ----------------------------------------------------------------------------


def _deadline(value, field="deadline", ceiling: date | None = None) -> date:
    """A deadline as a date, or a number of working days from today (the portal calendar)."""
    today = workdays.today()
    if isinstance(value, int):
        if not 0 < value <= 365:
            raise ValidationError({field: [_("Give between 1 and 365 working days.")]})
        value = workdays.add_working_days(today, value)
    if not isinstance(value, date):
        raise ValidationError({field: [_("Give a deadline.")]})
    if value < today:
        raise ValidationError({field: [_("The deadline cannot be in the past.")]})
    if ceiling is not None and value > ceiling:
        raise ValidationError(
            {
                field: [
                    _("The deadline cannot be later than the one given to you (%(date)s).")
                    % {"date": ceiling.strftime("%d/%m/%Y")}
                ]
            }
        )
    return value


def _arrival(doc: Document, now) -> None:
    year = workdays.local(now).date().year
    doc.arrival_number = next_number(doc.unit_id, year, S_ARRIVAL)
    doc.year = year
    doc.registered_at = now


@transaction.atomic
def register_incoming(clerk, data: dict, file=None) -> Document:
    """The clerk registers a paper or electronic document received from outside: it gets its arrival number.

    ``data``: ``doc_type``, ``summary``, ``urgency``, ``secrecy``, ``medium``, ``sender_name``,
    ``notation``, ``document_date``, ``arrived_at`` (default now), ``pages``.
    """
    if not (
        clerk.is_staff
        and clerk.unit_id
        and (clerk.is_superuser or clerk.has_perm("documents.register_document"))
    ):
        raise WorkflowError(_("Only a clerk registers incoming documents."))
    fields = _common_fields(data)
    sender = _clean_text(data.get("sender_name"), "sender_name", _("The sender"), max_length=255)
    notation = _clean_text(data.get("notation"), "notation", _("The number and symbol"), max_length=80)
    medium = _choice(data.get("medium") or Medium.ELECTRONIC, Medium, "medium", _("medium"))
    document_date = data.get("document_date")
    now = timezone.now()
    arrived = data.get("arrived_at") or now
    if document_date and document_date > workdays.local(arrived).date():
        raise ValidationError({"document_date": [_("The document cannot be dated after its arrival.")]})
    if arrived > now:
        raise ValidationError({"arrived_at": [_("The arrival cannot be in the future.")]})
    if file is None and medium == Medium.ELECTRONIC:
        raise ValidationError({"file": [_("Attach the electronic document.")]})
    if file is not None:
        _check_file(file, INCOMING)
    doc = Document(
        direction=Direction.INCOMING,
        status=S.REGISTERED,
        unit=clerk.unit,
        medium=medium,
        sender_name=sender,
        notation=notation,
        document_date=document_date,
        arrived_at=arrived,
        pages=data.get("pages"),
        **fields,
    )
    _arrival(doc, arrived)
    _add_units(doc, clerk.unit_id)
    doc.search_text = doctext.search_text(doc)
    doc.save()
    if file is not None:
        _store_file(doc, file, INCOMING, DocumentFile.Kind.MAIN, clerk)
    _event(doc, A.RECORD, clerk, "", "", arrival_number=doc.arrival_number)
    return doc


@transaction.atomic
def accept_arrived(doc: Document, clerk, note: str = "") -> Document:
    """Register a document delivered inside the system or imported: arrival number, status 03 (accepted)."""
    note = _note(note)
    locked, from_status = _transition(doc, A.REGISTER, clerk)
    _arrival(locked, timezone.now())
    locked.save()
    _event(locked, A.REGISTER, clerk, from_status, note, arrival_number=locked.arrival_number)
    send_status(locked, StatusCode.ACCEPTED, clerk, note)
    return locked


@transaction.atomic
def refuse_arrived(doc: Document, clerk, reason: str) -> Document:
    """Return a misaddressed or faulty document to its sender: status 02 (refused) with the reason."""
    reason = _clean_text(reason, "note", _("The reason"), max_length=500)
    locked, from_status = _transition(doc, A.REFUSE, clerk)
    locked.save()
    _event(locked, A.REFUSE, clerk, from_status, reason)
    send_status(locked, StatusCode.REFUSED, clerk, reason)
    return locked


@transaction.atomic
def assign_document(
    doc: Document, leader, *, lead_unit: Unit, lead_user=None, coordinating=(), deadline, note: str = ""
) -> Document:
    """The leader names the lead unit (and person), coordinating units and the deadline (status 04)."""
    note = _note(note)
    due = _deadline(deadline)
    locked, from_status = _transition(doc, A.ASSIGN, leader)
    _check_target(locked, leader, lead_unit, lead_user, "lead_unit")
    coordinating = [u for u in coordinating if u.pk != lead_unit.pk]
    for unit in coordinating:
        _check_target(locked, leader, unit, None, "coordinating")
    lead = Assignment.objects.create(
        document=locked,
        role=Assignment.Role.LEAD,
        from_unit=locked.unit,
        unit=lead_unit,
        user=lead_user,
        deadline=due,
        note=note,
        created_by=leader,
    )
    for unit in coordinating:
        Assignment.objects.create(
            document=locked,
            role=Assignment.Role.COORDINATE,
            from_unit=locked.unit,
            unit=unit,
            deadline=due,
            created_by=leader,
            parent=lead,
        )
    locked.deadline = due
    locked.lead_unit = lead_unit
    locked.lead_user = lead_user
    _add_units(locked, lead_unit.pk, *(u.pk for u in coordinating))
    locked.save()
    _event(
        locked,
        A.ASSIGN,
        leader,
        from_status,
        note,
        lead=str(lead_user or lead_unit),
        coordinating=[str(u) for u in coordinating],
        deadline=due.isoformat(),
    )
    send_status(locked, StatusCode.ASSIGNED, leader, str(lead_user or lead_unit))
    return locked


def _check_target(doc: Document, leader, unit: Unit, user, field: str) -> None:
    """A hand-off goes to the leader's own unit or a unit below it, a person to staff of that unit."""
    own = leader.unit
    if not isinstance(unit, Unit) or not unit.active:
        raise ValidationError({field: [_("Choose an active unit.")]})
    if not (leader.is_superuser or unit.path.startswith(own.path)):
        raise ValidationError({field: [_("%(unit)s is not your unit or below it.") % {"unit": unit}]})
    if user is not None and (user.unit_id != unit.pk or not user.is_active or not user.is_staff):
        raise ValidationError(
            {"lead_user": [_("The person must be active staff of %(unit)s.") % {"unit": unit}]}
        )


@transaction.atomic
def pass_down(doc: Document, leader, *, unit: Unit, user=None, deadline, note: str = "") -> Assignment:
    """A unit holding an open part passes it down its hierarchy, with its own deadline (status 05)."""
    note = _note(note)
    locked, from_status = _transition(doc, A.PASS_DOWN, leader)
    held = (
        locked.assignments.select_for_update()
        .filter(status=Assignment.Status.OPEN, unit_id=leader.unit_id)
        .order_by("-role", "id")  # lead before coordinating
        .first()
    )
    if held is None:
        raise WorkflowError(_("Your unit holds no open part of this document."))
    if unit.pk == held.unit_id and user is None:
        raise ValidationError({"unit": [_("Choose a unit below yours, or a person of your unit.")]})
    _check_target(locked, leader, unit, user, "unit")
    due = _deadline(deadline, ceiling=held.deadline)
    child = Assignment.objects.create(
        document=locked,
        parent=held,
        role=held.role,
        from_unit=held.unit,
        unit=unit,
        user=user,
        deadline=due,
        note=note,
        created_by=leader,
    )
    held.status = Assignment.Status.PASSED
    held.save(update_fields=["status"])
    _add_units(locked, unit.pk)
    first_processing = not locked.events.filter(action=A.PASS_DOWN).exists()
    locked.save()
    _event(locked, A.PASS_DOWN, leader, from_status, note, to=str(user or unit), deadline=due.isoformat())
    if first_processing and held.role == Assignment.Role.LEAD:
        send_status(locked, StatusCode.PROCESSING, leader, str(user or unit))
    return child


def _timeliness(done: date, deadline: date | None) -> str:
    return Timeliness.LATE if deadline and done > deadline else Timeliness.ON_TIME


@transaction.atomic
def report_coordination(doc: Document, user, note: str = "") -> Assignment:
    """A coordinating unit reports its part done."""
    note = _note(note)
    locked, from_status = _transition(doc, A.REPORT, user)
    part = (
        locked.assignments.select_for_update()
        .filter(status=Assignment.Status.OPEN, role=Assignment.Role.COORDINATE, unit_id=user.unit_id)
        .first()
    )
    now = timezone.now()
    _finish(part, now)
    locked.save()
    _event(locked, A.REPORT, user, from_status, note, unit=str(part.unit))
    return part


def _finish(assignment: Assignment, now) -> None:
    node = assignment
    while node is not None:
        if node.status != Assignment.Status.DONE:
            node.status = Assignment.Status.DONE
            node.done_at = now
            node.timeliness = _timeliness(workdays.local(now).date(), node.deadline)
            node.save(update_fields=["status", "done_at", "timeliness"])
        node = node.parent if node.role == assignment.role else None


@transaction.atomic
def close_document(doc: Document, user, note: str = "", reply: Document | None = None) -> Document:
    """The lead closes the document as handled, optionally linking the outgoing reply (status 06)."""
    note = _note(note)
    if reply is not None:
        if (
            reply.direction != Direction.OUTGOING
            or not Document.objects.visible_to(user).filter(pk=reply.pk).exists()
        ):
            raise ValidationError({"reply": [_("Choose an outgoing document you can see.")]})
    locked, from_status = _transition(doc, A.CLOSE, user)
    now = timezone.now()
    for item in locked.assignments.select_for_update().exclude(status=Assignment.Status.DONE):
        item.status = Assignment.Status.DONE
        item.done_at = now
        item.timeliness = _timeliness(workdays.local(now).date(), item.deadline)
        item.save(update_fields=["status", "done_at", "timeliness"])
    locked.closed_at = now
    locked.timeliness = _timeliness(workdays.local(now).date(), locked.deadline)
    locked.reply = reply
    locked.save()
    _event(locked, A.CLOSE, user, from_status, note, reply=reply.notation if reply else "")
    send_status(locked, StatusCode.DONE, user, reply.notation if reply else note)
    return locked


# --- for other apps -------------------------------------------------------------------------


def public_documents():
    """Issued documents marked public, newest first: what the website's legal library publishes."""
    return (
        Document.objects.filter(direction=Direction.OUTGOING, status=S.ISSUED, public=True)
        .select_related("doc_type", "unit")
        .order_by("-issued_at", "-id")
    )


# ------------------------------------------------------------------------------------------
# Certificates: the registry's writes.
# Writes to the certificate registry (the app's public API for other apps).
#
# Each service runs in one transaction, locks the row it changes and records
# the action in the audit trail (``portal.audit.record``). Bad requests raise
# ``ValidationError`` with a message in the user's language and change nothing.
#
# ------------------------------------------------------------------------------------------

MAX_IMAGE_BYTES = 512 * 1024
MAX_IMAGE_SIDE = 2000


def can_revoke(user, certificate: Certificate) -> bool:
    """System administrators; staff with the revoke permission for what they see; a holder for their own."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if sees_everything(user):
        return True
    if certificate.kind == CertificateKind.AUTHORITY:
        return False
    if certificate.kind == CertificateKind.PERSONAL and certificate.owner_id == user.pk:
        return True
    return (
        user.has_perm("documents.revoke_certificate")
        and Certificate.objects.visible_to(user).filter(pk=certificate.pk).exists()
    )


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, actor, reason: str, note: str = "") -> Certificate:
    """Mark ``certificate`` revoked from now on, with the reason; recorded in the audit trail."""
    if reason not in RevocationReason.values:
        raise ValidationError(_("Choose a reason for the revocation."))
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 500:
        raise ValidationError(_("The note is too long (at most 500 characters)."))
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not can_revoke(actor, cert):
        raise ValidationError(_("You may not revoke this certificate."))
    if cert.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    cert.revoked_at = timezone.now()
    cert.revocation_reason = reason
    cert.revocation_note = note
    cert.revoked_by = actor
    cert.save(update_fields=["revoked_at", "revocation_reason", "revocation_note", "revoked_by"])
    audit.record(
        "certificate.revoke",
        obj=cert,
        actor=actor,
        reason=reason,
        note=note,
        serial=cert.serial_number,
        fingerprint=cert.fingerprint,
    )
    return cert


def check_image(data: bytes) -> bytes:
    """A signature or seal image as stored: a PNG (transparent background), not too large."""
    from PIL import Image, UnidentifiedImageError

    if not data or len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image must be a PNG file of at most 512 KB."))
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise ValidationError(_("The image must be a PNG file of at most 512 KB."))
            if max(img.size) > MAX_IMAGE_SIDE:
                raise ValidationError(_("The image is too large (at most 2000 pixels a side)."))
            img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image must be a PNG file of at most 512 KB.")) from None
    return bytes(data)


@transaction.atomic
def set_certificate_image(certificate: Certificate, data: bytes, *, actor) -> Certificate:
    image = check_image(data)
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    cert.image = image
    cert.save(update_fields=["image"])
    audit.record("certificate.image", obj=cert, actor=actor, size=len(image))
    return cert
