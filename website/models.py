"""The city's public website: news (Wagtail pages), the legal documents library, leaders' schedules.

News are Wagtail pages: ``NewsIndexPage`` (the site's root, at /tin-tuc/) holds
one ``SectionPage`` per category (city news, announcements, administrative
reform, ward news; ward news holds one section per ward), and ``Article``
pages live in the sections. Wagtail keeps every revision, runs the editorial
workflow (draft -> review by a leader of the editorial board -> publish) and
scheduled publishing (``go_live_at``, the ``publish_scheduled`` beat task).

``Article.published_at`` is a copy of the first publication time in the
article's own table (set when it goes live, cleared when unpublished), so
the public lists and feeds read one indexed table whatever the number of
pages. ``search_text`` holds the folded words (``portal.text.fold``) and a
stored ``simple`` tsvector is indexed with GIN: accent-free search without
a PostgreSQL extension.

The legal library (``LegalDocument``) is filled by ``website.services`` when
``documents`` issues an outgoing document marked public (its signal
``document_issued``); staff of the website add the fields the register does
not hold (effective date, field, status and the links between documents).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from portal.models import Unit
from portal.text import fold

# What editors may write in an article body: the rich-text whitelist (no script, style or raw HTML).
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image"]


class Category(models.TextChoices):
    CITY = "city", _("City news")
    ANNOUNCEMENT = "announcement", _("Announcements")
    REFORM = "reform", _("Administrative reform")
    WARD = "ward", _("Ward news")


def _search_vector_field():
    return models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )


class NewsIndexPage(Page):
    """/tin-tuc/: the root of the news site; lists the newest articles of every section."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["website.SectionPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("news home")

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from website import selectors, services

        context = super().get_context(request, *args, **kwargs)
        params = request.GET.copy()
        context["page_of_articles"] = SimpleLazyObject(lambda: selectors.news_page(params))
        context["sections"] = SectionPage.objects.live().child_of(self).order_by("path")
        context["home_version"] = services.home_version()
        return context


class SectionPage(Page):
    """A category (and, under ward news, one ward's section: its staff write only there)."""

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    ward = models.ForeignKey(
        Unit, verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intro = models.CharField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("category"), FieldPanel("ward"), FieldPanel("intro")]
    subpage_types = ["website.SectionPage", "website.Article"]
    parent_page_types = ["website.NewsIndexPage", "website.SectionPage"]

    class Meta:
        verbose_name = _("news section")

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from website import selectors, services

        context = super().get_context(request, *args, **kwargs)
        params = request.GET.copy()
        context["page_of_articles"] = SimpleLazyObject(lambda: selectors.news_page(params, section=self))
        context["home_version"] = services.home_version()
        return context


class Article(Page):
    """A news article or an announcement; its category and ward come from its section."""

    intro = models.TextField(_("summary"), max_length=1000)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(_("lead image description"), max_length=250, blank=True)
    body = RichTextField(_("body"), features=BODY_FEATURES, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    # Copied from the section when saved (lists filter on this table alone).
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, editable=False)
    ward = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    search_vector = _search_vector_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading=_("Lead image")),
        FieldPanel("body"),
        FieldPanel("author"),
        InlinePanel("gallery", label=_("Gallery")),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    parent_page_types = ["website.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        indexes = [
            models.Index(
                fields=["-published_at", "-page_ptr"],
                name="article_published",
                condition=models.Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["category", "-published_at", "-page_ptr"],
                name="article_cat_published",
                condition=models.Q(published_at__isnull=False),
            ),
            GinIndex(
                fields=["search_vector"],
                name="article_search",
                condition=models.Q(published_at__isnull=False),
            ),
        ]

    def build_search_text(self) -> str:
        from django.utils.html import strip_tags

        return fold(" ".join([self.title, self.intro, strip_tags(self.body or "")]))[:20000]

    def save(self, *args, **kwargs):
        from website import sanitize

        self.body = sanitize.clean_body(self.body or "")
        parent = self.get_parent() if self.pk or self.path else None
        section = parent.specific if parent is not None else None
        if isinstance(section, SectionPage):
            self.category = section.category
            self.ward_id = section.ward_id
        self.category = self.category or Category.CITY
        self.search_text = self.build_search_text()
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or timezone.now()
        if not self.live:
            self.published_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = [
                *update_fields,
                *[
                    f
                    for f in ("body", "category", "ward", "search_text", "published_at")
                    if f not in update_fields
                ],
            ]
        return super().save(*args, **kwargs)

    @property
    def url_path_public(self) -> str:
        """The article's address without a Site lookup: the news home's slug is its mount point (/tin-tuc/)."""
        return self.url_path

    @property
    def image_alt(self) -> str:
        return self.lead_image_alt or self.title


class ArticleImage(Orderable):
    page = ParentalKey(Article, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=250)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ArticleAttachment(Orderable):
    page = ParentalKey(Article, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=250)

    panels = [FieldPanel("document"), FieldPanel("title")]


# --- the legal documents library ----------------------------------------------------------------


class LegalStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")


class LegalField(models.Model):
    """A field (lĩnh vực) the library files documents under; data an administrator edits."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("field of law")
        verbose_name_plural = _("fields of law")

    def __str__(self) -> str:
        return self.name


class LegalDocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(withdrawn=False)


class LegalDocument(models.Model):
    """A published legal or steering document (văn bản quy phạm pháp luật, chỉ đạo điều hành)."""

    source_id = models.BigIntegerField(
        _("register entry"),
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("documents.Document id"),
    )
    notation = models.CharField(_("number and symbol"), max_length=80)
    doc_type = models.CharField(_("type"), max_length=120)
    issuer = models.ForeignKey(
        Unit, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=2000)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.IN_FORCE
    )
    field = models.ForeignKey(
        LegalField,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    amended_by = models.ManyToManyField(
        "self", verbose_name=_("amended by"), blank=True, symmetrical=False, related_name="amends"
    )
    file_id = models.BigIntegerField(null=True, blank=True, editable=False)  # documents.DocumentFile (signed)
    signature_report = models.JSONField(_("signature check"), default=dict, blank=True, editable=False)
    digitally_signed = models.BooleanField(_("signed digitally"), default=False, editable=False)
    withdrawn = models.BooleanField(_("withdrawn from the library"), default=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now, editable=False)
    search_text = models.TextField(editable=False, default="")
    search_vector = _search_vector_field()

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        permissions = [("view_report", _("Can see the e-government report"))]
        indexes = [
            models.Index(
                fields=["-issued_on", "-id"], name="legal_issued", condition=models.Q(withdrawn=False)
            ),
            models.Index(fields=["doc_type", "-issued_on", "-id"], name="legal_type_issued"),
            models.Index(fields=["status", "-issued_on", "-id"], name="legal_status_issued"),
            models.Index(fields=["field", "-issued_on", "-id"], name="legal_field_issued"),
            models.Index(fields=["issuer", "-issued_on", "-id"], name="legal_issuer_issued"),
            models.Index(fields=["published_at"], name="legal_published_at"),
            GinIndex(fields=["search_vector"], name="legal_search"),
        ]

    def __str__(self) -> str:
        return f"{self.notation} {self.summary[:80]}"

    def build_search_text(self) -> str:
        return fold(" ".join([self.notation, self.doc_type, self.issuer_name, self.signer, self.summary]))

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("website:legal_detail", args=[self.pk])


# --- leaders' schedules and meetings ----------------------------------------------------------


class Meeting(models.Model):
    """An entry of a leader's weekly work schedule (lịch công tác tuần): a meeting or a working visit.

    A city meeting may link the city hall with wards (``MeetingSite`` per
    place) over an online-meeting link. Internal meetings are shown to staff
    only; the public schedule lists the others.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("subject"), max_length=500)
    chaired_by = models.CharField(_("chaired by"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=255)
    online = models.BooleanField(_("online meeting"), default=False)
    online_url = models.URLField(_("online-meeting link"), blank=True)
    internal = models.BooleanField(_("internal (staff only)"), default=False)
    held = models.BooleanField(_("held"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("work schedule")
        indexes = [models.Index(fields=["unit", "starts_at"], name="meeting_unit_start")]

    def __str__(self) -> str:
        return self.title


class MeetingSite(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sites")
    unit = models.ForeignKey(Unit, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("room"), max_length=255, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)

    class Meta:
        verbose_name = _("meeting site")
        verbose_name_plural = _("meeting sites")
        constraints = [models.UniqueConstraint(fields=["meeting", "unit"], name="meeting_site_once")]

    def __str__(self) -> str:
        return str(self.unit)


class MeetingFile(models.Model):
    """The invitation, agenda and minutes: documents of the register (documents.Document ids) or a file."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        AGENDA = "agenda", _("Agenda")
        MINUTES = "minutes", _("Minutes")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title
