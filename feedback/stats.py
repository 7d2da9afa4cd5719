"""Feedback figures per handling unit, ward or category and period (the public chart, staff exports).

Over the reports received in the period: received, answered on time and
late, still open, reopened; and over their ratings: how many, the average
score (1-5) and the share satisfied (4 or 5). Two grouped queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from feedback.models import OPEN_STATUSES, Rating, Report, ReportStatus, Timeliness
from portal import workdays

GROUPS = {
    "unit": (_("Handling unit"), Coalesce("answered_unit__name", "unit__name"), "ratings"),
    "ward": (_("Ward or commune"), F("ward__name"), "ward"),
    "category": (_("Category"), F("category__name"), "category"),
}
PERIODS = [
    ("year", _("Whole year")),
    ("q1", _("Quarter 1")),
    ("q2", _("Quarter 2")),
    ("q3", _("Quarter 3")),
    ("q4", _("Quarter 4")),
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def of(cls, year: int, part: str = "year") -> Period:
        if part.startswith("q") and part[1:] in ("1", "2", "3", "4"):
            quarter = int(part[1:])
            start = date(year, 3 * quarter - 2, 1)
            end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            return cls(start, date.fromordinal(end.toordinal() - 1))
        return cls(date(year, 1, 1), date(year, 12, 31))

    def bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, tzinfo=workdays.TZ),
            datetime.combine(self.end, time.max, tzinfo=workdays.TZ),
        )


@dataclass
class Row:
    name: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    reopened: int = 0
    rated: int = 0
    average: float | None = None
    satisfied: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    @property
    def satisfied_share(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


def report(period: Period, by: str = "unit", reports=None) -> list[Row]:
    """Rows per group, largest first; ``reports`` narrows the reports (a staff member's scope)."""
    label, key, _kind = GROUPS.get(by, GROUPS["unit"])
    start, end = period.bounds()
    base = (reports if reports is not None else Report.objects.all()).filter(received_at__range=(start, end))
    base = base.exclude(status__in=[ReportStatus.INVALID, ReportStatus.DUPLICATE])
    counts = (
        base.annotate(group=key)
        .values("group")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            reopened=Count("pk", filter=Q(reopened_at__isnull=False)),
        )
    )
    rows = {
        c["group"] or "—": Row(c["group"] or "—", **{k: v for k, v in c.items() if k != "group"})
        for c in counts
    }
    ratings = (
        Rating.objects.filter(report__in=base.values("pk"))
        .annotate(group=_prefixed(key))
        .values("group")
        .annotate(
            rated=Count("pk"),
            average=Avg("score"),
            satisfied=Count("pk", filter=Q(score__gte=Rating.SATISFIED_FROM)),
        )
    )
    for r in ratings:
        row = rows.setdefault(r["group"] or "—", Row(r["group"] or "—"))
        row.rated, row.satisfied = r["rated"], r["satisfied"]
        row.average = round(float(r["average"]), 2) if r["average"] is not None else None
    return sorted(rows.values(), key=lambda row: (-row.received, row.name))


def _prefixed(expression):
    """The grouping expression seen from a rating (through its report)."""
    if isinstance(expression, Coalesce):
        return Coalesce("report__answered_unit__name", "report__unit__name")
    return F(f"report__{expression.name}")


def total(rows: list[Row]) -> Row:
    out = Row(str(_("The whole city")))
    weighted = 0.0
    for row in rows:
        for name in ("received", "answered", "on_time", "late", "open", "reopened", "rated", "satisfied"):
            setattr(out, name, getattr(out, name) + getattr(row, name))
        if row.average is not None:
            weighted += row.average * row.rated
    out.average = round(weighted / out.rated, 2) if out.rated else None
    return out
