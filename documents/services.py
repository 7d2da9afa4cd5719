"""Writes to the certificate registry (the app's public API for other apps).

Each service runs in one transaction, locks the row it changes and records
the action in the audit trail (``portal.audit.record``). Bad requests raise
``ValidationError`` with a message in the user's language and change nothing.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Certificate, CertificateKind, RevocationReason
from portal import audit
from portal.scoping import sees_everything

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
