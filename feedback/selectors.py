"""Reads with rules in them: the back office's scoped lists and queues, the public list.

Staff lists start from ``Report.objects.visible_to(user)``. "Due soon" and
"overdue" are defined once here (:func:`due_soon_q`, :func:`overdue_q` on
active assignments) and used by the queues, the admin and the reminders.
The public list shows published reports only, never personal data, with
keyset pagination on ``(published_at, id)`` served by partial indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from feedback.models import HANDLING_STATUSES, Assignment, Category, Report, ReportEvent, ReportStatus
from portal import roles, workdays
from portal.models import Unit, UnitKind
from portal.scoping import visible_unit_ids
from portal.text import tsquery

ACTIVE = Assignment.Status.ACTIVE
S = ReportStatus

# --- "due soon" and "overdue": one definition ------------------------------------------


def due_soon_window(today: date) -> tuple[date, date]:
    return today, workdays.next_working_day(today)


def running_q(prefix: str = "") -> Q:
    """Active assignments: their report is being handled (an invariant the services keep: a report
    has an active assignment exactly while it is assigned or awaiting approval), so no join is needed."""
    return Q(**{f"{prefix}status": ACTIVE})


def due_soon_q(today: date, prefix: str = "") -> Q:
    first, last = due_soon_window(today)
    return running_q(prefix) & Q(**{f"{prefix}due_date__gte": first, f"{prefix}due_date__lte": last})


def overdue_q(today: date, prefix: str = "") -> Q:
    return running_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


# --- staff queues -----------------------------------------------------------------------

TRIAGE = "triage"
MINE = "mine"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
APPROVAL = "approval"

QUEUE_LABELS = {
    TRIAGE: _("To triage"),
    MINE: _("Mine"),
    DUE_SOON: _("Due today or tomorrow"),
    OVERDUE: _("Overdue"),
    APPROVAL: _("Answers awaiting approval"),
}


def reports_for(user) -> QuerySet:
    return Report.objects.visible_to(user).select_related("category", "ward", "unit")


def _assignment_ids(**filters) -> QuerySet:
    return Assignment.objects.filter(status=ACTIVE, **filters).values("report_id")


def held_q(user, prefix: str = "") -> Q:
    """Assignments held by a unit ``user`` sees, or passed down from one (a department follows
    what it handed to a ward): the same scope as ``visible_to``, on the few active assignments."""
    ids = visible_unit_ids(user)  # read once per user; None: every unit
    if ids is None:
        return Q()
    return Q(**{f"{prefix}unit_id__in": ids}) | Q(**{f"{prefix}parent__unit_id__in": ids})


def queue_q(queue: str, user, today: date | None = None) -> Q:
    """The condition of one queue, as ``pk IN (a small set)`` drawn from the few active
    assignments or the status index, so a page never walks the whole visible history."""
    today = today or workdays.today()
    if queue == TRIAGE:
        return Q(status=S.NEW)
    if queue == MINE:
        ids = Assignment.objects.filter(status=ACTIVE, handler_id=user.pk).values("report_id")
        if user.unit_id and user.has_role(roles.LEADER):
            ids = ids.union(
                Report.objects.filter(status=S.AWAITING_APPROVAL, unit_id=user.unit_id).values("pk")
            )
        if user.unit_id and user.has_perm("feedback.triage_report"):
            ids = ids.union(Report.objects.filter(status=S.NEW, unit_id=user.unit_id).values("pk"))
        return Q(pk__in=ids)
    if queue == DUE_SOON:
        return Q(pk__in=Assignment.objects.filter(due_soon_q(today), held_q(user)).values("report_id"))
    if queue == OVERDUE:
        return Q(pk__in=Assignment.objects.filter(overdue_q(today), held_q(user)).values("report_id"))
    if queue == APPROVAL:
        return Q(status=S.AWAITING_APPROVAL)
    raise ValueError(queue)


def _last_change() -> int:
    """Id of the newest report event: every write of a report appends one (an index lookup)."""
    return ReportEvent.objects.aggregate(last=Max("id"))["last"] or 0


def queue_counts(user) -> dict[str, int]:
    """How many visible reports each queue holds: a constant handful of counts.

    Cached per official under a key holding the newest report event's id and
    the day, so the figures are exact: any action on any report makes the
    next page recount; pages in between reuse them.
    """
    roles_key = ",".join(sorted(roles.user_roles(user)))
    key = f"feedback:queues:{user.pk}:{user.unit_id}:{roles_key}:{workdays.today()}:{_last_change()}"
    counts = cache.get(key)
    if counts is None:
        base = Report.objects.visible_to(user)
        counts = {name: base.filter(queue_q(name, user)).count() for name in QUEUE_LABELS}
        cache.set(key, counts, 600)
    return counts


def search_reports(queryset: QuerySet, term: str) -> QuerySet:
    """Back-office search: a tracking code (or its start), a phone number, or words of the text."""
    from portal.validators import normalize_mobile

    term = (term or "").replace("\x00", "").strip()[:100]
    if not term:
        return queryset
    compact = "".join(term.split())
    if compact.upper().startswith("PA-"):
        return queryset.filter(code__startswith=compact.upper())
    digits = normalize_mobile(compact)
    if digits.isdigit() and 9 <= len(digits) <= 11:
        return queryset.filter(reporter_phone=digits)
    return queryset.filter(Q(description__icontains=term) | Q(address__icontains=term))


def handling_units(report: Report) -> QuerySet:
    """Units a report may be assigned to: active departments, agencies, wards and communes."""
    return Unit.objects.active().exclude(kind=UnitKind.PEOPLES_COMMITTEE).order_by("path")


def units_below(unit: Unit) -> QuerySet:
    """Where a unit may pass a report down: a department or agency to the wards and communes of the
    city; any unit to the units under it in the tree. A ward passes to nobody (unless it has units below)."""
    below = Q(parent_id=unit.pk)
    if not unit.is_local:
        below |= Q(kind__in=[UnitKind.WARD, UnitKind.COMMUNE])
    return Unit.objects.active().filter(below).exclude(pk=unit.pk).order_by("path")


def units_below_none() -> QuerySet:
    return Unit.objects.none()


def unit_staff(unit_id: int) -> QuerySet:
    from portal.models import User

    return User.objects.filter(unit_id=unit_id, is_active=True, is_staff=True).order_by(
        "full_name", "username"
    )


# --- the public list ----------------------------------------------------------------------

PAGE_SIZE = 20
PUBLIC_STATUS_CHOICES = [
    (S.ANSWERED, _("Answered")),
    ("reopened", _("Reopened, being handled again")),
]


@dataclass(frozen=True)
class PublicFilters:
    ward: int | None = None
    category: int | None = None
    status: str = ""
    q: str = ""
    before: tuple[datetime, int] | None = None  # keyset: (published_at, id) of the last row shown


SEARCH_WINDOW = 2000  # newest matching rows a search looks through before asking the word index


def _public_queryset(filters: PublicFilters):
    qs = Report.objects.public()
    if filters.ward:
        qs = qs.filter(ward_id=filters.ward)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.status == S.ANSWERED:
        qs = qs.filter(status=S.ANSWERED)
    elif filters.status == "reopened":
        qs = qs.filter(status__in=HANDLING_STATUSES)
    if filters.before:
        at, pk = filters.before
        qs = qs.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    return qs


def _page(qs) -> list[Report]:
    return list(
        qs.select_related("category", "ward", "answered_unit")
        .only(
            "code",
            "category__name",
            "ward__name",
            "answered_unit__name",
            "address",
            "description",
            "answer",
            "status",
            "published_at",
            "answered_at",
            "received_at",
            "reporter_name",
            "name_public",
            "timeliness",
        )
        .order_by("-published_at", "-id")[: PAGE_SIZE + 1]
    )


def public_reports(filters: PublicFilters) -> list[Report]:
    """One page of published reports (newest first), one more to tell whether others follow.

    Without words: one query on the partial index of the filter. With words,
    the planner cannot tell a common word from a rare one, so the search
    first walks the newest ``SEARCH_WINDOW`` rows the other filters select
    (an index walk that stops at a page of matches: enough for common
    words); only when they hold too few matches does it ask the word index
    (GIN), which is fast exactly then, for rare words. At most three
    queries, whatever the data size.
    """
    qs = _public_queryset(filters)
    query = tsquery(filters.q)
    if not query:
        return _page(qs)
    words = SearchQuery(query, search_type="raw", config="simple")
    newest = qs.order_by("-published_at", "-id").values_list("pk", "published_at", "search_vector")
    inner, params = newest[:SEARCH_WINDOW].query.sql_with_params()
    walk = (
        f"SELECT w.pk FROM ({inner}) w WHERE w.search_vector @@ to_tsquery('simple', %s) "  # noqa: S608
        f"ORDER BY w.published_at DESC, w.pk DESC LIMIT {PAGE_SIZE + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(walk, [*params, query])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > PAGE_SIZE:  # a full page among the newest rows: what the word index would give
        return _page(Report.objects.filter(pk__in=ids))
    return _page(qs.filter(search_vector=words))


def public_wards() -> QuerySet:
    return Unit.objects.active().filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]).order_by("path")


def public_categories() -> QuerySet:
    return Category.objects.filter(active=True).order_by("order", "name")
