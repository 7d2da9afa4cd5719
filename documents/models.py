"""The certificate registry: who holds which certificate, until when, and whether it was revoked.

A :class:`Certificate` row holds an X.509 certificate (its DER and the
fields read from it), whom it was issued to (a member of staff for a
personal certificate, a unit for an organisation's), optionally its private
key encrypted at rest (see :mod:`documents.keys`), and the image its
signatures show (the signer's handwritten signature, or the organisation's
seal: Decree 30/2020/NĐ-CP, Appendix I). Certificate authorities are rows
too; those marked ``trusted`` are the trust anchors that validation uses.

Status is never edited in place: revocation goes through
``documents.services.revoke_certificate`` (audited); the admin shows it
read-only.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Unit


class CertificateKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    ORGANISATION = "organisation", _("Organisation")
    AUTHORITY = "authority", _("Certificate authority")


class KeyProtection(models.TextChoices):
    NONE = "none", _("No private key held")
    PASSPHRASE = "passphrase", _("Encrypted with the holder's passphrase")
    ENVIRONMENT = "environment", _("Encrypted with the server's organisation key secret")


class RevocationReason(models.TextChoices):
    """RFC 5280 §5.3.1 reason codes an administrator may give."""

    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "key_compromise", _("Key compromised")
    CA_COMPROMISE = "ca_compromise", _("Certificate authority compromised")
    AFFILIATION_CHANGED = "affiliation_changed", _("Holder changed unit or position")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("Holder no longer signs (left, unit dissolved)")
    PRIVILEGE_WITHDRAWN = "privilege_withdrawn", _("Signing right withdrawn")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule plus the member of staff's own personal certificates.

        Certificates of the units ``user`` may see (``portal.scoping.visible_to``
        on ``unit``: the organisation's and its staff's personal ones), the
        user's own personal certificates, and for system administrators
        everything (certificate authorities included).
        """
        from portal.scoping import visible_to

        scoped = visible_to(self, user, "unit")
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return scoped
        return scoped | self.filter(owner=user, kind=CertificateKind.PERSONAL)

    def in_state(self, state: str, at: datetime | None = None):
        at = at or timezone.now()
        if state == CertificateState.REVOKED:
            return self.filter(revoked_at__isnull=False)
        live = self.filter(revoked_at__isnull=True)
        if state == CertificateState.EXPIRED:
            return live.filter(not_after__lt=at)
        if state == CertificateState.NOT_YET_VALID:
            return live.filter(not_before__gt=at)
        if state == CertificateState.VALID:
            return live.filter(not_before__lte=at, not_after__gte=at)
        return self.none()

    def usable(self, at: datetime | None = None):
        """Valid now (neither revoked, expired nor early)."""
        return self.in_state(CertificateState.VALID, at)

    def trust_anchors(self):
        return self.filter(kind=CertificateKind.AUTHORITY, trusted=True, revoked_at__isnull=True)


class Certificate(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text=_("The member of staff a personal certificate was issued to."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        help_text=_("The organisation the certificate names (for a personal one, the holder's unit)."),
    )
    issuer_certificate = models.ForeignKey(
        "self",
        verbose_name=_("issuing certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued",
    )
    common_name = models.CharField(_("common name"), max_length=255)
    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    serial_number = models.CharField(_("serial number"), max_length=64, help_text=_("Hexadecimal."))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    der = models.BinaryField(_("certificate (DER)"))
    trusted = models.BooleanField(
        _("trusted root"),
        default=False,
        help_text=_("A certificate authority whose certificates the portal trusts when validating."),
    )
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    key_protection = models.CharField(
        _("private key"), max_length=16, choices=KeyProtection.choices, default=KeyProtection.NONE
    )
    image = models.BinaryField(
        _("signature image"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("PNG shown on signatures: the signer's signature, or the organisation's seal."),
    )
    image_width_mm = models.PositiveSmallIntegerField(
        _("image width (mm)"),
        default=36,
        help_text=_("Printed width of the image; a seal is shown at its real size."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=32, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.CharField(_("revocation note"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificate registry")
        ordering = ["not_after", "pk"]
        permissions = [("revoke_certificate", _("Can revoke certificates"))]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial_number"], name="certificate_issuer_serial"),
            models.CheckConstraint(
                condition=~Q(kind=CertificateKind.PERSONAL) | Q(owner__isnull=False),
                name="certificate_personal_has_holder",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CertificateKind.ORGANISATION) | Q(unit__isnull=False),
                name="certificate_organisation_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(kind=CertificateKind.AUTHORITY) | Q(trusted=False),
                name="certificate_only_authorities_trusted",
            ),
            models.CheckConstraint(
                condition=Q(key_protection=KeyProtection.NONE, encrypted_key__isnull=True)
                | (~Q(key_protection=KeyProtection.NONE) & Q(encrypted_key__isnull=False)),
                name="certificate_key_protection_matches",
            ),
        ]
        indexes = [
            # The admin's kind and expiry filters, and the reminder selector.
            models.Index(fields=["kind", "not_after"], name="certificate_kind_expiry"),
            models.Index(fields=["not_after"], name="certificate_expiry"),
            models.Index(
                fields=["revoked_at"], name="certificate_revoked", condition=Q(revoked_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.get_kind_display()}, {self.serial_number[:16]})"

    def state(self, at: datetime | None = None) -> str:
        at = at or timezone.now()
        if self.revoked_at is not None:
            return CertificateState.REVOKED
        if at < self.not_before:
            return CertificateState.NOT_YET_VALID
        if at > self.not_after:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    def get_state_display(self) -> str:
        return CertificateState(self.state()).label

    @property
    def has_key(self) -> bool:
        return self.key_protection != KeyProtection.NONE

    def x509(self):
        """The certificate as a ``cryptography`` object."""
        from cryptography import x509

        return x509.load_der_x509_certificate(bytes(self.der))
