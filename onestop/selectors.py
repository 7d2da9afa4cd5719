"""Reads with rules in them: the back office's scoped lists, queues and counts.

Everything starts from ``Dossier.objects.visible_to(user)``. The queues are
``Q`` objects over the dossier table (with ``EXISTS`` on the active step) so
the same definition filters the changelist and counts the admin home panel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from onestop.models import (
    IN_PROCESS_STATUSES,
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierStep,
    Service,
)
from portal import roles, workdays
from portal.models import Unit, UnitKind
from portal.scoping import visible_unit_q
from portal.text import natural_key

ACTIVE = DossierStep.Status.ACTIVE

MINE = "mine"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
SUPPLEMENT = "supplement"

QUEUE_LABELS = {
    MINE: _("Mine"),
    DUE_SOON: _("Due today or tomorrow"),
    OVERDUE: _("Overdue"),
    SUPPLEMENT: _("Awaiting supplements"),
}


def _active_steps(**filters) -> QuerySet:
    return DossierStep.objects.filter(dossier=OuterRef("pk"), status=ACTIVE, **filters)


def _active_step_ids(**filters) -> QuerySet:
    """Ids of dossiers with an active step matching ``filters``: a small index range
    (there are few active steps), joined once rather than probed per dossier."""
    return DossierStep.objects.filter(status=ACTIVE, **filters).values("dossier_id")


def dossiers_for(user) -> QuerySet:
    """The dossiers ``user`` may see, ready for a list: related rows joined, the active step prefetched."""
    active = DossierStep.objects.filter(status=ACTIVE).select_related("unit", "assignee")
    return (
        Dossier.objects.visible_to(user)
        .select_related("service", "receiving_unit")
        .annotate(active_due=Subquery(_active_steps().values("due_date")[:1]))
        .prefetch_related(Prefetch("steps", queryset=active, to_attr="active_steps"))
    )


# --- "due soon" and "overdue": one definition for the queues, the admin and the reminders ---


def due_soon_window(today: date | None = None) -> tuple[date, date]:
    """Today and the next working day (a weekend in between is included)."""
    today = today or workdays.today()
    return today, workdays.next_working_day(today)


def clock_running_q(prefix: str = "") -> Q:
    """Active steps whose clock runs: the dossier is in process (not waiting for supplements).

    ``prefix`` reaches the step from another model (``"steps__"`` from a dossier).
    """
    return Q(**{f"{prefix}status": ACTIVE, f"{prefix}dossier__status__in": IN_PROCESS_STATUSES})


def step_due_soon_q(today: date, prefix: str = "") -> Q:
    """Steps due soon: clock running, due today or on the next working day."""
    first, last = due_soon_window(today)
    return clock_running_q(prefix) & Q(**{f"{prefix}due_date__gte": first, f"{prefix}due_date__lte": last})


def step_overdue_q(today: date, prefix: str = "") -> Q:
    """Steps overdue: clock running, due before today."""
    return clock_running_q(prefix) & Q(**{f"{prefix}due_date__lt": today})


def late_result_q(today: date) -> Q:
    """Dossiers whose result is ready but not returned by the appointment date."""
    return Q(status=DossierStatus.RESULT_READY, due_date__lt=today)


def is_overdue(dossier: Dossier, active_due: date | None, today: date | None = None) -> bool:
    """The same definition for one dossier already in hand (its active step's due date)."""
    today = today or workdays.today()
    if dossier.status in IN_PROCESS_STATUSES:
        return bool(active_due and active_due < today)
    return dossier.status == DossierStatus.RESULT_READY and bool(
        dossier.due_date and dossier.due_date < today
    )


def queue_q(queue: str, user, today: date | None = None) -> Q:
    """The condition of one queue (for ``user``'s "mine")."""
    today = today or workdays.today()
    if queue == MINE:
        return mine_q(user)
    if queue == DUE_SOON:
        return Q(pk__in=DossierStep.objects.filter(step_due_soon_q(today)).values("dossier_id"))
    if queue == OVERDUE:
        late_steps = DossierStep.objects.filter(step_overdue_q(today)).values("dossier_id")
        return Q(pk__in=late_steps) | late_result_q(today)
    if queue == SUPPLEMENT:
        return Q(status=DossierStatus.SUPPLEMENT_REQUESTED)
    raise ValueError(queue)


def mine_q(user) -> Q:
    """What waits on ``user``: steps assigned to them; for one-stop officers the dossiers
    at their desk to check or to return; for leaders the results awaiting their approval."""
    q = Q(status__in=IN_PROCESS_STATUSES) & Q(pk__in=_active_step_ids(assignee_id=user.pk))
    if user.unit_id and (user.is_superuser or user.has_role(roles.ONESTOP_OFFICER)):
        q |= Q(
            receiving_unit_id=user.unit_id,
            status__in=[DossierStatus.SUBMITTED, DossierStatus.RESULT_READY],
        )
    if user.unit_id and user.has_role(roles.LEADER):
        q |= Q(status=DossierStatus.AWAITING_APPROVAL) & Q(pk__in=_active_step_ids(unit_id=user.unit_id))
    return q


def in_queue(queryset: QuerySet, queue: str, user) -> QuerySet:
    return queryset.filter(queue_q(queue, user))


def at_unit(queryset: QuerySet, unit_id: int) -> QuerySet:
    """Dossiers whose active step is at ``unit_id``."""
    return queryset.filter(Exists(_active_steps(unit_id=unit_id)))


def _last_change() -> int:
    """Id of the newest dossier event: every write of a dossier appends one (an index lookup)."""
    return DossierEvent.objects.aggregate(last=Max("id"))["last"] or 0


def counted(name: str):
    """Cache a per-user count until any dossier changes or the day turns: exact, never stale.

    The key holds the newest event id, so the first page after any action
    recounts; pages in between (and every other official's) reuse the figures.
    """

    def decorate(function):
        def wrapper(user):
            roles_key = ",".join(sorted(roles.user_roles(user)))
            key = f"onestop:{name}:{user.pk}:{user.unit_id}:{roles_key}:{workdays.today()}:{_last_change()}"
            value = cache.get(key)
            if value is None:
                value = function(user)
                cache.set(key, value, 600)
            return value

        wrapper.__wrapped__ = function
        wrapper.__doc__ = function.__doc__
        return wrapper

    return decorate


@counted("queues")
def queue_counts(user) -> dict[str, int]:
    """How many visible dossiers are in each queue (the same sets as :func:`queue_q`).

    Counted from the active steps where a queue is about steps (one active step
    per dossier), so each count is an index range scan rather than a probe per
    dossier: a constant handful of small queries whatever the table's size.
    """
    today = workdays.today()
    dossiers = Dossier.objects.visible_to(user)
    steps = DossierStep.objects.filter(clock_running_q()).filter(
        visible_unit_q(user, "dossier__unit_ids", array=True)
    )
    mine_steps = Q(assignee_id=user.pk)
    desk = 0
    if user.unit_id and user.has_role(roles.LEADER):
        mine_steps |= Q(unit_id=user.unit_id, dossier__status=DossierStatus.AWAITING_APPROVAL)
    if user.unit_id and (user.is_superuser or user.has_role(roles.ONESTOP_OFFICER)):
        at_desk = [DossierStatus.SUBMITTED, DossierStatus.RESULT_READY]
        desk = dossiers.filter(receiving_unit_id=user.unit_id, status__in=at_desk).count()
    late_results = dossiers.filter(late_result_q(today))
    return {
        MINE: steps.filter(mine_steps).count() + desk,
        DUE_SOON: steps.filter(step_due_soon_q(today)).count(),
        OVERDUE: steps.filter(step_overdue_q(today)).count() + late_results.count(),
        SUPPLEMENT: dossiers.filter(status=DossierStatus.SUPPLEMENT_REQUESTED).count(),
    }


def queue_units(user) -> list[Unit]:
    """The units a user may filter by: active visible units that receive or process a service."""
    from onestop.models import ServiceStep

    receives = Exists(Service.receiving_units.through.objects.filter(unit_id=OuterRef("pk")))
    processes = Exists(ServiceStep.objects.filter(unit_id=OuterRef("pk")))
    return naturally(Unit.objects.visible_to(user).active().filter(receives | processes))


@counted("units")
def unit_counts(user) -> dict[int, int]:
    """Dossiers per visible unit holding their active step, in one query.

    A dossier's units include every step's unit, so a step at a unit the user
    sees belongs to a dossier the user sees: no join with the dossiers needed.
    """
    steps = DossierStep.objects.filter(status=ACTIVE).filter(visible_unit_q(user, "unit"))
    rows = steps.values("unit_id").annotate(n=Count("pk")).order_by()
    return {row["unit_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    count: int


def queues(user) -> list[Queue]:
    counts = queue_counts(user)
    return [Queue(key, label, counts[key]) for key, label in QUEUE_LABELS.items()]


# --- search ------------------------------------------------------------------------

# "000.01.26.H58-260424-0001", a unit-code prefix "P1-2604…", or the start "000.01.…".
CODE_RE = re.compile(r"^[0-9A-Za-z.]+-[0-9-]*$|^\d{3}\.[0-9A-Za-z.]*$")
CCCD_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(0|\+84)\d{9}$")
MIN_NAME_SEARCH = 2


def search_dossiers(queryset: QuerySet, term: str) -> QuerySet:
    """Search on indexed columns: a code by prefix, a CCCD or a mobile exactly, otherwise the name."""
    from portal.validators import normalize_mobile

    term = (term or "").strip()
    if not term:
        return queryset
    compact = re.sub(r"\s+", "", term)
    if CCCD_RE.match(compact):
        return queryset.filter(applicant_id_number=compact)
    if PHONE_RE.match(compact):
        return queryset.filter(applicant_phone=normalize_mobile(compact))
    if CODE_RE.match(compact):
        return queryset.filter(code__startswith=compact)
    if len(term) < MIN_NAME_SEARCH:
        return queryset.none()
    return queryset.filter(applicant_name__icontains=term)


# --- the desk -------------------------------------------------------------------------


# --- phi địa giới: which desks receive a service, which units decide it --------------------

COMMUNE_LEVEL = (UnitKind.WARD, UnitKind.COMMUNE)


def _province_path(unit: Unit) -> str:
    """The path of the top of ``unit``'s tree (the province, or the city of the 2022 demo)."""
    parts = [p for p in (unit.path or "").split("/") if p]
    return f"/{parts[0]}/" if parts else f"/{unit.pk}/"


def receives_anywhere_q(unit: Unit, prefix: str = "") -> Q:
    """Services ``unit``'s desk receives regardless of boundary (Decree 118/2025): flagged so,
    when ``unit`` is a ward or commune and the service's competent units are in its province."""
    if unit.kind not in COMMUNE_LEVEL:
        return Q(pk__in=[])
    return Q(
        **{
            f"{prefix}receivable_anywhere": True,
            f"{prefix}receiving_units__path__startswith": _province_path(unit),
        }
    )


def desk_services(unit: Unit | None) -> QuerySet:
    """Active services ``unit``'s one-stop desk receives: its own, and the boundary-free ones."""
    if unit is None:
        return Service.objects.none()
    own = Q(receiving_units=unit.pk)
    ids = Service.objects.active().filter(own | receives_anywhere_q(unit)).values("pk")
    return Service.objects.filter(pk__in=ids)


def receives(unit: Unit, service: Service) -> bool:
    return desk_services(unit).filter(pk=service.pk).exists()


def competent_units_for(service: Service, receiving_unit: Unit | None = None) -> QuerySet:
    """The units competent for ``service`` (the province's, when received elsewhere), in natural order."""
    units = service.receiving_units.filter(active=True)
    if receiving_unit is not None and not units.filter(pk=receiving_unit.pk).exists():
        units = units.filter(path__startswith=_province_path(receiving_unit))
    return units


def naturally(units) -> list[Unit]:
    """Units in natural name order: Phường 1, Phường 2, … Phường 10 (not 1, 10, 2)."""
    return sorted(units, key=lambda u: natural_key(u.name))


def walk_in_services(user) -> QuerySet:
    """Active services the user's one-stop desk receives (its own and boundary-free ones)."""
    if not user.unit_id:
        return Service.objects.none()
    return desk_services(user.unit).select_related("sector")


def unit_staff(unit_id: int) -> QuerySet:
    from portal.models import User

    return User.objects.filter(unit_id=unit_id, is_active=True, is_staff=True).order_by(
        "full_name", "username"
    )


def register_dossiers(user, unit: Unit, start: date, end: date, limit: int):
    """The dossiers ``unit``'s desk numbered from ``start`` to ``end`` (local days), that ``user`` sees,
    in the order they came, at most ``limit`` (index ``dossier_unit_submitted``)."""
    first = workdays.start_of_day(start)
    after = workdays.start_of_day(end + timedelta(days=1))
    return (
        Dossier.objects.visible_to(user)
        .filter(receiving_unit=unit, submitted_at__gte=first, submitted_at__lt=after)
        .select_related("service", "receiving_unit")
        .prefetch_related(
            Prefetch("steps", queryset=DossierStep.objects.select_related("unit").order_by("order"))
        )
        .order_by("submitted_at", "id")[:limit]
    )
