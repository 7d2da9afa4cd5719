"""One-stop desk data: the service catalogue, dossiers and their history.

Invariants only. The status of a dossier changes through ``onestop.services``
alone (which asks ``onestop.workflow`` what is allowed); due dates are
computed once by the working-day calendar and moved only by services, with
the reason recorded in the dossier's event history.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cases import CaseEvent
from portal.models import Unit
from portal.outbox import OutboxMessage
from portal.text import fold
from portal.uploads import StoredFile, validate_office_document


class Sector(models.Model):
    """Lĩnh vực: the field a service belongs to (civil status, construction, land…)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceLevel(models.IntegerChoices):
    """The 2011 levels (Decree 43/2011): kept as data for reports that still count them (the 2022 report)."""

    LEVEL_2 = 2, _("Level 2: forms online, filed in person")
    LEVEL_3 = 3, _("Level 3: filed and processed online")
    LEVEL_4 = 4, _("Level 4: paid and returned online")


class OnlineClass(models.TextChoices):
    """Decree 42/2022/NĐ-CP: an online public service is *toàn trình* (fully online: the
    information, the filing and the processing all online, the result returned online or
    by public post) or *một phần* (partly online: any online service that is not fully
    online). A service with no online filing is neither."""

    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    OFFLINE = "offline", _("Not online")


# The class a service of a 2011 level gets when an administrator has not set one.
LEVEL_ONLINE_CLASS = {
    ServiceLevel.LEVEL_2: OnlineClass.OFFLINE,
    ServiceLevel.LEVEL_3: OnlineClass.PARTIAL,
    ServiceLevel.LEVEL_4: OnlineClass.FULL,
}


def online_q(mode: str) -> models.Q:
    """Services of the Decree 42/2022 class ``mode`` (set, or implied by the 2011 level)."""
    levels = [level for level, implied in LEVEL_ONLINE_CLASS.items() if implied == mode]
    return models.Q(online_class=mode) | models.Q(online_class="", level__in=levels)


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def online(self, mode: str):
        """Services of one Decree 42/2022 class: set so, or unset with a 2011 level that implies it."""
        return self.filter(online_q(mode))

    def search(self, text: str):
        """Accent-insensitive full-text search on the folded column, best matches first.

        The expression is the one the ``service_search`` GIN index is built on.
        """
        from portal.text import tsquery

        query = tsquery(text)
        if not query:
            return self
        search_query = SearchQuery(query, search_type="raw", config="simple")
        return (
            self.alias(search_vector=SearchVector("search_text", config="simple"))
            .filter(search_vector=search_query)
            .order_by(SearchRank(models.F("search_vector"), search_query, normalization=1).desc(), "name")
        )


class Service(models.Model):
    """A public service (thủ tục hành chính) as the catalogue publishes it."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="services"
    )
    level = models.PositiveSmallIntegerField(
        _("level (2011)"),
        choices=ServiceLevel.choices,
        db_index=True,
        help_text=_("Decree 43/2011 level, kept for reports that still count levels 2, 3 and 4."),
    )
    online_class = models.CharField(
        _("online service (Decree 42/2022)"),
        max_length=8,
        choices=OnlineClass.choices,
        blank=True,
        help_text=_("Empty: taken from the 2011 level (4 fully online, 3 partly online, 2 not online)."),
    )
    receiving_units = models.ManyToManyField(
        Unit,
        verbose_name=_("competent units"),
        related_name="received_services",
        help_text=_("Units competent for this service: their one-stop desk receives it and they process it."),
    )
    receivable_anywhere = models.BooleanField(
        _("received regardless of administrative boundary"),
        default=False,
        help_text=_(
            "Phi địa giới (Decree 118/2025): every ward and commune desk of the province receives it "
            "and routes the dossier to the competent unit."
        ),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("statutory time (working days)"),
        help_text=_("Total time from transfer to result, in working days (the sum of the steps)."),
    )
    fee = models.PositiveIntegerField(_("fee (VND)"), default=0)
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    result_name = models.CharField(_("result"), max_length=300, help_text=_("What the citizen receives."))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    description = models.TextField(_("procedure"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("public service")
        verbose_name_plural = _("public services")
        ordering = ["sector__name", "name"]
        indexes = [
            GinIndex(SearchVector("search_text", config="simple"), name="service_search"),
            models.Index(fields=["sector", "level"], name="service_sector_level"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def build_search_text(self) -> str:
        """The folded text the search runs on (set by ``save``; bulk inserts call it themselves)."""
        return fold(f"{self.code} {self.code.replace('.', ' ')} {self.name} {self.result_name}")

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def online_mode(self) -> str:
        """The Decree 42/2022 class: the one set, or the one the 2011 level implies."""
        return self.online_class or LEVEL_ONLINE_CLASS.get(self.level, OnlineClass.OFFLINE)

    def get_online_mode_display(self) -> str:
        return str(OnlineClass(self.online_mode).label)

    @property
    def files_online(self) -> bool:
        return self.online_mode != OnlineClass.OFFLINE

    @property
    def pays_online(self) -> bool:
        return self.online_mode == OnlineClass.FULL and self.fee > 0


class ServiceStep(models.Model):
    """One link in the service's processing chain (liên thông)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("processing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the unit that received the dossier."),
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["service", "order"]
        constraints = [models.UniqueConstraint(fields=["service", "order"], name="service_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: a document the applicant must (or may) provide."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        CERTIFIED_COPY = "certified", _("Certified copy")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("document"), max_length=300)
    form = models.CharField(_("original or copy"), max_length=16, choices=Form.choices, default=Form.ORIGINAL)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    template = models.FileField(
        _("form to download"),
        upload_to="forms/",
        blank=True,
        validators=[validate_office_document],
        help_text=_("PDF, DOCX, ODT or XLSX; checked by content."),
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["service", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting online payment")
    SUBMITTED = "submitted", _("Submitted, awaiting check")
    SUPPLEMENT_REQUESTED = "supplement", _("Supplement requested")
    REJECTED = "rejected", _("Refused at reception")
    PROCESSING = "processing", _("Being processed")
    AWAITING_APPROVAL = "approval", _("Awaiting leader approval")
    REFUSED = "refused", _("Refused")
    STOPPED = "stopped", _("Processing stopped")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")


ACTIVE_STATUSES = [
    DossierStatus.SUBMITTED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PROCESSING,
    DossierStatus.AWAITING_APPROVAL,
    DossierStatus.RESULT_READY,
]
IN_PROCESS_STATUSES = [DossierStatus.PROCESSING, DossierStatus.AWAITING_APPROVAL]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    DESK = "desk", _("At the desk")
    POST = "post", _("By post")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class PaymentStatus(models.TextChoices):
    NOT_REQUIRED = "none", _("No online payment")
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The dossiers ``user`` may see as staff. A citizen's draft is theirs alone
        until submitted, so no official sees it."""
        from portal.scoping import visible_to

        return visible_to(self.exclude(status=DossierStatus.DRAFT), user, "unit_ids")


class Dossier(models.Model):
    """A citizen's application for a service (hồ sơ)."""

    code = models.CharField(_("dossier code"), max_length=40, unique=True, null=True, blank=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_unit = models.ForeignKey(
        Unit, verbose_name=_("receiving desk"), on_delete=models.PROTECT, related_name="received_dossiers"
    )
    # Phi địa giới: the desk that received the dossier and the unit competent to decide it
    # may differ. Empty on rows older than the field: the receiving unit was competent.
    competent_unit = models.ForeignKey(
        Unit,
        verbose_name=_("competent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )
    # Circular 03/2025 Art. 5: why a walk-in dossier's papers were not scanned (empty: scanned).
    scan_exemption = models.ForeignKey(
        "ScanExemption",
        verbose_name=_("not scanned because"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Units involved (receiving desk, competent unit, every step's unit): the scoping column.
    unit_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT, editable=False
    )

    # Applicant
    applicant_name = models.CharField(_("full name"), max_length=150)
    applicant_id_number = models.CharField(_("citizen ID number (CCCD)"), max_length=12)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_address = models.CharField(_("address"), max_length=300)
    applicant_phone = models.CharField(_("mobile"), max_length=15)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    request_summary = models.TextField(_("request"), blank=True)
    consent_at = models.DateTimeField(_("consent to personal-data processing"), null=True, blank=True)
    draft_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The draft link's last use (opened or saved); it expires DRAFT_LINK_DAYS after that.
    draft_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Timeline (set by services only)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    processing_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_date = models.DateField(_("appointment date"), null=True, blank=True, editable=False)
    original_due_date = models.DateField(_("first appointment date"), null=True, blank=True, editable=False)
    rescheduled = models.BooleanField(_("new date set"), default=False, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    timeliness = models.CharField(
        _("returned"), max_length=8, choices=Timeliness.choices, blank=True, editable=False
    )
    visits = models.PositiveSmallIntegerField(_("times the applicant came"), default=0, editable=False)

    fee_amount = models.PositiveIntegerField(_("fee (VND)"), default=0, editable=False)
    payment_status = models.CharField(
        _("payment"),
        max_length=8,
        choices=PaymentStatus.choices,
        default=PaymentStatus.NOT_REQUIRED,
        editable=False,
    )
    result_note = models.TextField(_("result / reasons"), blank=True, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-id"]
        indexes = [
            GinIndex(fields=["unit_ids"], name="dossier_units"),
            models.Index(fields=["receiving_unit", "status", "-id"], name="dossier_unit_status"),
            # Covering (index-only) for the queues and their counts.
            models.Index(fields=["status", "due_date"], include=["id"], name="dossier_status_due_cov"),
            models.Index(fields=["service", "status"], name="dossier_service_status"),
            models.Index(fields=["received_at"], name="dossier_received"),
            # The dossier register of a desk per period (form 06/07).
            models.Index(fields=["receiving_unit", "submitted_at"], name="dossier_unit_submitted"),
            models.Index(fields=["returned_at"], name="dossier_returned"),
            models.Index(fields=["applicant_user", "-id"], name="dossier_applicant"),
            # Back-office search by CCCD or mobile (a code prefix uses the unique column's _like index).
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_cccd"),
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
        ]
        permissions = [
            ("receive_dossier", _("Can receive dossiers at the one-stop desk")),
            ("process_dossier", _("Can process dossiers")),
            ("approve_dossier", _("Can approve dossier results")),
        ]

    def __str__(self) -> str:
        return self.code or _("Draft #%(pk)s") % {"pk": self.pk}

    def clean(self):
        from portal.validators import validate_cccd, validate_mobile

        errors = {}
        for field, check in (("applicant_id_number", validate_cccd), ("applicant_phone", validate_mobile)):
            try:
                check(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)

    def citizen_name(self) -> str:
        """How the history names the applicant when they act."""
        return self.applicant_name

    @property
    def competent_unit_or_desk(self) -> Unit:
        return self.competent_unit if self.competent_unit_id else self.receiving_unit

    @property
    def received_elsewhere(self) -> bool:
        """Received by another unit's desk (phi địa giới)."""
        return bool(self.competent_unit_id and self.competent_unit_id != self.receiving_unit_id)

    @property
    def current_step(self) -> DossierStep | None:
        for step in self.steps.all():
            if step.status == DossierStep.Status.ACTIVE:
                return step
        return None


class DossierCounter(models.Model):
    """The last sequence number of dossier codes per receiving unit per day."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="dossier_counter_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.last}"


class DossierStep(models.Model):
    """A processing step of one dossier: its unit, assignee and own due date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Handed over")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossier_steps"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_steps",
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    finished_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order")]
        indexes = [
            models.Index(fields=["status", "due_date"], include=["dossier_id"], name="step_status_due_cov"),
            models.Index(fields=["assignee", "status"], name="step_assignee_status"),
            models.Index(fields=["unit", "status", "due_date"], name="step_unit_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name} ({self.unit})"


class DossierEvent(CaseEvent):
    """Append-only history of a dossier: the current status is the latest event."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier history")
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_at")]


class DossierFile(StoredFile):
    """A file of a dossier, kept in private storage under a generated name."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application document")
        SUPPLEMENT = "supplement", _("Supplement")
        RESULT = "result", _("Result")
        SCAN = "scan", _("Scanned at the desk")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("answers the required document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    file = models.FileField(upload_to="dossiers/%Y/%m/")

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["dossier", "uploaded_at", "id"]


class SupplementRequest(models.Model):
    """Form 02: every missing item, listed once and in full, with reasons."""

    class Stage(models.TextChoices):
        DESK = "desk", _("At reception")
        PROCESSING = "processing", _("During processing")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    items = models.JSONField(help_text="[{'name': ..., 'reason': ...}]")
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%d/%m/%Y}"


class Payment(models.Model):
    """An online fee payment through a gateway (VNPAY protocol)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=16, default="vnpay")
    txn_ref = models.CharField(_("transaction reference"), max_length=64, unique=True)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    provider_txn_no = models.CharField(max_length=64, blank=True)
    bank_code = models.CharField(max_length=32, blank=True)
    response_code = models.CharField(max_length=8, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.txn_ref


class Rating(models.Model):
    """The citizen's answers about a returned dossier (Decree 61 Art. 29-32).

    The citizen answers only what the system cannot know: publication, attitude
    and answers to their questions. ``visits`` and ``agencies`` were asked
    before the system counted them (rows of that time keep them); they are no
    longer asked, see :class:`Evaluation`.
    """

    SCORE = [(0, "0"), (1, "1"), (2, "2")]
    ANSWERED = ("attitude", "publication", "feedback")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    created_at = models.DateTimeField(auto_now_add=True)
    visits = models.PositiveSmallIntegerField(
        _("times you had to come back"), choices=SCORE, null=True, blank=True, editable=False
    )
    agencies = models.PositiveSmallIntegerField(
        _("agencies you had to contact"), choices=SCORE, null=True, blank=True, editable=False
    )
    attitude = models.PositiveSmallIntegerField(_("attitude of the officials"), choices=SCORE)
    publication = models.PositiveSmallIntegerField(_("clarity of the published procedure"), choices=SCORE)
    feedback = models.PositiveSmallIntegerField(_("answers to your questions"), choices=SCORE)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.dossier} {self.average}"

    @property
    def average(self) -> float:
        scores = [getattr(self, name) for name in self.ANSWERED]
        return round(sum(scores) / len(scores), 1)


class Evaluation(models.Model):
    """The Decree 61/2018 evaluation of one returned dossier (Art. 29-32; Circular 01/2018 Art. 12-15).

    Made when the result is returned, whether the citizen rates it or not.
    Indicators the system knows come from the dossier's own data: 1 the total
    time (early 2, on time 1, late 0), 2 each unit's time (the worst step,
    scored the same way), 3 the times the applicant had to come back (none 2,
    once 1, more 0), 4 the agencies the applicant had to deal with (the desk
    alone 2, one more 1, more 0). The citizen's rating fills in the rest: 6
    publication, 7 attitude, 8 answers to their questions (empty until they
    rate). Indicators 5 (the desk's model) and 9 (the online share) belong to
    a unit, not a dossier, and are published as unit figures.
    """

    DATA = ("total_time", "unit_time", "visits", "agencies")
    CITIZEN = ("publication", "attitude", "feedback")
    INDICATORS = DATA + CITIZEN

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="evaluation")
    # Copied from the dossier so the statistics group and filter on this table alone.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField()
    total_time = models.PositiveSmallIntegerField(_("1. total time"))
    unit_time = models.PositiveSmallIntegerField(_("2. each unit's time"))
    visits = models.PositiveSmallIntegerField(_("3. times the applicant came back"))
    agencies = models.PositiveSmallIntegerField(_("4. agencies contacted"))
    publication = models.PositiveSmallIntegerField(
        _("6. publication of the procedure"), null=True, blank=True
    )
    attitude = models.PositiveSmallIntegerField(_("7. attitude of the officials"), null=True, blank=True)
    feedback = models.PositiveSmallIntegerField(_("8. answers to questions"), null=True, blank=True)
    rated = models.BooleanField(_("rated by the applicant"), default=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=["returned_at", "unit"], name="evaluation_returned_unit")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.score}"

    @property
    def score(self) -> int:
        """The points of the indicators known for this dossier."""
        return sum(getattr(self, name) or 0 for name in self.INDICATORS)


class ScanExemption(models.Model):
    """Why a walk-in dossier's papers are not scanned into the electronic dossier.

    Circular 03/2025/TT-VPCP Art. 5 (as read in ../shared/DOMAIN.md §6): papers
    are scanned at the desk except for dossiers filed online, papers only shown
    for comparison, verification results and secret documents. The article's
    exact wording could not be checked here, so the list is data an
    administrator edits, seeded with those four.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("reason"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reason for not scanning")
        verbose_name_plural = _("reasons for not scanning")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Notification(OutboxMessage):
    """The one-stop desk's outbox: reminders to officials and e-mails to citizens (``portal.outbox``).

    ``key`` is unique: a sweep that runs twice inserts nothing new; a sender
    marks ``sent_at`` in the same transaction that holds the row lock.
    """

    class Kind(models.TextChoices):
        STEP_DUE = "step_due", _("Step due soon (assignee)")
        STEP_OVERDUE = "step_overdue", _("Step overdue (leader)")
        APOLOGY_DUE = "apology_due", _("Apology letter needed")
        CITIZEN_RECEIVED = "received", _("Dossier received (citizen)")
        CITIZEN_SUPPLEMENT = "supplement", _("Supplement requested (citizen)")
        CITIZEN_REFUSED = "refused", _("Dossier refused (citizen)")
        CITIZEN_RESULT = "result", _("Result ready (citizen)")
        CITIZEN_RESCHEDULED = "rescheduled", _("New appointment date (citizen)")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    step = models.ForeignKey(DossierStep, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["created_at"], name="notification_unsent", condition=models.Q(sent_at__isnull=True)
            )
        ]


# --- the law in force: rules, forms and desk names as data with effective dates -------


class LegalRegimeQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The row in force on ``day``: the latest whose effective date is not after it."""
        return self.filter(effective_from__lte=day).order_by("-effective_from").first()


class LegalRegime(models.Model):
    """The one-stop rules of a decree, in force from its effective date.

    Seeded (migration ``0006_legal_regimes``) with:

    - Decree 61/2018/NĐ-CP (23 April 2018, in force 21 June 2018): the one-stop
      mechanism; Art. 19 the 15:00 transfer rule, the 3-working-day window and
      the restart of the whole time after supplements; Art. 29-32 evaluation.
    - Decree 118/2025/NĐ-CP (9 June 2025, in force 1 July 2025): replaces it
      (DOMAIN.md §6). Its time-counting and supplement details were not
      confirmed here [open], so they are the fields below, seeded with the
      2018 values, which an administrator edits if the decree differs.

    A dossier follows the regime in force on the day it was received
    (:func:`onestop.law.regime_for`).
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    decree = models.CharField(_("decree"), max_length=200, help_text=_("E.g. Nghị định số 118/2025/NĐ-CP."))
    decree_title = models.CharField(_("decree title"), max_length=500, blank=True)
    effective_from = models.DateField(_("in force from"), unique=True)
    desk_name = models.CharField(
        _("name of the one-stop desk"),
        max_length=200,
        help_text=_(
            "Used where a unit has no desk name of its own for this regime: {unit} is replaced by the "
            "unit's name, {committee} by its people's committee."
        ),
    )
    transfer_cutoff = models.TimeField(
        _("transfer cut-off"),
        help_text=_("Dossiers received after this time are transferred the next working day."),
    )
    supplement_window_days = models.PositiveSmallIntegerField(
        _("supplement window (working days)"),
        help_text=_(
            "A processing agency may ask for supplements within this many working days of receiving the dossier."
        ),
    )
    supplement_requests_per_agency = models.PositiveSmallIntegerField(
        _("supplement requests per agency"), default=1
    )
    supplement_rule = models.TextField(
        _("supplement rule as printed"),
        help_text=_("The sentence printed on a processing agency's request for supplements."),
    )
    allows_stop = models.BooleanField(
        _("processing may be stopped"),
        default=False,
        help_text=_("The applicant may withdraw, or the agency stop, a dossier (notice of stop)."),
    )

    objects = LegalRegimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal regime")
        verbose_name_plural = _("legal regimes")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.decree} ({self.effective_from:%d/%m/%Y})"


class FormSet(models.Model):
    """The forms of a circular, in force from their own effective date.

    Circular 01/2018/TT-VPCP (Appendix: forms 01-06) and Circular
    03/2025/TT-VPCP (15 September 2025, Appendix I: forms 01-07). The 2025
    circular's effective date was not confirmed [open]: it is seeded as
    15/09/2025 and editable here; until then the 2018 forms stay in use.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    circular = models.CharField(_("circular"), max_length=200)
    effective_from = models.DateField(_("in force from"), unique=True)

    objects = LegalRegimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("form set")
        verbose_name_plural = _("form sets")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.circular} ({self.effective_from:%d/%m/%Y})"


class LegalForm(models.Model):
    """One form of a form set: its number and printed title, keyed by the letter it is."""

    form_set = models.ForeignKey(FormSet, on_delete=models.CASCADE, related_name="forms")
    letter = models.SlugField(_("letter"), max_length=32, help_text=_("The letter registry's slug."))
    number = models.CharField(_("form number"), max_length=8, blank=True)
    title = models.CharField(_("printed title"), max_length=300)

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["form_set", "number", "letter"]
        constraints = [models.UniqueConstraint(fields=["form_set", "letter"], name="legal_form_letter")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class DeskName(models.Model):
    """The name of a unit's one-stop desk under a regime ("Trung tâm Phục vụ hành chính công ...")."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    regime = models.ForeignKey(LegalRegime, verbose_name=_("legal regime"), on_delete=models.CASCADE)
    name = models.CharField(_("desk name"), max_length=300)

    class Meta:
        verbose_name = _("desk name")
        verbose_name_plural = _("desk names")
        constraints = [models.UniqueConstraint(fields=["unit", "regime"], name="desk_name_unit_regime")]

    def __str__(self) -> str:
        return self.name
