"""Every write of the public website (its public API for other apps).

- ``publish_legal_document(document_id)``: the library's receiver of
  ``documents.signals.document_issued``: an issued outgoing document marked
  public enters the library with its register data (number and symbol, type,
  issuing body, signer, date), its signed PDF and the signature check; the
  document it replaces is marked replaced and linked. Idempotent (one entry
  per register entry).
- ``set_legal_status``: an editor records that a document was amended,
  replaced or expired, with the link to the document that did it.
- ``bump_home()``: the public pages (home, news, library, schedule, search)
  are kept whole for visitors without a session (``portal.pagecache``) and
  their fragments for everyone else, under the version :data:`PUBLISHED`
  that every publishing write moves on, so the next request rebuilds them: a
  citizen never sees a stale list after a change.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, pagecache, workdays
from website.models import LegalDocument, LegalStatus

log = logging.getLogger(__name__)

#: The version of everything the public website shows (``portal.pagecache``): articles and their
#: sections, images and attachments, the library, meetings, published feedback answers.
PUBLISHED = "website.published"


def home_version() -> str:
    return pagecache.version(PUBLISHED)


def bump_home(**_kwargs) -> None:
    """Invalidate the public pages: now, and again after the commit of the write (a page rebuilt
    between the two from the old rows is stored under a version nobody asks for again)."""
    pagecache.bump(PUBLISHED)


def on_document_issued(sender, document_id: int, public: bool, notation: str = "", **kwargs) -> None:
    if public:
        publish_legal_document(document_id)


@transaction.atomic
def publish_legal_document(document_id: int) -> LegalDocument | None:
    """Copy an issued public outgoing document into the library (Decree 30/2020 Art. 15: number,
    symbol, issuing body, date, type, summary, signer are the register's own fields)."""
    from documents.models import DocumentFile
    from documents.services import public_documents

    doc = public_documents().filter(pk=document_id).select_related("unit", "doc_type").first()
    if doc is None:
        return None
    signed = (
        DocumentFile.objects.filter(document_id=doc.pk, kind=DocumentFile.Kind.SIGNED)
        .order_by("-version", "-id")
        .only("id")
        .first()
    ) or DocumentFile.objects.filter(document_id=doc.pk).order_by("-version", "-id").only("id").first()
    issued_on = doc.document_date or workdays.local(doc.issued_at or timezone.now()).date()
    entry, created = LegalDocument.objects.select_for_update().get_or_create(
        source_id=doc.pk,
        defaults={
            "notation": doc.notation,
            "doc_type": doc.doc_type.name,
            "issuer": doc.unit,
            "issuer_name": doc.unit.name,
            "signer": doc.signer_name,
            "summary": doc.summary,
            "issued_on": issued_on,
            "effective_on": issued_on,
            "file_id": signed.pk if signed else None,
            "signature_report": doc.signature_report or {},
            "digitally_signed": doc.digitally_signed,
        },
    )
    if doc.replaces_id:
        old = LegalDocument.objects.select_for_update().filter(source_id=doc.replaces_id).first()
        if old is not None and old.pk != entry.pk:
            old.status, old.replaced_by = LegalStatus.REPLACED, entry
            old.save(update_fields=["status", "replaced_by", "search_text"])
    if created:
        audit.record("legaldocument.published", entry, None, notation=entry.notation)
        bump_home()
    return entry


@transaction.atomic
def set_legal_status(
    entry: LegalDocument, status: str, *, actor, by: LegalDocument | None = None
) -> LegalDocument:
    """Amended or replaced need the document that did it; expired and in force need none."""
    if status not in LegalStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status in (LegalStatus.AMENDED, LegalStatus.REPLACED) and by is None:
        raise ValidationError({"status": _("Name the document that amends or replaces it.")})
    if by is not None and by.pk == entry.pk:
        raise ValidationError({"status": _("A document cannot amend or replace itself.")})
    locked = LegalDocument.objects.select_for_update().get(pk=entry.pk)
    locked.status = status
    if status == LegalStatus.REPLACED:
        locked.replaced_by = by
    locked.save()
    if status == LegalStatus.AMENDED:
        locked.amended_by.add(by)
    audit.record("legaldocument.status", locked, actor, status=status, by=by.pk if by else None)
    bump_home()
    return locked
