"""How the documents app's outbox rows read (sent once by ``portal.outbox``), in Vietnamese."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from documents.models import DocumentNotice


def admin_url(document) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
    try:
        return base + reverse("admin:documents_document_change", args=[document.pk])
    except NoReverseMatch:
        return base + f"/admin/documents/document/{document.pk}/change/"


def render(notice: DocumentNotice) -> tuple[str, str]:
    if notice.kind == DocumentNotice.Kind.CERTIFICATE_EXPIRY:
        return _certificate(notice)
    doc, part = notice.document, notice.assignment
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "document": doc.notation or doc.pk,
            "summary": doc.summary[:300],
            "deadline": part.deadline.strftime("%d/%m/%Y") if part else "",
            "unit": str(part.unit) if part else "",
            "url": admin_url(doc),
        }
        if notice.kind == DocumentNotice.Kind.OVERDUE:
            subject = _("Overdue: document %(document)s (deadline %(deadline)s)") % values
            body = (
                _(
                    "The document %(document)s handed to %(unit)s was due on %(deadline)s and is not handled yet.\n\n"
                    "%(summary)s\n\n%(url)s\n"
                )
                % values
            )
        else:
            subject = _("Due soon: document %(document)s (deadline %(deadline)s)") % values
            body = (
                _(
                    "The document %(document)s handed to %(unit)s is due on %(deadline)s.\n\n%(summary)s\n\n%(url)s\n"
                )
                % values
            )
    return subject, body


def _certificate(notice: DocumentNotice) -> tuple[str, str]:
    cert = notice.certificate
    from django.utils import timezone

    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": cert.common_name,
            "serial": cert.serial_number,
            "date": timezone.localtime(cert.not_after).strftime("%d/%m/%Y %H:%M"),
        }
        subject = _("Certificate of %(name)s expires on %(date)s") % values
        body = (
            _(
                "The digital certificate of %(name)s (serial %(serial)s) expires on %(date)s. "
                "Ask the certificate authority for a new one before then, or signing will stop.\n"
            )
            % values
        )
    return subject, body
