"""The public website's pages: home, legal library, schedules, site search, robots.txt, public images.

Thin: reads come from ``website.selectors``. The public pages are kept whole
for visitors without a session (``portal.pagecache.cached_page``) under the
version every publishing write moves on (``website.services.PUBLISHED``),
with the catalogue's where they list services; for everyone else their lists
are fragments kept under the same version.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from onestop.apps import CATALOGUE
from portal import links, pagecache, workdays
from website import selectors, services
from website.models import Category, LegalDocument, LegalField, LegalStatus

FIGURES_SECONDS = 600


class HomeData:
    """Everything the home page lists, computed only when its cached fragment is missing."""

    @cached_property
    def news(self):
        return selectors.latest_articles(5, exclude=Category.ANNOUNCEMENT)

    @cached_property
    def announcements(self):
        return selectors.latest_articles(5, category=Category.ANNOUNCEMENT)

    @cached_property
    def legal(self):
        return selectors.latest_legal_documents(5)

    @cached_property
    def feedback(self):
        from feedback.models import Report
        from portal.text import mask_personal_data

        return [
            {"code": r.code, "answer": mask_personal_data(r.answer)[:240], "published_at": r.published_at}
            for r in Report.objects.public()
            .only("code", "answer", "published_at")
            .order_by("-published_at", "-id")[:4]
        ]

    @cached_property
    def top_services(self):
        """The services with the most dossiers received in the last year (level 4 first when none)."""
        from onestop.models import Dossier, Service

        since = timezone.now() - timedelta(days=365)
        top = list(
            Dossier.objects.filter(received_at__gte=since)
            .order_by()
            .values("service_id")
            .annotate(n=Count("pk"))
            .order_by("-n", "service_id")
            .values_list("service_id", flat=True)[:6]
        )
        services_ = Service.objects.active().only("code", "name", "level")
        if top:
            by_id = services_.in_bulk(top)
            return [by_id[i] for i in top if i in by_id]
        return list(services_.order_by("-level", "name")[:6])

    @cached_property
    def figures(self):
        """This year's dossiers returned on time (with early) and the documents handled (issued and closed)."""
        from onestop import stats

        year = workdays.local(timezone.now()).year
        period = stats.Period.of(year)
        city = stats.Report(period, stats.receiving_figures(period), []).city
        from documents.models import Direction, Document

        start, end = period.start_at, period.end_at
        documents = Document.objects.order_by()
        return {
            "year": year,
            "received": city.received,
            "returned": city.returned,
            "on_time": city.early + city.on_time,
            "on_time_share": city.on_time_share,
            "documents_handled": documents.filter(
                direction=Direction.INCOMING, closed_at__gte=start, closed_at__lt=end
            ).count(),
            "documents_issued": documents.filter(
                direction=Direction.OUTGOING, issued_at__gte=start, issued_at__lt=end
            ).count(),
        }


#: What the library's filters and pages read from the address.
LIBRARY_PARAMS = ("q", "loai", "co_quan", "tinh_trang", "linh_vuc", "tu_ngay", "den_ngay", "truoc")


# The live figures turn with the clock: the page is rendered anew every FIGURES_SECONDS.
@pagecache.cached_page(services.PUBLISHED, CATALOGUE, period=FIGURES_SECONDS)
@require_GET
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "home": HomeData(),
            "home_version": services.home_version(),
            # The live figures are recomputed every FIGURES_SECONDS; the lists on every publishing write.
            "figures_bucket": int(timezone.now().timestamp()) // FIGURES_SECONDS,
            "og_description": "",
        },
    )


#: Wagtail's page view (news home, sections, articles), kept whole for visitors without a
#: session; the query parameters are those of the news lists.
news_page = pagecache.cached_page(services.PUBLISHED, params=("q", "truoc", "category"))(wagtail_views.serve)


@pagecache.cached_page(services.PUBLISHED, params=LIBRARY_PARAMS)
@require_GET
def library(request):
    params = request.GET.copy()
    page = SimpleLazyObject(lambda: selectors.library_page(params))
    types = SimpleLazyObject(
        lambda: sorted(
            cache.get_or_set(
                "website:legal_types",
                lambda: list(
                    LegalDocument.objects.published()
                    .order_by()
                    .values_list("doc_type", flat=True)
                    .distinct()[:50]
                ),
                300,
            )
        )
    )
    return render(
        request,
        "website/library.html",
        {
            "page": page,
            "types": types,
            "fields": LegalField.objects.all()[:100],
            "statuses": LegalStatus.choices,
            "issuers": SimpleLazyObject(_issuers),
            "home_version": services.home_version(),
        },
    )


def _issuers():
    from portal.models import Unit

    ids = cache.get_or_set(
        "website:legal_issuers",
        lambda: list(
            LegalDocument.objects.published().order_by().values_list("issuer_id", flat=True).distinct()[:200]
        ),
        300,
    )
    return Unit.objects.filter(pk__in=ids).order_by("path").only("name")


@pagecache.cached_page(services.PUBLISHED)
@require_GET
def legal_detail(request, pk: int):
    doc = get_object_or_404(
        LegalDocument.objects.published().select_related("field", "replaced_by", "issuer"), pk=pk
    )
    return render(
        request,
        "website/legal_detail.html",
        {
            "doc": doc,
            "replaces": doc.replaces.all()[:20],
            "amended_by": doc.amended_by.all()[:20],
            "amends": doc.amends.all()[:20],
            "report": doc.signature_report or None,
            "og_description": doc.summary[:200],
        },
    )


@require_GET
def legal_file(request, pk: int):
    """The signed PDF of a published document (private storage, through the kernel's file response)."""
    from documents.models import DocumentFile
    from portal.uploads import file_response

    doc = get_object_or_404(LegalDocument.objects.published(), pk=pk, file_id__isnull=False)
    record = get_object_or_404(DocumentFile, pk=doc.file_id, document_id=doc.source_id)
    return file_response(record.file, record.original_name, record.content_type, inline=True)


@pagecache.cached_page(services.PUBLISHED, params=("tuan", "don_vi"))
@require_GET
def schedule(request):
    from portal.models import Unit, UnitKind

    monday = selectors.week_start(request.GET.get("tuan"))
    unit_id = selectors._int(request.GET.get("don_vi"))
    staff = bool(request.user.is_authenticated and request.user.is_staff)
    meetings = list(selectors.meetings_of_week(monday, unit_id, staff))
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        items = [m for m in meetings if workdays.local(m.starts_at).date() == day]
        days.append({"day": day, "meetings": items})
    units = Unit.objects.filter(
        kind__in=[UnitKind.PEOPLES_COMMITTEE, UnitKind.WARD, UnitKind.COMMUNE], active=True
    ).order_by("path")
    return render(
        request,
        "website/schedule.html",
        {
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "days": days,
            "units": units.only("name"),
            "unit_id": unit_id,
            "staff": staff,
        },
    )


@pagecache.cached_page(services.PUBLISHED, CATALOGUE, params=("q",))
@require_GET
def search(request):
    return render(
        request, "website/search.html", {"results": selectors.site_search(request.GET.get("q", ""))}
    )


@require_GET
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /cms/",
        "Disallow: /tra-cuu/",
        "Disallow: /ngon-ngu/",
        "Disallow: /thanh-toan/",
        f"Sitemap: {links.absolute_url('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


PUBLIC_MEDIA_PREFIXES = ("images/", "original_images/")


@require_GET
def media(request, path: str):
    """Editors' images and their renditions (public by nature); nothing else of the private storage."""
    import mimetypes

    if (
        ".." in path.split("/")
        or not path.startswith(PUBLIC_MEDIA_PREFIXES)
        or not default_storage.exists(path)
    ):
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        raise Http404
    with default_storage.open(path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def site_name() -> str:
    return getattr(settings, "WAGTAIL_SITE_NAME", "")
