"""Signals other apps may listen to (they never import the documents app's models to be told).

``document_issued(sender=Document, document_id, public, notation)`` is sent
after the commit of every issue. The website's legal library connects a
receiver and publishes the document when ``public`` is true (read it with
``documents.services.public_documents()`` or by id); a receiver that fails
is logged and never undoes the issue.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

log = logging.getLogger(__name__)

document_issued = Signal()


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
