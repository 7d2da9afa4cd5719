"""The working-day calendar: which days count, and deadlines counted in them.

Days off and extra working days come from :class:`portal.models.CalendarDay`
(data, edited in the admin). Without an exception, Monday to Friday are
working days. Each process keeps a year's exceptions, checked against a
version in Redis that every save or delete of a calendar row changes, so all
nodes count with the same calendar (portal.versioned).

The 15:00 rule (Decree 61/2018 Art. 19(1); kept by Decree 118/2025 [open:
its article not read here, so the cut-off is a parameter the one-stop
desk's legal regime passes in]): a dossier received *after* 15:00 is
transferred at the start of the next working day; one received at 15:00:00
exactly still counts as that day. See :func:`transfer_date`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.versioned import Versioned

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = dtime(15, 0)
OFFICE_OPENS = dtime(7, 30)
OFFICE_CLOSES = dtime(17, 0)
_calendar = Versioned("calendar")


def clear_cache(*_args, **_kwargs) -> None:
    """Drop every process's copy (called on each save or delete of a calendar row)."""
    _calendar.bump()


def _exceptions(year: int) -> dict[date, bool]:
    def load() -> dict[date, bool]:
        from portal.models import CalendarDay

        rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
        return {d: kind == CalendarDay.Kind.WORKING_DAY for d, kind in rows}

    return _calendar.get(year, load)


def is_working_day(day: date) -> bool:
    override = _exceptions(day.year).get(day)
    if override is not None:
        return override
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1)


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``n=0`` gives ``start`` itself).

    Negative ``n`` counts backwards: ``add_working_days(d, -1)`` is the last
    working day before ``d``.
    """
    day = start
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    guard = 0
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
        guard += 1
        if guard > 3660:
            raise ValueError("calendar has no working days for ten years")
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in ``(start, end]``: how many working days ``end`` is after ``start``.

    Negative when ``end`` is before ``start``.
    """
    if end == start:
        return 0
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def local(dt: datetime) -> datetime:
    if timezone.is_naive(dt):
        return dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


def transfer_date(received_at: datetime, cutoff: dtime = CUTOFF) -> date:
    """The working day a dossier received at ``received_at`` is transferred on.

    Received on a working day up to ``cutoff`` (15:00:00 included, to the
    second): that day. After it, or on a day off: the next working day.
    """
    at = local(received_at)
    day = at.date()
    if is_working_day(day) and at.time().replace(microsecond=0) <= cutoff:
        return day
    return working_day_on_or_after(day + timedelta(days=1))


def due_date(received_at: datetime, working_days: int, cutoff: dtime = CUTOFF) -> date:
    """The appointment date for a service taking ``working_days``.

    Processing time starts on the transfer day; the result is due on the
    ``working_days``-th working day after it. A zero-day service received
    before the cut-off is due the same day.
    """
    return add_working_days(transfer_date(received_at, cutoff), working_days)


def due_datetime(received_at: datetime, working_days: int) -> datetime:
    """:func:`due_date` at office closing time, as an aware datetime."""
    return datetime.combine(due_date(received_at, working_days), OFFICE_CLOSES, tzinfo=TZ)


def today() -> date:
    return timezone.localdate()


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the portal's time zone."""
    return datetime.combine(day, dtime(0, 0), tzinfo=TZ)
