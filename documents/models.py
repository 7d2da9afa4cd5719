"""Official documents (Decree 30/2020/NĐ-CP on clerical work): data and invariants only.

# ---------------------------------------------------------------------------------------
# Block 1: registers, routing and exchange (issue 8, items 1-7, 11-12).
# The certificate registry (items 8-10) lives in its own block below when merged.
# ---------------------------------------------------------------------------------------

One :class:`Document` table holds both directions (``direction``): an
outgoing document (văn bản đi) from draft to issue, and an incoming one
(văn bản đến) from arrival to "done". Their workflows are one table in
``documents.workflow``; status changes only through ``documents.services``.

- Numbers of outgoing documents come from :class:`NumberCounter` (one row per
  issuing body, year and series), incremented in the issuing transaction, so
  a failed issue consumes no number and two issuers never share one. A
  number once given is never reused: a withdrawn document keeps it, marked
  voided in the register.
- Arrival numbers of incoming documents come from the same table (series
  ``arrival``), per receiving unit and year.
- ``unit_ids`` holds every unit a document passes through (issuing and
  drafting unit, receiving unit, every hand-off): ``visible_to`` is one
  indexed array overlap.
- ``search_text`` is the folded text the full-text search runs on (number and
  symbol, summary, sender, the files' text); ``search_vector`` is its stored
  ``simple`` tsvector, GIN-indexed.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import CaseEvent
from portal.models import AppendOnlyModel, Unit
from portal.outbox import OutboxMessage
from portal.uploads import StoredFile


class DocumentType(models.Model):
    """A document type and its abbreviation (Decree 30/2020, Appendix III): data an administrator edits.

    ``is_letter`` marks the công văn (official letter), which has no
    abbreviation: its symbol is the issuer's abbreviation and the drafting
    unit's (``45/UBND-VP``).
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=16, blank=True)
    is_letter = models.BooleanField(_("official letter (no abbreviation)"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class SigningAuthority(models.Model):
    """How a signer signs for the body (Decree 30/2020 Art. 13): TM., KT., Q., TL., TUQ. (data)."""

    code = models.CharField(_("prefix"), max_length=8, unique=True)
    name = models.CharField(_("meaning"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("signing authority")
        verbose_name_plural = _("signing authorities")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"


class Direction(models.TextChoices):
    OUTGOING = "out", _("Outgoing")
    INCOMING = "in", _("Incoming")


class DocumentStatus(models.TextChoices):
    # Outgoing
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "review", _("Awaiting review")
    AWAITING_SIGNATURE = "to_sign", _("Awaiting signature")
    SIGNED = "signed", _("Signed, awaiting issue")
    ISSUED = "issued", _("Issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Incoming
    ARRIVED = "arrived", _("Arrived, awaiting registration")
    REGISTERED = "registered", _("Registered, awaiting assignment")
    IN_PROGRESS = "in_progress", _("Being handled")
    DONE = "done", _("Handled")
    REFUSED = "refused", _("Returned to the sender")
    CANCELLED = "cancelled", _("Withdrawn by the sender")


OUTGOING_STATUSES = [
    DocumentStatus.DRAFT,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.AWAITING_SIGNATURE,
    DocumentStatus.SIGNED,
    DocumentStatus.ISSUED,
    DocumentStatus.WITHDRAWN,
]
INCOMING_STATUSES = [
    DocumentStatus.ARRIVED,
    DocumentStatus.REGISTERED,
    DocumentStatus.IN_PROGRESS,
    DocumentStatus.DONE,
    DocumentStatus.REFUSED,
    DocumentStatus.CANCELLED,
]


class Urgency(models.TextChoices):
    """Decree 30/2020 Art. 15: hỏa tốc > thượng khẩn > khẩn."""

    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (khẩn)")
    VERY_URGENT = "very_urgent", _("Very urgent (thượng khẩn)")
    FLASH = "flash", _("Flash (hỏa tốc)")


class Secrecy(models.TextChoices):
    """Secrecy marks (mật > tối mật > tuyệt mật); secret documents have their own number series."""

    NONE = "none", _("Not secret")
    CONFIDENTIAL = "mat", _("Confidential (mật)")
    SECRET = "toi_mat", _("Secret (tối mật)")
    TOP_SECRET = "tuyet_mat", _("Top secret (tuyệt mật)")


class Medium(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The documents ``user`` may see as staff: ``portal.scoping`` on the units involved.

        A draft is seen by the units drafting and issuing it; an incoming copy
        by its receiving unit and every unit it was handed to.
        """
        from portal.scoping import visible_to

        return visible_to(self, user, "unit_ids")

    def outgoing(self):
        return self.filter(direction=Direction.OUTGOING)

    def incoming(self):
        return self.filter(direction=Direction.INCOMING)


class Document(models.Model):
    """An official document, outgoing or incoming."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, editable=False, db_index=False
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    summary = models.TextField(_("summary (trích yếu)"), max_length=2000)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.CharField(_("secrecy"), max_length=12, choices=Secrecy.choices, default=Secrecy.NONE)
    medium = models.CharField(_("medium"), max_length=12, choices=Medium.choices, default=Medium.ELECTRONIC)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)

    # The unit that holds the document: the issuing body (outgoing) or the receiving unit (incoming).
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="documents")
    unit_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)

    # Number and symbol (outgoing: given on issue; incoming: as printed on the document).
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)
    series = models.CharField(max_length=8, blank=True, editable=False)
    notation = models.CharField(_("number and symbol"), max_length=80, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)

    # Outgoing
    drafting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signing_authority = models.ForeignKey(
        SigningAuthority,
        verbose_name=_("signs as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digitally_signed = models.BooleanField(_("signed digitally"), default=False, editable=False)
    recipients_text = models.TextField(_("recipients (nơi nhận)"), blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    public = models.BooleanField(
        _("publish in the legal library"),
        default=False,
        help_text=_("A normative or public document: published on the portal when issued."),
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("reason voided"), max_length=500, blank=True, editable=False)

    # Incoming
    sender_name = models.CharField(_("sender"), max_length=255, blank=True)
    sender_agency_id = models.CharField(_("sender's agency identifier"), max_length=32, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("outgoing original"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies_delivered",
        editable=False,
    )
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True, editable=False)
    deadline = models.DateField(_("deadline"), null=True, blank=True, editable=False)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("handled at"), null=True, blank=True, editable=False)
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True, editable=False
    )
    reply = models.ForeignKey(
        "self",
        verbose_name=_("reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies_to",
        editable=False,
    )
    signature_report = models.JSONField(_("signature check"), default=dict, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "series", "number"],
                condition=Q(direction="out", number__isnull=False),
                name="document_number_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "arrival_number"],
                condition=Q(direction="in", arrival_number__isnull=False),
                name="document_arrival_unique",
            ),
        ]
        indexes = [
            GinIndex(fields=["unit_ids"], name="document_units"),
            GinIndex(fields=["search_vector"], name="document_search"),
            models.Index(fields=["direction", "status", "-id"], name="document_dir_status"),
            # The queues' lists, newest first, by status alone (mine, due soon, overdue, waiting).
            models.Index(fields=["status", "-id"], name="document_status_newest"),
            # The search's period filter finds the ids it starts from (selectors._id_range).
            models.Index(fields=["created_at"], name="document_created"),
            models.Index(fields=["unit", "direction", "status", "-id"], name="document_unit_dir_status"),
            # The registers use the partial unique indexes (unit, year, series, number / arrival number).
            models.Index(fields=["status", "deadline"], include=["id"], name="document_status_deadline"),
            models.Index(fields=["doc_type", "direction"], name="document_type_dir"),
            models.Index(fields=["source"], name="document_source"),
        ]
        permissions = [
            ("register_document", _("Can register incoming documents (clerk)")),
            ("draft_document", _("Can draft outgoing documents")),
            ("review_document", _("Can review drafts")),
            ("sign_document", _("Can approve and sign documents")),
            ("issue_document", _("Can number and issue documents (clerk)")),
            ("assign_document", _("Can assign incoming documents")),
            ("handle_document", _("Can handle incoming documents")),
            ("view_document_statistics", _("Can view document statistics")),
        ]

    def __str__(self) -> str:
        if self.notation:
            return self.notation
        if self.is_outgoing:
            return _("Draft #%(pk)s") % {"pk": self.pk}
        return _("Document #%(pk)s") % {"pk": self.pk}

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def sender_display(self) -> str:
        """Who sent it: the sender named on an incoming document, the issuing unit of an outgoing one."""
        return self.sender_name if not self.is_outgoing else str(self.unit)


class NumberCounter(models.Model):
    """The last number given per unit, year and series (outgoing ``normal`` / ``secret``, ``arrival``)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "series"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.series}: {self.last}"


class DocumentEvent(CaseEvent):
    """Append-only history of a document: the current status is the latest event."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document history")
        ordering = ["document", "at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="document_event_at")]


class DocumentFile(StoredFile):
    """A file of a document: each draft version, the signed original, attachments, the incoming file."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft version")
        SIGNED = "signed", _("Signed document")
        ATTACHMENT = "attachment", _("Attachment")
        MAIN = "main", _("Document file")

    class TextState(models.TextChoices):
        PENDING = "pending", _("Text not read yet")
        DONE = "done", _("Text read")
        OCR_PENDING = "ocr", _("Waiting for OCR")
        NONE = "none", _("No text")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(upload_to="documents/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    text = models.TextField(blank=True, editable=False)
    text_state = models.CharField(max_length=8, choices=TextState.choices, default=TextState.PENDING)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "uploaded_at", "id"]
        indexes = [
            models.Index(fields=["text_state"], name="docfile_text_state", condition=~Q(text_state="done"))
        ]


class DocumentRecipient(models.Model):
    """A recipient of an outgoing document: a unit inside the system or an agency outside it.

    ``status`` is the latest QCVN 102:2016 status message received for it.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_id = models.CharField(_("agency identifier"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    copy = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    status = models.CharField(_("status"), max_length=2, blank=True, editable=False)
    status_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_note = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "unit"], condition=Q(unit__isnull=False), name="recipient_unit_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit) if self.unit_id else self.name

    @property
    def is_internal(self) -> bool:
        return self.unit_id is not None


class StatusCode(models.TextChoices):
    """QCVN 102:2016 status messages (edXML status), sent back to the sender."""

    ARRIVED = "01", _("Arrived")
    REFUSED = "02", _("Refused")
    ACCEPTED = "03", _("Accepted")
    ASSIGNED = "04", _("Assigned")
    PROCESSING = "05", _("Being processed")
    DONE = "06", _("Done")
    WITHDRAWN = "13", _("Withdrawn")


class StatusMessage(AppendOnlyModel):
    """One status message of a recipient's copy, back to the sender (append-only)."""

    recipient = models.ForeignKey(DocumentRecipient, on_delete=models.CASCADE, related_name="messages")
    code = models.CharField(_("status"), max_length=2, choices=StatusCode.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by_name = models.CharField(_("by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status message")
        verbose_name_plural = _("status messages")
        ordering = ["recipient", "at", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.at:%d/%m/%Y %H:%M}"


class Assignment(models.Model):
    """A hand-off of an incoming document: to a lead or coordinating unit (and person), with a deadline.

    The leader's assignment has no parent; a unit passes its part down its own
    hierarchy (committee -> department -> ward) with child assignments, each
    with its own deadline, never later than its parent's.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        COORDINATE = "coordinate", _("Coordinating")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PASSED = "passed", _("Passed down")
        DONE = "done", _("Done")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    from_unit = models.ForeignKey(Unit, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_assignments",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("instructions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["document", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["status", "deadline"], include=["document_id"], name="assignment_status_due"
            ),
            models.Index(fields=["user", "status"], name="assignment_user_status"),
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["from_unit", "status"], name="assignment_from_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit}"


class DocumentNotice(OutboxMessage):
    """The documents app's outbox (``portal.outbox``): deadline reminders to handlers and leaders."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline soon (handler)")
        OVERDUE = "overdue", _("Deadline passed (leader)")
        CERTIFICATE_EXPIRY = "cert_expiry", _("Certificate expires soon")

    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    certificate = models.ForeignKey(
        "Certificate", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("document notice")
        verbose_name_plural = _("document notices")
        indexes = [
            models.Index(
                fields=["created_at"], name="docnotice_unsent", condition=models.Q(sent_at__isnull=True)
            )
        ]


# ------------------------------------------------------------------------------------------
# Block 2: the certificate registry (issue 8, items 8-10).
# The certificate registry: who holds which certificate, until when, and whether it was revoked.
#
# A :class:`Certificate` row holds an X.509 certificate (its DER and the
# fields read from it), whom it was issued to (a member of staff for a
# personal certificate, a unit for an organisation's), optionally its private
# key encrypted at rest (see :mod:`documents.keys`), and the image its
# signatures show (the signer's handwritten signature, or the organisation's
# seal: Decree 30/2020/NĐ-CP, Appendix I). Certificate authorities are rows
# too; those marked ``trusted`` are the trust anchors that validation uses.
#
# Status is never edited in place: revocation goes through
# ``documents.services.revoke_certificate`` (audited); the admin shows it
# read-only.
#
# ------------------------------------------------------------------------------------------


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
