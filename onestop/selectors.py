"""Reads with rules in them: the back office's scoped lists, queues and counts; the citizen's side.

Staff reads start from ``Dossier.objects.visible_to(user)``. The queues are
``Q`` objects over the dossier table (with ``EXISTS`` on the active step) so
the same definition filters the changelist and counts the admin home panel.
The citizen's side (at the end): the session proof that opens a dossier's
public page, and its status and history in plain words.
"""

from __future__ import annotations

import re
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
    OnlineClass,
    Service,
)
from portal import cases, roles, workdays
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


def _due_soon_dates_q(today: date, prefix: str = "") -> Q:
    first, last = due_soon_window(today)
    return Q(**{f"{prefix}due_date__gte": first, f"{prefix}due_date__lte": last})


def _overdue_dates_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}due_date__lt": today})


def step_due_soon_q(today: date, prefix: str = "") -> Q:
    """Steps due soon: clock running, due today or on the next working day."""
    return clock_running_q(prefix) & _due_soon_dates_q(today, prefix)


def step_overdue_q(today: date, prefix: str = "") -> Q:
    """Steps overdue: clock running, due before today."""
    return clock_running_q(prefix) & _overdue_dates_q(today, prefix)


def _with_running_step(dates: Q) -> Q:
    """Dossiers whose active step's clock runs and whose due date matches ``dates``: the
    dossiers of :func:`clock_running_q`'s steps, with the dossier's status tested on the
    dossier itself rather than through the step. The planner then intersects the unit and
    status indexes before it looks at the steps (at a million dossiers, the overdue queue's
    query took a third of the time: 10 ms instead of 31)."""
    steps = DossierStep.objects.filter(Q(status=ACTIVE) & dates).values("dossier_id")
    return Q(status__in=IN_PROCESS_STATUSES, pk__in=steps)


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
        return _with_running_step(_due_soon_dates_q(today))
    if queue == OVERDUE:
        return _with_running_step(_overdue_dates_q(today)) | late_result_q(today)
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


Queue = cases.Queue


def queues(user) -> list[Queue]:
    return cases.queue_list(QUEUE_LABELS, queue_counts(user))


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


# --- the citizen's side: the session proof and the status in plain words ------------------
# A browser proves it knows a dossier by filing it or by a successful look-up
# (``onestop.views.lookup``): the dossier's id is then kept in the session, and
# that proof, and nothing else, opens the dossier's page, letters and files. A
# signed-in citizen account also sees the dossiers filed with it.

SESSION_KEY = "dossiers"
#: The codes of the dossiers in SESSION_KEY (code -> id), so the status page finds a proven
#: dossier from the session alone, without a query, before its cached page.
SESSION_CODES = "dossier_codes"
SESSION_LIMIT = 50  # dossiers remembered per browser session

S = DossierStatus

# What each status means, in plain words for the applicant (``%(unit)s``: the unit holding it).
PUBLIC_STATUS = {
    S.DRAFT: _("Your dossier has not been submitted yet."),
    S.AWAITING_PAYMENT: _(
        "Your dossier has been filed. Please pay the fee online; the one-stop desk of %(unit)s "
        "checks it once the fee is paid."
    ),
    S.SUBMITTED: _(
        "Your dossier has been filed and is waiting to be checked by the one-stop desk of %(unit)s."
    ),
    S.SUPPLEMENT_REQUESTED: _(
        "Your dossier is not complete yet: %(unit)s asks you for the documents listed below."
    ),
    S.REJECTED: _("The one-stop desk of %(unit)s could not receive your dossier, for the reasons below."),
    S.PROCESSING: _("Your dossier is being processed at %(unit)s."),
    S.AWAITING_APPROVAL: _(
        "Your dossier has been examined and awaits the decision of the leader of %(unit)s."
    ),
    S.REFUSED: _("Your request could not be granted, for the reasons below."),
    S.STOPPED: _("Processing of your dossier has stopped, for the reasons below."),
    S.RESULT_READY: _("The result of your dossier is ready."),
    S.RETURNED: _("The result has been returned to you. Thank you for using our services."),
}

# Events the applicant sees in the history, in plain words; other events are internal.
PUBLIC_EVENTS = {
    "submit": _("Dossier filed online"),
    "submit_for_payment": _("Dossier filed online, awaiting the fee"),
    "confirm_payment": _("Fee paid online"),
    "register_walk_in": _("Dossier handed in at the one-stop desk"),
    "accept": _("Dossier received; appointment date set"),
    "request_supplement": _("Supplements requested"),
    "request_supplement_processing": _("Supplements requested"),
    "provide_supplement": _("Supplements provided"),
    "resume_processing": _("Supplements provided; processing starts again"),
    "reject": _("Dossier not received"),
    "hand_over": _("Passed on to the next office"),
    "submit_for_approval": _("Submitted for the leader's decision"),
    "approve": _("Result approved"),
    "refuse": _("Request refused"),
    "reschedule": _("New appointment date set, with an apology"),
    "return_result": _("Result returned"),
    "rate": _("You rated the service"),
    "withdraw": _("Dossier withdrawn at your request; processing stopped"),
    "stop_processing": _("Processing stopped"),
}

# Statuses whose appointment date is only a forecast (the desk has not received the dossier).
PROVISIONAL_DATE = (S.AWAITING_PAYMENT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED)

# The step in progress (with its unit), all the status text needs: one small query.
ACTIVE_STEP = Prefetch(
    "steps",
    queryset=DossierStep.objects.filter(status=ACTIVE).select_related("unit"),
    to_attr="active_steps",
)


def remember(request, dossier: Dossier) -> None:
    """The browser has proven it knows this dossier (filed it, or looked it up)."""
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != dossier.pk]
    ids = request.session[SESSION_KEY] = [*ids, dossier.pk][-SESSION_LIMIT:]
    codes = {c: pk for c, pk in request.session.get(SESSION_CODES, {}).items() if pk in ids}
    request.session[SESSION_CODES] = {**codes, dossier.code: dossier.pk}


def proven_id(request, code: str) -> int | None:
    """The id of the dossier with this code if this browser proved it knows it (looked it up
    or filed it), from the session alone; None otherwise (a citizen's own dossiers, proven by
    their account, are not in it: :func:`proven_ids` checks those)."""
    pk = request.session.get(SESSION_CODES, {}).get(code)
    return pk if pk is not None and pk in request.session.get(SESSION_KEY, []) else None


def proven(request, dossier: Dossier) -> bool:
    return proven_ids(request, dossier.pk, dossier.applicant_user_id)


def proven_ids(request, pk: int, applicant_user_id: int | None) -> bool:
    """:func:`proven` from two columns (the status page checks them before its cached page)."""
    if pk in request.session.get(SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and not user.is_staff and applicant_user_id == user.pk)


def proven_dossier(request, code: str) -> Dossier | None:
    """The dossier with this code if this browser has proven it knows it, else None."""
    if not code or len(code) > 40:
        return None
    dossier = (
        Dossier.objects.filter(code=code)
        .select_related("service", "receiving_unit", "rating")
        .prefetch_related(ACTIVE_STEP)
        .first()
    )
    if dossier is None or not proven(request, dossier):
        return None
    return dossier


def citizen_dossiers(user) -> QuerySet:
    """The dossiers filed with a citizen's account, newest first (none for officials)."""
    if not user.is_authenticated or user.is_staff:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant_user=user)
        .select_related("service", "receiving_unit")
        .prefetch_related(ACTIVE_STEP)
        .order_by("-id")
    )


def open_supplement(dossier: Dossier, requests: list | None = None):
    """The unanswered supplement request (from ``requests`` when the caller already has them)."""
    if dossier.status != S.SUPPLEMENT_REQUESTED:
        return None
    if requests is None:
        return dossier.supplement_requests.filter(answered_at__isnull=True).select_related("unit").last()
    unanswered = [r for r in requests if r.answered_at is None]
    return unanswered[-1] if unanswered else None


def holding_unit(dossier: Dossier):
    """The unit the applicant should think of as holding the dossier now."""
    active = getattr(dossier, "active_steps", None)  # prefetched by ACTIVE_STEP
    if active is None:
        step = dossier.current_step
    else:
        step = active[0] if active else None
    if step is not None and dossier.status in (S.PROCESSING, S.AWAITING_APPROVAL):
        return step.unit
    request = open_supplement(dossier)
    return request.unit if request is not None else dossier.receiving_unit


def public_status(dossier: Dossier) -> str:
    return PUBLIC_STATUS[dossier.status] % {"unit": holding_unit(dossier)}


def public_history(dossier: Dossier) -> list[dict]:
    return [
        {"at": event.at, "text": PUBLIC_EVENTS[event.action]}
        for event in dossier.events.order_by("at", "id")
        if event.action in PUBLIC_EVENTS
    ]


def delivers_online(dossier: Dossier) -> bool:
    return dossier.service.online_mode == OnlineClass.FULL
