"""Reads with rules in them: the scoped lists, the queues and their counts, search, the registers.

Everything starts from ``Document.objects.visible_to(user)``. "Due soon" and
"overdue" are defined once here (:func:`due_soon_q`, :func:`overdue_q` on
open assignments) and used by the queues, the admin and the reminders.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.cache import cache
from django.db.models import Exists, F, Func, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import (
    Assignment,
    Certificate,
    CertificateKind,
    Direction,
    Document,
    DocumentEvent,
    DocumentStatus,
)
from portal import cases, roles, workdays
from portal.scoping import visible_unit_ids
from portal.text import tsquery

S = DocumentStatus
OPEN = Assignment.Status.OPEN

TO_REGISTER = "to_register"
TO_ASSIGN = "to_assign"
MINE = "mine"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
WAITING = "waiting"

QUEUE_LABELS = {
    TO_REGISTER: _("To register"),
    TO_ASSIGN: _("To assign"),
    MINE: _("Mine"),
    DUE_SOON: _("Due today or tomorrow"),
    OVERDUE: _("Overdue"),
    WAITING: _("Waiting on others"),
}


def documents_for(user) -> QuerySet:
    return Document.objects.visible_to(user).select_related("doc_type", "unit", "lead_unit")


# --- due soon / overdue: one definition -----------------------------------------------------


def due_soon_window(today: date | None = None) -> tuple[date, date]:
    today = today or workdays.today()
    return today, workdays.next_working_day(today)


def _running(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": OPEN, f"{prefix}document__status": S.IN_PROGRESS})


def due_soon_q(today: date, prefix: str = "") -> Q:
    """Open hand-offs of documents being handled, due today or on the next working day."""
    first, last = due_soon_window(today)
    return _running(prefix) & Q(**{f"{prefix}deadline__gte": first, f"{prefix}deadline__lte": last})


def overdue_q(today: date, prefix: str = "") -> Q:
    """Open hand-offs of documents being handled, past their deadline."""
    return _running(prefix) & Q(**{f"{prefix}deadline__lt": today})


# --- queues ---------------------------------------------------------------------------------


def _is_leader(user) -> bool:
    return user.is_superuser or user.has_role(roles.LEADER)


def _is_clerk(user) -> bool:
    return user.is_superuser or user.has_role(roles.CLERK)


def _my_assignments(user) -> Q:
    q = Q(user_id=user.pk)
    if user.unit_id and _is_leader(user):
        q |= Q(unit_id=user.unit_id, user__isnull=True)
    elif user.unit_id:
        q |= Q(unit_id=user.unit_id, user__isnull=True, role=Assignment.Role.COORDINATE)
    return q


def mine_q(user) -> Q:
    """What waits on ``user``: open hand-offs to them (or to their unit, for its leaders), and the
    drafts at their step: their own drafts, review (drafting unit's leaders), signature (the
    signer), issue (the issuing body's clerks); arrivals and assignment for clerks and leaders.

    The two kinds are joined as one ``UNION ALL`` of ids, so each is found through its own
    index (an ``OR`` across them made PostgreSQL read every document being handled).
    """
    held = Assignment.objects.filter(_my_assignments(user), status=OPEN).values("document_id")
    handling = Document.objects.filter(status=S.IN_PROGRESS, pk__in=held).values("pk")
    q = Q(status=S.DRAFT, drafted_by_id=user.pk)
    if user.unit_id and _is_leader(user):
        q |= Q(status=S.IN_REVIEW, drafting_unit_id=user.unit_id)
        q |= Q(status=S.AWAITING_SIGNATURE, unit_id=user.unit_id, signer__isnull=True)
        q |= Q(status=S.REGISTERED, unit_id=user.unit_id)
    q |= Q(status=S.AWAITING_SIGNATURE, signer_id=user.pk)
    if user.unit_id and _is_clerk(user):
        q |= Q(status__in=[S.SIGNED, S.ARRIVED], unit_id=user.unit_id)
    return Q(pk__in=handling.union(Document.objects.filter(q).values("pk"), all=True))


def queue_q(queue: str, user, today: date | None = None) -> Q:
    today = today or workdays.today()
    if queue == TO_REGISTER:
        return Q(status=S.ARRIVED)
    if queue == TO_ASSIGN:
        return Q(status=S.REGISTERED)
    if queue == MINE:
        return mine_q(user)
    if queue in (DUE_SOON, OVERDUE):
        # due_soon_q / overdue_q, with the document's status asked of the document itself: the
        # planner then sees how many hand-offs are late (the join hid it) and, for the whole city,
        # walks the newest documents instead of fetching every late one to sort them.
        first, last = due_soon_window(today)
        due = Q(deadline__gte=first, deadline__lte=last) if queue == DUE_SOON else Q(deadline__lt=today)
        late = Assignment.objects.filter(due, status=OPEN).values("document_id")
        return Q(status=S.IN_PROGRESS, pk__in=late)
    if queue == WAITING:
        waiting = Assignment.objects.filter(status=OPEN, from_unit_id=user.unit_id, parent__isnull=False)
        return Q(status=S.IN_PROGRESS, pk__in=waiting.values("document_id"))
    raise ValueError(queue)


def in_queue(queryset: QuerySet, queue: str, user) -> QuerySet:
    return queryset.filter(queue_q(queue, user))


def _last_change() -> int:
    return DocumentEvent.objects.aggregate(last=Max("id"))["last"] or 0


def queue_counts(user) -> dict[str, int]:
    """How many visible documents sit in each queue: cached per official until any document changes."""
    roles_key = ",".join(sorted(roles.user_roles(user)))
    key = f"documents:queues:{user.pk}:{user.unit_id}:{roles_key}:{workdays.today()}:{_last_change()}"
    counts = cache.get(key)
    if counts is None:
        visible = Document.objects.visible_to(user)
        counts = {name: visible.filter(queue_q(name, user)).count() for name in QUEUE_LABELS}
        cache.set(key, counts, 600)
    return counts


Queue = cases.Queue


def queues(user) -> list[Queue]:
    return cases.queue_list(QUEUE_LABELS, queue_counts(user))


# --- search -----------------------------------------------------------------------------------

RANK_WINDOW = 500  # matches ranked per query: the newest ones (see search())
# Slices of the newest ids searched first, row by row (see search()): for an official who sees
# every unit, the newest 5,000 and the 25,000 before them; for one who sees some units, 20,000 and
# the 300,000 before them (through the unit index). The rest goes through the word index.
ID_WINDOWS = {True: (5_000, 25_000), False: (20_000, 300_000)}


def search(user, text: str, *, direction: str = "", doc_type=None, unit=None, start=None, end=None):
    """Accent-insensitive full-text search, ranked, scoped by ``visible_to``; filters are indexed columns.

    The ``simple`` tsvector of the folded text is stored and GIN-indexed; a
    query matches every word (the last as a prefix). Ranking reads each
    match's vector, so it is done on the newest :data:`RANK_WINDOW` matches,
    found newest first in slices of ids joined by ``UNION ALL`` under one
    ``LIMIT`` (PostgreSQL stops at the first slices that hold enough):

    - the newest ids (:data:`ID_WINDOWS`: 5,000 and the 25,000 before them for an official who
      sees every unit; 20,000 and the 300,000 before them for one who sees some units) are read by the primary key or the unit index
      and their vectors checked row by row, never through the word index: a
      word in half the city's documents ("kế hoạch") costs a few thousand
      rows, not a walk of its posting list (the planner underestimates such
      words: it multiplies the words' frequencies);
    - the older slices go through the word index, which is what a rare word
      needs.

    One query whatever the data size.
    """
    query = tsquery(text)
    if not query:
        return Document.objects.none()
    search_query = SearchQuery(query, search_type="raw", config="simple")
    base = Document.objects.visible_to(user)
    if direction in (Direction.OUTGOING, Direction.INCOMING):
        base = base.filter(direction=direction)
    if doc_type is not None:
        base = base.filter(doc_type=doc_type)
    if unit is not None:
        base = base.filter(unit=unit)
    if start is not None:
        base = base.filter(created_at__gte=_start(start))
    if end is not None:
        base = base.filter(created_at__lt=_start(end, plus_day=True))
    scanned = base.alias(
        _scan_vector=Func(
            F("search_vector"), template="(%(expressions)s || ''::tsvector)", output_field=SearchVectorField()
        )
    ).filter(_scan_vector=search_query)
    indexed = base.filter(search_vector=search_query)
    newest, oldest = _id_range(start, end)
    sizes = ID_WINDOWS[visible_unit_ids(user) is None]
    bounds, top = [newest + 1], newest + 1
    for size in sizes:
        top = max(oldest, top - size)
        bounds.append(top)
    bounds.append(oldest)
    slices = [
        (scanned if i < len(sizes) else indexed)
        .filter(id__gte=low, id__lt=high)
        .order_by("-id")
        .values("pk")[:RANK_WINDOW]
        for i, (high, low) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]
    window = slices[0].union(*slices[1:], all=True)[:RANK_WINDOW]
    return (
        Document.objects.filter(pk__in=window)
        .select_related("doc_type", "unit")
        .annotate(rank=SearchRank(F("search_vector"), search_query, normalization=1))
        .order_by("-rank", "-id")
    )


ID_MARGIN = 1000  # ids given by transactions that committed out of order around a period's edge


def _id_range(start: date | None, end: date | None) -> tuple[int, int]:
    """The highest and lowest ids a search for the period can find (the whole table without one).

    Ids come from the sequence in creation order, so the document created last before the
    period's end (found on the ``created_at`` index) is about its highest id; the slices of
    :func:`search` then start there instead of at the newest document.
    """
    if end is None:
        newest = Document.objects.order_by("-id").values_list("id", flat=True).first() or 0
    else:
        rows = Document.objects.filter(created_at__lt=_start(end, plus_day=True))
        newest = rows.order_by("-created_at", "-id").values_list("id", flat=True).first() or 0
    oldest = 0
    if start is not None:
        first = (
            Document.objects.filter(created_at__gte=_start(start))
            .order_by("created_at", "id")
            .values_list("id", flat=True)
            .first()
        )
        oldest = max(0, first - ID_MARGIN) if first is not None else newest + 1
    newest = newest + ID_MARGIN if end is not None else newest
    return newest, min(oldest, newest + 1)


def _start(day: date, plus_day: bool = False) -> datetime:
    """Midnight starting ``day`` (or the day after it) in Asia/Ho_Chi_Minh."""
    return datetime.combine(day + timedelta(days=1 if plus_day else 0), time.min, tzinfo=workdays.TZ)


# --- registers ---------------------------------------------------------------------------------

REGISTER_LIMIT = 20_000  # rows a printed or exported register holds at most


def outgoing_register(user, unit, start: date, end: date) -> QuerySet:
    """Issued documents of ``unit`` in the period, in number order (withdrawn ones stay, voided)."""
    return (
        Document.objects.visible_to(user)
        .filter(
            direction=Direction.OUTGOING,
            unit=unit,
            number__isnull=False,
            issued_at__gte=_start(start),
            issued_at__lt=_start(end, plus_day=True),
        )
        .select_related("doc_type", "drafting_unit", "signing_authority")
        .order_by("year", "series", "number")
    )


def incoming_register(user, unit, start: date, end: date) -> QuerySet:
    """Registered incoming documents of ``unit`` in the period, in arrival-number order."""
    return (
        Document.objects.visible_to(user)
        .filter(
            direction=Direction.INCOMING,
            unit=unit,
            arrival_number__isnull=False,
            arrived_at__gte=_start(start),
            arrived_at__lt=_start(end, plus_day=True),
        )
        .select_related("doc_type", "lead_unit")
        .order_by("year", "arrival_number")
    )


def register_units(user):
    """Units whose registers ``user`` may open: the ones they see."""
    from portal.models import Unit

    return Unit.objects.visible_to(user).active().order_by("path")


# ------------------------------------------------------------------------------------------
# Certificates: expiry reminders and which certificate signs.
# Reads with a rule in them: scoping, expiry reminders, which certificate signs.
#
# Expiry reminders (issue 8): a certificate is reminded of 30, 7 and 1 days
# before it expires. :func:`due_reminders` takes ``today`` and returns the
# ``(certificate, mark)`` pairs due; the reminder sweep stores each under
# :func:`reminder_key` (the mark is part of the unique key), so a pair that is
# due on several days running (a sweep missed, a certificate registered late)
# is sent exactly once, and a missed mark is not sent late once the next one
# is due: a certificate 5 days from expiry gets its 7-day reminder, not the
# 30-day one. Revoked certificates, and certificates their holder has already
# renewed (a later valid one of the same kind for the same person or unit),
# are not reminded.
#
# ------------------------------------------------------------------------------------------

REMINDER_MARKS = (30, 7, 1)  # days before expiry, largest first


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _renewed() -> Exists:
    later = Certificate.objects.filter(
        kind=OuterRef("kind"),
        revoked_at__isnull=True,
        not_after__gt=OuterRef("not_after"),
        not_before__lte=timezone.now(),
    ).filter(
        Q(kind=CertificateKind.PERSONAL, owner=OuterRef("owner"))
        | Q(kind=CertificateKind.ORGANISATION, unit=OuterRef("unit"))
    )
    return Exists(later)


def expiring(on_date: date, days: int) -> QuerySet:
    """Certificates whose ``days``-before-expiry reminder is due on ``on_date``.

    Due while the days left (local calendar days from ``on_date`` to the
    expiry date) are at most ``days`` and more than the next smaller mark;
    for the 1-day mark, on the last day before expiry and on the day itself.
    """
    if days not in REMINDER_MARKS:
        raise ValueError(f"days must be one of {REMINDER_MARKS}")
    smaller = [m for m in REMINDER_MARKS if m < days]
    floor = max(smaller) if smaller else -1
    return (
        Certificate.objects.filter(
            kind__in=[CertificateKind.PERSONAL, CertificateKind.ORGANISATION],
            revoked_at__isnull=True,
            not_after__gte=_start_of(on_date + timedelta(days=floor + 1)),
            not_after__lt=_start_of(on_date + timedelta(days=days + 1)),
        )
        .exclude(_renewed())
        .select_related("owner", "unit")
        .order_by("not_after", "pk")
    )


def due_reminders(today: date) -> list[tuple[Certificate, int]]:
    """``(certificate, mark)`` pairs whose reminder is due ``today``, for each of the 30/7/1 marks."""
    return [(cert, mark) for mark in REMINDER_MARKS for cert in expiring(today, mark)]


def reminder_key(certificate: Certificate, mark: int) -> str:
    """The unique key of one reminder (certificate and mark)."""
    return f"documents.certificate-expiry:{certificate.pk}:{mark}"


def reminder_recipients(certificate: Certificate) -> list:
    """Who is told: the holder of a personal certificate; the clerks and leaders of an organisation.

    (Decree 30/2020 Art. 32: the head of the agency assigns the clerk to keep
    the organisation's seal and key device.)
    """
    if certificate.kind == CertificateKind.PERSONAL:
        owner = certificate.owner
        return [owner] if owner is not None and owner.is_active else []
    if certificate.unit_id is None:
        return []
    return list(
        certificate.unit.staff.filter(is_active=True)
        .filter(roles.has_role_q(roles.CLERK) | roles.has_role_q(roles.LEADER))
        .distinct()
        .order_by("pk")
    )


def personal_certificate(user, at: datetime | None = None) -> Certificate | None:
    """The user's usable personal certificate with a key the portal holds (the newest)."""
    return (
        Certificate.objects.usable(at)
        .filter(kind=CertificateKind.PERSONAL, owner=user)
        .exclude(encrypted_key__isnull=True)
        .order_by("-not_after", "-pk")
        .first()
    )


def organisation_certificate(unit, at: datetime | None = None) -> Certificate | None:
    """The unit's usable organisation certificate with a key the portal holds (the newest)."""
    return (
        Certificate.objects.usable(at)
        .filter(kind=CertificateKind.ORGANISATION, unit=unit)
        .exclude(encrypted_key__isnull=True)
        .order_by("-not_after", "-pk")
        .first()
    )
