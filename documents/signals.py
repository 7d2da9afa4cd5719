"""Signals other apps may listen to (they never import the documents app's models to be told).

``document_issued(sender=Document, document_id, public, notation)`` is sent
after the commit of every issue. The website's legal library connects a
receiver and publishes the document when ``public`` is true (read it with
``documents.services.public_documents()`` or by id).

``document_withdrawn(sender=Document, document_id, public, notation, reason,
replaced_by)`` is sent after the commit of every withdrawal (withdrawn by a
leader, or replaced by a new document, whose id ``replaced_by`` gives): the
library takes it down or points to its replacement.

A receiver that fails is logged and never undoes the issue or the withdrawal.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

log = logging.getLogger(__name__)

document_issued = Signal()
document_withdrawn = Signal()


def send_issued(document_id: int) -> None:
    from documents.models import Document

    doc = Document.objects.filter(pk=document_id).only("id", "public", "notation").first()
    if doc is None:
        return
    for receiver, result in document_issued.send_robust(
        sender=Document, document_id=doc.pk, public=doc.public, notation=doc.notation
    ):
        if isinstance(result, Exception):
            log.error("document_issued receiver %r failed: %s", receiver, result)


def send_withdrawn(document_id: int, replaced_by: int | None = None) -> None:
    from documents.models import Document

    doc = Document.objects.filter(pk=document_id).only("id", "public", "notation", "void_reason").first()
    if doc is None:
        return
    for receiver, result in document_withdrawn.send_robust(
        sender=Document,
        document_id=doc.pk,
        public=doc.public,
        notation=doc.notation,
        reason=doc.void_reason,
        replaced_by=replaced_by,
    ):
        if isinstance(result, Exception):
            log.error("document_withdrawn receiver %r failed: %s", receiver, result)
