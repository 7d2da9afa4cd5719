"""Citizen feedback ("1022"): categories, reports and their handling, ratings, API clients.

Invariants only. A report's status changes through ``feedback.services``
alone (which asks ``feedback.workflow``); deadlines are computed once by the
working-day calendar and stored per assignment. What the law fixes (the 5
working days to forward a report outside the city's competence, the 7 days
to reopen an answer) is data with an effective date (:class:`Rules`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cases import CaseEvent
from portal.models import Unit
from portal.outbox import OutboxMessage
from portal.uploads import StoredFile

CODE_VALIDATOR = RegexValidator(r"^[a-z0-9][a-z0-9_-]{0,39}$", _("Lower-case letters, digits, - and _."))


class Rules(models.Model):
    """The time limits in force from a date (Decree 20/2008/NĐ-CP and the city's 1022 rules).

    A report follows the rules in force on the day it was received.
    """

    effective_from = models.DateField(_("in force from"), unique=True)
    forward_days = models.PositiveSmallIntegerField(
        _("working days to forward a report outside the city's competence"), default=5
    )
    reopen_days = models.PositiveSmallIntegerField(_("days the reporter may reopen an answer"), default=7)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("time limits")
        verbose_name_plural = _("time limits")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y}"

    @classmethod
    def in_force(cls, day: date) -> Rules:
        found = cls.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        return found or cls(effective_from=day)


class Desk(models.Model):
    """The 1022 desk: the unit whose operators take calls and triage every report (one row)."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("intake and triage unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the top unit (the city people's committee)."),
    )
    phone = models.CharField(_("hotline"), max_length=20, default="1022")

    class Meta:
        verbose_name = _("1022 desk")
        verbose_name_plural = _("1022 desk")

    def __str__(self) -> str:
        return str(self.unit or "—")

    @classmethod
    def intake_unit(cls) -> Unit:
        desk = cls.objects.select_related("unit").filter(pk=1).first()
        if desk and desk.unit_id:
            return desk.unit
        return Unit.objects.filter(parent__isnull=True).order_by("pk").first()


class Category(models.Model):
    """What a report is about: the Open311 service. Its deadline and handling unit are data."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    default_unit = models.ForeignKey(
        Unit, verbose_name=_("handling unit by default"), on_delete=models.PROTECT, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    emergency = models.BooleanField(_("emergency"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AttributeType(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice")
    MULTI = "multivaluelist", _("Several choices")


class CategoryAttribute(models.Model):
    """A question a category asks (an Open311 service definition attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(_("code"), max_length=40, validators=[CODE_VALIDATOR])
    description = models.CharField(_("question"), max_length=200)
    datatype = models.CharField(_("type"), max_length=16, choices=AttributeType.choices)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("hint"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    values = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_('For lists: [{"key": "…", "name": "…"}, …]')
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="feedback_attribute_code")]

    def __str__(self) -> str:
        return self.description

    @property
    def keys(self) -> list[str]:
        return [str(v.get("key")) for v in self.values or []]


class Channel(models.TextChoices):
    WEB = "web", _("Web or phone app")
    PHONE = "phone", _("1022 telephone line")
    API = "api", _("Open311 API")


class ReportStatus(models.TextChoices):
    NEW = "new", _("Received, awaiting triage")
    ASSIGNED = "assigned", _("Being handled")
    AWAITING_APPROVAL = "approval", _("Answer awaiting the leader's approval")
    ANSWERED = "answered", _("Answered")
    INVALID = "invalid", _("Not accepted")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    FORWARDED = "forwarded", _("Forwarded to the competent agency")


OPEN_STATUSES = [ReportStatus.NEW, ReportStatus.ASSIGNED, ReportStatus.AWAITING_APPROVAL]
HANDLING_STATUSES = [ReportStatus.ASSIGNED, ReportStatus.AWAITING_APPROVAL]


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports ``user`` may see as staff: those of every unit involved (intake, handlers, ward)."""
        from portal.scoping import visible_to

        return visible_to(self, user, "unit_ids")

    def public(self):
        """Reports whose answer is published (the public list), whatever happened since."""
        return self.filter(published_at__isnull=False)


class Report(models.Model):
    """One citizen report (phản ánh, kiến nghị)."""

    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    key_hash = models.CharField(max_length=64, editable=False)  # SHA-256 of the reporter's key
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    ward = models.ForeignKey(
        Unit, verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("description"))
    attributes = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)

    reporter_name = models.CharField(_("name"), max_length=120)
    reporter_phone = models.CharField(_("phone"), max_length=15)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    name_public = models.BooleanField(_("name may be shown publicly"), default=False)

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    api_client = models.ForeignKey(
        "ApiClient", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    api_token = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW, editable=False
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit holding it"),
        on_delete=models.PROTECT,
        related_name="feedback_reports",
        editable=False,
    )
    unit_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)  # the scoping column
    received_at = models.DateTimeField(_("received at"), editable=False)
    forward_due = models.DateField(_("triage or forward by"), editable=False)
    due_date = models.DateField(_("deadline"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last change"), editable=False)
    round = models.PositiveSmallIntegerField(default=1, editable=False)  # 2 once reopened

    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates", editable=False
    )
    decision_note = models.TextField(_("reason given to the reporter"), blank=True, editable=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True, editable=False)

    answer_draft = models.TextField(_("draft answer"), blank=True, editable=False)
    answer = models.TextField(_("official answer"), blank=True, editable=False)
    answered_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True, editable=False
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True, editable=False)
    search_text = models.TextField(default="", editable=False)
    # Stored, so the public search tests a ready vector per row (no to_tsvector while walking the index).
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-id"]
        indexes = [
            GinIndex(fields=["unit_ids"], name="report_units"),
            models.Index(fields=["status", "-id"], name="report_status"),
            models.Index(fields=["unit", "status"], name="report_unit_status"),
            models.Index(fields=["received_at"], name="report_received"),
            models.Index(fields=["category", "received_at"], name="report_category_received"),
            models.Index(fields=["answered_at"], name="report_answered"),
            models.Index(fields=["reporter_phone"], name="report_phone"),
            # The public list: published reports, newest first, by ward, category or status; search.
            models.Index(
                fields=["-published_at", "-id"],
                name="report_public",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["ward", "-published_at", "-id"],
                name="report_public_ward",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["category", "-published_at", "-id"],
                name="report_public_category",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="report_public_status",
                condition=models.Q(published_at__isnull=False),
            ),
            # Published, then reopened and being handled again: few rows, found at once.
            models.Index(
                fields=["-published_at", "-id"],
                name="report_public_reopened",
                condition=models.Q(published_at__isnull=False, status__in=["assigned", "approval"]),
            ),
            GinIndex(
                fields=["search_vector"], name="report_search", condition=models.Q(published_at__isnull=False)
            ),
        ]
        permissions = [
            ("triage_report", _("Can take calls and triage feedback reports")),
            ("handle_report", _("Can handle feedback reports")),
            ("approve_answer", _("Can approve answers to feedback reports")),
        ]

    def __str__(self) -> str:
        return self.code

    def citizen_name(self) -> str:
        return self.reporter_name

    @property
    def public_name(self) -> str:
        return self.reporter_name if self.name_public else ""

    @property
    def is_open(self) -> bool:
        return self.effective_status in OPEN_STATUSES

    @property
    def effective_status(self) -> str:
        """A duplicate follows its original's status."""
        if self.status == ReportStatus.DUPLICATE and self.duplicate_of_id:
            return self.duplicate_of.status
        return self.status


class ReportCounter(models.Model):
    """The last sequence number of tracking codes per day (one atomic upsert per report)."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Assignment(models.Model):
    """A unit's part in handling a report, with its own deadline; a department may pass it down."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Handling")
        PASSED_DOWN = "passed_down", _("Passed down")
        DONE = "done", _("Answered")
        WITHDRAWN = "withdrawn", _("Returned to the desk")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    due_date = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    finished_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    note = models.TextField(_("instructions"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["report", "assigned_at", "pk"]
        indexes = [
            models.Index(
                fields=["status", "due_date"], include=["report_id"], name="fb_assignment_status_due"
            ),
            models.Index(fields=["unit", "status"], name="fb_assignment_unit_status"),
            models.Index(fields=["handler", "status"], name="fb_assignment_handler_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(status="active"),
                name="feedback_one_active_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.unit}"


class ReportEvent(CaseEvent):
    """Append-only history of a report: every triage, hand-down, note, answer, rating."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report history")
        ordering = ["report", "at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="report_event_at")]


class Photo(StoredFile):
    """A photo of a report (the citizen's) or of the fix (an official's): resized, metadata stripped.

    Photos of a form that failed validation wait under the form's key
    (``stash``) without a report, so the citizen need not choose them again.
    """

    class Kind(models.TextChoices):
        REPORT = "report", _("Citizen's photo")
        FIX = "fix", _("Photo of the fix")

    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    stash = models.CharField(max_length=64, blank=True, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REPORT)
    file = models.FileField(upload_to="feedback/%Y/%m/")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "uploaded_at", "id"]


class Rating(models.Model):
    """The reporter's satisfaction with an answer (1-5), once per answer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SATISFIED_FROM = 4  # 4 and 5 are "satisfied"; 1 and 2 "unhappy"

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["report", "round"], name="feedback_rating_round")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.score}"

    @property
    def unhappy(self) -> bool:
        return self.score <= 2


class ApiClient(models.Model):
    """An Open311 client (an app, a civic-tech tool) with its API key, stored as a SHA-256 digest."""

    name = models.CharField(_("name"), max_length=120)
    contact = models.EmailField(_("contact e-mail"))
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    per_hour = models.PositiveIntegerField(_("reports per hour"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(OutboxMessage):
    """The feedback app's outbox (``portal.outbox``): reminders to officials, e-mails to reporters."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline near (handler)")
        OVERDUE = "overdue", _("Deadline passed (leader)")
        TRIAGE_DUE = "triage_due", _("Triage or forwarding deadline near (desk)")
        RECEIVED = "received", _("Report received (reporter)")
        ANSWERED = "answered", _("Report answered (reporter)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notifications")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="feedback_notification_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]
