"""Every read of the public website with a rule in it: bounded, keyset-paged, accent-free search."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from portal import workdays
from portal.text import mask_personal_data, tsquery

PAGE_SIZE = 20
MAX_Q = 100


def _term(value) -> str:
    return (value or "").replace("\x00", "").strip()[:MAX_Q]


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _cursor(value) -> tuple[datetime, int] | None:
    """``<iso time>_<id>``: the last row of the previous page (keyset)."""
    try:
        at, pk = (value or "").rsplit("_", 1)
        when = datetime.fromisoformat(at)
        return (when if timezone.is_aware(when) else timezone.make_aware(when)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class Page:
    rows: list
    next_cursor: str = ""
    filters: dict = field(default_factory=dict)


def words(text: str):
    query = tsquery(text)
    return SearchQuery(query, search_type="raw", config="simple") if query else None


# --- news --------------------------------------------------------------------------------------


def articles():
    from website.models import Article

    # ``published_at`` is set exactly while the page is live (Article.save keeps them in step), so the
    # lists and searches read the article table alone.
    return Article.objects.filter(published_at__isnull=False)


def news_page(params, section=None) -> Page:
    """One page of published articles, newest first: by category (or section), searched, keyset."""
    from website.models import Category

    qs = articles()
    category = params.get("category", "")
    if section is not None:
        qs = (
            qs.filter(path__startswith=section.path)
            if section.ward_id is None
            else qs.filter(ward=section.ward_id)
        )
        if section.ward_id is None:
            qs = qs.filter(category=section.category)
    elif category in Category.values:
        qs = qs.filter(category=category)
    else:
        category = ""
    q = _term(params.get("q"))
    before = _cursor(params.get("truoc"))
    if before:
        at, pk = before
        qs = qs.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    query = tsquery(q)
    if query:
        qs = qs.filter(pk__in=_matching_ids(qs, query, ("published_at", "page_ptr_id")))
    rows = list(
        qs.select_related("lead_image")
        .only("title", "url_path", "intro", "published_at", "category", "lead_image", "lead_image_alt")
        .order_by("-published_at", "-pk")[: PAGE_SIZE + 1]
    )
    cursor = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        cursor = f"{rows[-1].published_at.isoformat()}_{rows[-1].pk}"
    return Page(rows, cursor, {"category": category, "q": q})


def latest_articles(limit: int = 5, category: str | None = None, exclude: str | None = None) -> list:
    qs = articles()
    if category:
        qs = qs.filter(category=category)
    if exclude:
        qs = qs.exclude(category=exclude)
    return list(
        qs.only("title", "url_path", "intro", "published_at", "category").order_by("-published_at", "-pk")[
            :limit
        ]
    )


# --- the legal library -------------------------------------------------------------------------


def legal_documents():
    from website.models import LegalDocument

    return LegalDocument.objects.published()


def _date(value) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def library_page(params) -> Page:
    """Filters (type, issuing body, status, field, issued between), accent-free words, keyset pages."""
    from website.models import LegalStatus

    qs = legal_documents()
    filters: dict = {}
    doc_type = _term(params.get("loai"))[:120]
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
        filters["loai"] = doc_type
    issuer = _int(params.get("co_quan"))
    if issuer:
        qs = qs.filter(issuer_id=issuer)
        filters["co_quan"] = issuer
    status = params.get("tinh_trang", "")
    if status in LegalStatus.values:
        qs = qs.filter(status=status)
        filters["tinh_trang"] = status
    field_id = _int(params.get("linh_vuc"))
    if field_id:
        qs = qs.filter(field_id=field_id)
        filters["linh_vuc"] = field_id
    start, end = _date(params.get("tu_ngay")), _date(params.get("den_ngay"))
    if start:
        qs = qs.filter(issued_on__gte=start)
        filters["tu_ngay"] = start
    if end:
        qs = qs.filter(issued_on__lte=end)
        filters["den_ngay"] = end
    q = _term(params.get("q"))
    filters["q"] = q
    raw = params.get("truoc", "")
    try:
        day, pk = raw.rsplit("_", 1)
        before = (date.fromisoformat(day), int(pk))
    except (ValueError, OverflowError):
        before = None
    if before:
        qs = qs.filter(Q(issued_on__lt=before[0]) | Q(issued_on=before[0], pk__lt=before[1]))
    query = tsquery(q)
    if query:
        qs = qs.filter(pk__in=_matching_ids(qs, query))
    rows = list(
        qs.select_related("field")
        .defer("search_text", "signature_report")
        .order_by("-issued_on", "-pk")[: PAGE_SIZE + 1]
    )
    cursor = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        cursor = f"{rows[-1].issued_on.isoformat()}_{rows[-1].pk}"
    return Page(rows, cursor, filters)


# The newest rows a search walks (an index walk, stopped early) before it asks the word index:
# common words fill a page in the first window, words of middling frequency in the second.
SEARCH_WINDOWS = (2_000, 40_000)


def _matching_ids(qs, query: str, order=("issued_on", "pk"), limit: int = PAGE_SIZE + 1) -> list[int]:
    """Ids of the newest ``limit`` matches, whatever the words' frequency (the planner cannot tell).

    Common words fill a page among the newest ``SEARCH_WINDOWS[0]`` rows the filters select, words
    of middling frequency among the newest ``SEARCH_WINDOWS[1]`` (index walks, stopped early); rare
    words through the word index (GIN), which is fast exactly then.
    """
    date_field, key = order
    newest = qs.order_by(f"-{date_field}", f"-{key}").values_list(key, date_field, "search_vector")
    for window in SEARCH_WINDOWS:
        inner, params = newest[:window].query.sql_with_params()
        sql = (
            f"SELECT w.k FROM ({inner}) w(k, at, search_vector) "  # noqa: S608 - built by the ORM
            f"WHERE w.search_vector @@ to_tsquery('simple', %s) ORDER BY w.at DESC, w.k DESC LIMIT {int(limit)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, query])
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) >= limit:
            return ids
    words = SearchQuery(query, search_type="raw", config="simple")
    return list(
        qs.filter(search_vector=words)
        .order_by(f"-{date_field}", f"-{key}")
        .values_list(key, flat=True)[:limit]
    )


def latest_legal_documents(limit: int = 5) -> list:
    return list(
        legal_documents()
        .only("notation", "summary", "issued_on", "doc_type")
        .order_by("-issued_on", "-pk")[:limit]
    )


# --- schedules ---------------------------------------------------------------------------------


def week_start(value) -> date:
    day = _date(value) or workdays.local(timezone.now()).date()
    return day - timedelta(days=day.weekday())


def meetings_of_week(monday: date, unit_id: int | None, staff: bool):
    from website.models import Meeting

    lo = timezone.make_aware(datetime.combine(monday, datetime.min.time()))
    qs = Meeting.objects.filter(starts_at__gte=lo, starts_at__lt=lo + timedelta(days=7))
    if unit_id:
        qs = qs.filter(Q(unit_id=unit_id) | Q(sites__unit_id=unit_id)).distinct()
    if not staff:
        qs = qs.filter(internal=False)
    return (
        qs.select_related("unit")
        .prefetch_related("sites__unit", "files__document")
        .order_by("starts_at", "id")[:200]
    )


# --- site-wide search --------------------------------------------------------------------------

GROUP_SIZE = 10


def site_search(text: str) -> dict:
    """News, legal documents, services and published feedback answers matching the words, by kind."""
    from feedback.selectors import PublicFilters, public_reports
    from onestop.models import Service

    q = _term(text)
    vector = words(q)
    if vector is None:
        return {"q": q, "news": [], "legal": [], "services": [], "feedback": []}
    query = tsquery(q)
    news_ids = _matching_ids(articles(), query, ("published_at", "page_ptr_id"), GROUP_SIZE)
    news = list(
        articles()
        .filter(pk__in=news_ids)
        .only("title", "url_path", "intro", "published_at")
        .order_by("-published_at", "-pk")
    )
    legal_ids = _matching_ids(legal_documents(), query, ("issued_on", "pk"), GROUP_SIZE)
    legal = list(
        legal_documents()
        .filter(pk__in=legal_ids)
        .only("notation", "summary", "issued_on", "doc_type")
        .order_by("-issued_on", "-pk")
    )
    services = list(Service.objects.active().search(q).only("code", "name", "level")[:GROUP_SIZE])
    feedback = [
        {
            "code": r.code,
            "description": mask_personal_data(r.description),
            "answer": mask_personal_data(r.answer),
        }
        for r in public_reports(PublicFilters(q=q))[:GROUP_SIZE]  # feedback's own bounded search
    ]
    return {"q": q, "news": news, "legal": legal, "services": services, "feedback": feedback}


def document_is_public(document_id: int) -> bool:
    """Whether a CMS file (Wagtail document) is public: listed by a live article or by a
    meeting that is not internal."""
    from website.models import ArticleAttachment, MeetingFile

    return (
        ArticleAttachment.objects.filter(document_id=document_id, page__live=True).exists()
        or MeetingFile.objects.filter(document_id=document_id, meeting__internal=False).exists()
    )
