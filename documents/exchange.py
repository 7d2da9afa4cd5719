"""Packages for agencies outside the system: an edXML-style envelope (QCVN 102:2016), exported and imported.

:func:`export_package` writes an issued document for one outside recipient:
the header (sender and recipient agency ids, number and notation, place and
date, type, subject, signer, due date, priority, document id
``OrganId,YYYY/MM/DD,No/Notation``, the trace of hand-offs) and the files,
embedded in base64. :func:`import_package` reads such a package into the
receiving unit's incoming queue. Both are validated against the XML Schema
``documents/schemas/edxml.xsd``: a package that does not conform, names
another recipient, carries a file that is not what it claims, or was
imported already is refused with the reason, and nothing is written.

What is modelled of QCVN 102:2016 and what is not: see the README.
"""

from __future__ import annotations

import base64
import binascii
import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from documents import text as doctext
from documents.models import (
    Direction,
    Document,
    DocumentFile,
    DocumentRecipient,
    DocumentStatus,
    DocumentType,
    Secrecy,
    Urgency,
)
from documents.workflow import DocumentAction, WorkflowError
from portal import cases, workdays
from portal.models import Unit
from portal.uploads import check_upload, store

NS = "urn:mytho-portal:edxml:qcvn102-2016"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "edxml.xsd"
MAX_PACKAGE = 60 * 1024 * 1024
PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
URGENCY = {v: k for k, v in PRIORITY.items()}


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _parser() -> etree.XMLParser:
    # No DTDs, entities or network: a package is data, never instructions to the parser.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _el(parent, name: str, value=None):
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        node.text = str(value)
    return node


def document_id(doc: Document) -> str:
    day = doc.document_date or workdays.local(doc.issued_at).date()
    return f"{doc.unit.agency_id},{day:%Y/%m/%d},{doc.notation}"


def export_package(doc: Document, recipient: DocumentRecipient, actor=None) -> bytes:
    """The package of an issued document for one recipient outside the system (validated before it leaves)."""
    if doc.direction != Direction.OUTGOING or doc.status != DocumentStatus.ISSUED:
        raise WorkflowError(_("Only an issued document can be sent as a package."))
    if recipient.document_id != doc.pk or recipient.is_internal:
        raise WorkflowError(_("Internal recipients receive the document directly."))
    if doc.is_secret:
        raise WorkflowError(_("Secret documents are not sent as electronic packages."))
    files = list(doc.files.filter(kind=DocumentFile.Kind.SIGNED).order_by("-version")[:1]) or list(
        doc.files.filter(kind=DocumentFile.Kind.DRAFT).order_by("-version")[:1]
    )
    files += list(doc.files.filter(kind=DocumentFile.Kind.ATTACHMENT))
    root = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap={"edXML": NS})
    header = _el(root, "edXMLHeader")
    message = _el(header, "MessageHeader")
    sender = _el(message, "From")
    _el(sender, "OrganId", doc.unit.agency_id)
    _el(sender, "OrganName", doc.unit.name)
    to = _el(message, "To")
    _el(to, "OrganId", recipient.agency_id)
    _el(to, "OrganName", recipient.name or recipient.agency_id)
    _el(message, "DocumentId", document_id(doc))
    code = _el(message, "Code")
    _el(code, "CodeNumber", doc.number)
    _el(code, "CodeNotation", doc.notation.split("/", 1)[-1])
    info = _el(message, "PromulgationInfo")
    from portal.pdf import city_name

    _el(info, "Place", city_name() or doc.unit.name)
    _el(info, "PromulgationDate", (doc.document_date or date.today()).isoformat())
    kind = _el(message, "DocumentType")
    _el(kind, "Type", "".join(ch for ch in doc.doc_type.code.upper() if "A" <= ch <= "Z") or "CV")
    _el(kind, "TypeName", doc.doc_type.name)
    _el(message, "Subject", doc.summary)
    signer = _el(message, "SignerInfo")
    if doc.signing_authority_id:
        _el(signer, "Competence", doc.signing_authority.code)
    if doc.signer_title:
        _el(signer, "Position", doc.signer_title)
    _el(signer, "FullName", doc.signer_name or str(doc.signer or doc.unit))
    _el(message, "Priority", PRIORITY.get(doc.urgency, 0))
    traces = _el(header, "TraceHeaderList")
    trace = _el(traces, "TraceHeader")
    _el(trace, "OrganId", doc.unit.agency_id)
    _el(trace, "Timestamp", timezone.localtime(doc.issued_at).isoformat(timespec="seconds"))
    body = _el(root, "edXMLBody")
    for index, record in enumerate(files, start=1):
        with record.file.open("rb") as handle:
            data = handle.read()
        attachment = _el(body, "Attachment")
        _el(attachment, "ContentId", f"file{index}")
        _el(attachment, "ContentType", record.content_type)
        _el(attachment, "FileName", record.original_name)
        _el(attachment, "Content", base64.b64encode(data).decode("ascii"))
    schema().assertValid(root)
    if actor is not None:
        with transaction.atomic():
            locked = cases.lock(doc)
            cases.record_event(
                locked,
                DocumentAction.EXPORT,
                actor,
                locked.status,
                "",
                to=recipient.agency_id,
                name=recipient.name,
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(node, path: str) -> str:
    found = node.find(path, namespaces={"ed": NS})
    return (found.text or "").strip() if found is not None else ""


def parse_package(data: bytes) -> etree._Element:
    """The package's root, validated against the schema; ValidationError with the reason otherwise."""
    if not data:
        raise ValidationError(_("The package is empty."))
    if len(data) > MAX_PACKAGE:
        raise ValidationError(
            _("The package is larger than %(mb)s MB.") % {"mb": MAX_PACKAGE // (1024 * 1024)}
        )
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(_("The package is not well-formed XML: %(error)s") % {"error": str(exc)[:200]})
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ValidationError(_("Packages with a DOCTYPE are not accepted."))
    root = tree.getroot()
    validator = schema()
    if not validator.validate(root):
        error = validator.error_log.last_error
        raise ValidationError(
            _("The package does not conform to the edXML schema (line %(line)s): %(error)s")
            % {"line": error.line if error else "?", "error": (error.message if error else "")[:300]}
        )
    return root


def _urgency(value: str) -> str:
    try:
        return URGENCY.get(int(value), Urgency.NORMAL)
    except ValueError:
        return Urgency.NORMAL


@transaction.atomic
def import_package(data: bytes, clerk) -> Document:
    """Read a package addressed to the clerk's unit into its incoming queue (status "arrived")."""
    from documents.services import INCOMING, read_file_text

    if not (clerk.is_staff and clerk.unit_id and clerk.has_perm("documents.register_document")):
        raise WorkflowError(_("Only a clerk imports packages."))
    root = parse_package(data)
    unit: Unit = clerk.unit
    header = root.find("ed:edXMLHeader/ed:MessageHeader", namespaces={"ed": NS})
    to_ids = [_text(node, "ed:OrganId") for node in header.findall("ed:To", namespaces={"ed": NS})]
    if not unit.agency_id or unit.agency_id not in to_ids:
        raise ValidationError(
            _("The package is addressed to %(ids)s, not to your unit (%(own)s).")
            % {"ids": ", ".join(to_ids), "own": unit.agency_id or unit.code}
        )
    doc_id = _text(header, "ed:DocumentId")
    if Document.objects.filter(
        direction=Direction.INCOMING,
        unit=unit,
        events__action=DocumentAction.IMPORT,
        events__data__document_id=doc_id,
    ).exists():
        raise ValidationError(_("This package (%(id)s) was imported already.") % {"id": doc_id})
    type_code = _text(header, "ed:DocumentType/ed:Type")
    doc_type = (
        DocumentType.objects.filter(code=type_code).first()
        or DocumentType.objects.filter(is_letter=True).first()
    )
    files = []
    for node in root.findall("ed:edXMLBody/ed:Attachment", namespaces={"ed": NS}):
        name = _text(node, "ed:FileName")
        try:
            content = base64.b64decode(_text(node, "ed:Content"), validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("The attachment “%(name)s” is not valid base64.") % {"name": name})
        upload = SimpleUploadedFile(name, content)
        try:
            checked = check_upload(upload, INCOMING)
        except ValidationError as exc:
            raise ValidationError(_("Attachment refused: %(reason)s") % {"reason": " ".join(exc.messages)})
        if checked.content_type != _text(node, "ed:ContentType"):
            raise ValidationError(
                _("The attachment “%(name)s” is not the type the package says it is.") % {"name": name}
            )
        files.append((upload, checked))
    number = _text(header, "ed:Code/ed:CodeNumber")
    notation = _text(header, "ed:Code/ed:CodeNotation")
    doc = Document(
        direction=Direction.INCOMING,
        status=DocumentStatus.ARRIVED,
        doc_type=doc_type,
        summary=_text(header, "ed:Subject")[:2000],
        urgency=_urgency(_text(header, "ed:Priority")),
        secrecy=Secrecy.NONE,
        unit=unit,
        notation=f"{int(number):02d}/{notation}"[:80] if number.isdigit() else notation[:80],
        document_date=date.fromisoformat(_text(header, "ed:PromulgationInfo/ed:PromulgationDate")),
        signer_name=_text(header, "ed:SignerInfo/ed:FullName")[:200],
        sender_name=_text(header, "ed:From/ed:OrganName")[:255],
        sender_agency_id=_text(header, "ed:From/ed:OrganId"),
        arrived_at=timezone.now(),
    )
    doc.unit_ids = [unit.pk]
    doc.search_text = doctext.search_text(doc)
    doc.save()
    for index, (upload, checked) in enumerate(files):
        record = DocumentFile(
            document=doc,
            kind=DocumentFile.Kind.MAIN if index == 0 else DocumentFile.Kind.ATTACHMENT,
            uploaded_by=clerk,
        )
        store(record, upload, INCOMING, checked=checked)
        record.save()
        transaction.on_commit(lambda pk=record.pk: read_file_text(pk))
    traces = [
        {"organ": _text(t, "ed:OrganId"), "at": _text(t, "ed:Timestamp")}
        for t in root.findall("ed:edXMLHeader/ed:TraceHeaderList/ed:TraceHeader", namespaces={"ed": NS})
    ]
    cases.record_event(
        doc, DocumentAction.IMPORT, clerk, "", "", document_id=doc_id, sender=doc.sender_name, trace=traces
    )
    return doc
