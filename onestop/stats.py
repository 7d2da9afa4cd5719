"""One-stop statistics per unit and period (Decree 61/2018 Art. 29-32, Circular 01/2018).

For a period (a date range) and each receiving unit: dossiers received,
resolved early / on time / late (returned in the period, by timeliness) and
refused, in progress and overdue at the end of the period, the share filed
online, the citizens' average rating and the Decree 61 score. For each
processing unit, the same for the steps it handled (form 05's hand-offs).

Every figure is computed in SQL: one grouped query per table for all units
(conditional aggregates with ``filter=Q(...)``), never a query per unit.
City totals are sums of the unit rows, averages weighted by their counts.

The Decree 61 score is the sum of the indicators per dossier divided by the
dossiers, one decimal. Every dossier returned in the period is scored,
rated or not (:class:`onestop.models.Evaluation`, made when the result is
returned): indicators 1 (total time), 2 (each unit's time), 3 (times the
applicant came back) and 4 (agencies contacted) from the dossier's data;
6 (publication), 7 (attitude) and 8 (answers to questions) from the
applicant's rating when there is one. Each indicator is published as its
mean over the dossiers that have it, and the unit's score is the sum of
those means (with every indicator known, exactly the sum of the points
divided by the dossiers). Indicators 5 (the desk model) and 9 (online
share, published as its own figure) are unit-level, so the score is out of
``SCORE_MAX`` = 14 points.

Decision 766/QĐ-TTg (23 June 2022) measures the service to citizens in real
time in six groups: publicity and transparency, progress of resolution,
online public services, online payment, satisfaction, and digitisation of
dossiers (each with its own points, out of 100 at provincial level; the
per-indicator maxima are not confirmed here, so no 766 points are computed).
The figures the desk's own data gives for four of them are published as
shares: on time (progress), filed online, paid online (of the dossiers with a
fee) and digitised (walk-in dossiers whose papers were scanned at the desk).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.models import (
    Channel,
    Dossier,
    DossierFile,
    DossierStatus,
    DossierStep,
    Evaluation,
    OnlineClass,
    PaymentStatus,
    Service,
    ServiceLevel,
    Timeliness,
    online_q,
)
from portal import workdays
from portal.models import Unit, UnitKind
from portal.text import natural_key

SCORE_INDICATORS = 7
SCORE_MAX = 2 * SCORE_INDICATORS

PARTS = {
    "year": (1, 12),
    "h1": (1, 6),
    "h2": (7, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}
PART_CHOICES = [
    ("year", gettext_lazy("Whole year")),
    ("h1", gettext_lazy("First half (January–June)")),
    ("h2", gettext_lazy("Second half (July–December)")),
    ("q1", gettext_lazy("Quarter 1")),
    ("q2", gettext_lazy("Quarter 2")),
    ("q3", gettext_lazy("Quarter 3")),
    ("q4", gettext_lazy("Quarter 4")),
]
KIND_ORDER = {UnitKind.PEOPLES_COMMITTEE: 0, UnitKind.WARD: 1, UnitKind.COMMUNE: 2}


# --- periods ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A date range, both ends included, in the city's time zone."""

    start: date
    end: date
    part: str = ""

    @classmethod
    def of(cls, year: int, part: str = "year") -> Period:
        first, last = PARTS[part]
        end = date(year, last + 1, 1) - timedelta(days=1) if last < 12 else date(year, 12, 31)
        return cls(date(year, first, 1), end, part)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=workdays.TZ)

    @property
    def end_at(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=workdays.TZ)

    @property
    def label(self) -> str:
        year = self.start.year
        if self.part == "year":
            return _("Year %(year)s") % {"year": year}
        if self.part == "h1":
            return _("First half of %(year)s") % {"year": year}
        if self.part == "h2":
            return _("Second half of %(year)s") % {"year": year}
        if self.part in PARTS:
            return _("Quarter %(quarter)s of %(year)s") % {"quarter": self.part[1], "year": year}
        return _("%(start)s to %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }


def first_year(default: int) -> int:
    """The year of the first dossier received (an index lookup), or ``default``."""
    first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    return workdays.local(first).year if first else default


# --- figures --------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean(total: int, count: int, per: int = 1) -> float | None:
    return round(total / (count * per), 1) if count else None


def _mean2(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


@dataclass
class UnitFigures:
    """Dossiers of one receiving unit in a period (``unit`` None: the city's totals)."""

    unit: Unit | None = None
    received: int = 0
    online: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    in_progress: int = 0
    overdue: int = 0
    rated: int = 0
    rating_points: int = 0
    evaluated: int = 0
    fee_dossiers: int = 0
    paid_online: int = 0
    walk_in: int = 0
    digitised: int = 0
    # Decree 61 indicators: points and the number of dossiers that have each.
    total_time_points: int = 0
    total_time_count: int = 0
    unit_time_points: int = 0
    unit_time_count: int = 0
    visits_points: int = 0
    visits_count: int = 0
    agencies_points: int = 0
    agencies_count: int = 0
    publication_points: int = 0
    publication_count: int = 0
    attitude_points: int = 0
    attitude_count: int = 0
    feedback_points: int = 0
    feedback_count: int = 0

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late + self.refused

    @property
    def returned(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def online_share(self) -> float | None:
        """Percentage of the dossiers received that were filed online."""
        return _share(self.online, self.received)

    @property
    def on_time_share(self) -> float | None:
        """Percentage of the results returned early or on time."""
        return _share(self.early + self.on_time, self.returned)

    @property
    def rating(self) -> float | None:
        """Mean of the applicants' answers (0-2), one decimal."""
        return _mean(self.rating_points, self.rated, per=len(Evaluation.CITIZEN))

    @property
    def indicators(self) -> list[tuple[str, float | None]]:
        """(indicator, its mean over the dossiers that have it, two decimals) in the decree's order."""
        return [
            (name, _mean2(getattr(self, f"{name}_points"), getattr(self, f"{name}_count")))
            for name in Evaluation.INDICATORS
        ]

    @property
    def score(self) -> float | None:
        """Decree 61 score out of SCORE_MAX: the sum of the indicators' means, one decimal."""
        if not self.evaluated:
            return None
        return round(sum(mean for _name, mean in self.indicators if mean is not None), 1)

    @property
    def paid_online_share(self) -> float | None:
        """Decision 766, online payment: dossiers with a fee paid online, in percent."""
        return _share(self.paid_online, self.fee_dossiers)

    @property
    def digitised_share(self) -> float | None:
        """Decision 766, digitisation: walk-in dossiers whose papers were scanned, in percent."""
        return _share(self.digitised, self.walk_in)


@dataclass
class StepFigures:
    """Steps handled by one processing unit in a period."""

    unit: Unit | None = None
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def handed_over(self) -> int:
        return self.early + self.on_time + self.late


COUNTED = {
    UnitFigures: [f.name for f in fields(UnitFigures) if f.name != "unit"],
    StepFigures: [f.name for f in fields(StepFigures) if f.name != "unit"],
}


def _total(rows, cls):
    total = cls()
    for row in rows:
        for name in COUNTED[cls]:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _points(*expressions):
    total = expressions[0]
    for expression in expressions[1:]:
        total = total + expression
    return total


def _cutoff(period: Period, now: datetime | None) -> datetime:
    """The end of the period, or now if the period is not over."""
    now = now or timezone.now()
    return min(period.end_at, now)


def receiving_figures(period: Period, unit_ids=None, now=None) -> list[UnitFigures]:
    """Per receiving unit: one grouped query over the dossiers that matter to the period,
    one over the ratings given to the dossiers returned in it."""
    start, end = period.start_at, period.end_at
    cutoff = _cutoff(period, now)
    received = Q(received_at__gte=start, received_at__lt=end)
    returned = Q(returned_at__gte=start, returned_at__lt=end)
    refused = Q(status=DossierStatus.REFUSED, decided_at__gte=start, decided_at__lt=end)
    # Refused, or stopped (withdrawn / stopped under Decree 118/2025): closed by a decision.
    decided = [DossierStatus.REFUSED, DossierStatus.STOPPED]
    closed_before_cutoff = Q(returned_at__lt=cutoff) | Q(status__in=decided, decided_at__lt=cutoff)
    open_at_cutoff = Q(received_at__lt=cutoff) & ~closed_before_cutoff

    scans = DossierFile.objects.filter(dossier=OuterRef("pk"), kind=DossierFile.Kind.SCAN)
    # Only dossiers received before the end and not closed before the start matter.
    dossiers = Dossier.objects.filter(received_at__lt=end).exclude(returned_at__lt=start)
    dossiers = dossiers.exclude(status__in=decided, decided_at__lt=start)
    if unit_ids is not None:
        dossiers = dossiers.filter(receiving_unit_id__in=unit_ids)
    rows = (
        dossiers.order_by()
        .values("receiving_unit_id")
        .annotate(
            received=Count("pk", filter=received),
            online=Count("pk", filter=received & Q(channel=Channel.ONLINE)),
            early=Count("pk", filter=returned & Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=returned & Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=returned & Q(timeliness=Timeliness.LATE)),
            refused=Count("pk", filter=refused),
            in_progress=Count("pk", filter=open_at_cutoff),
            overdue=Count("pk", filter=open_at_cutoff & Q(due_date__lt=workdays.local(cutoff).date())),
            fee_dossiers=Count("pk", filter=received & Q(fee_amount__gt=0)),
            paid_online=Count("pk", filter=received & Q(fee_amount__gt=0, payment_status=PaymentStatus.PAID)),
            walk_in=Count("pk", filter=received & ~Q(channel=Channel.ONLINE)),
            digitised=Count("pk", filter=received & ~Q(channel=Channel.ONLINE) & Q(Exists(scans))),
        )
    )
    by_unit = {row.pop("receiving_unit_id"): row for row in rows}
    for unit_id, row in _evaluations(period, unit_ids).items():
        by_unit.setdefault(unit_id, {}).update(row)
    units = _units(set(by_unit) | _receiving_unit_ids(unit_ids))
    return [UnitFigures(unit=unit, **by_unit.get(unit.pk, {})) for unit in units]


def _evaluations(period: Period, unit_ids=None) -> dict[int, dict]:
    """The Decree 61 evaluations of the dossiers returned in the period, per receiving unit:
    every indicator's points and how many dossiers have it, in one grouped query."""
    evaluations = Evaluation.objects.filter(returned_at__gte=period.start_at, returned_at__lt=period.end_at)
    if unit_ids is not None:
        evaluations = evaluations.filter(unit_id__in=unit_ids)
    # Annotation names must not shadow the model's fields (``rated``, ``visits``…) the filters use.
    figures = {
        "n_evaluated": Count("pk"),
        "n_rated": Count("pk", filter=Q(rated=True)),
        "n_rating_points": Sum(_points(*(F(name) for name in Evaluation.CITIZEN)), filter=Q(rated=True)),
    }
    for name in Evaluation.INDICATORS:
        figures[f"n_{name}_points"] = Sum(name)
        figures[f"n_{name}_count"] = Count(name)
    rows = evaluations.order_by().values("unit_id").annotate(**figures)
    return {row.pop("unit_id"): {k[2:]: v or 0 for k, v in row.items()} for row in rows}


def processing_figures(period: Period, unit_ids=None, now=None) -> list[StepFigures]:
    """Per processing unit: steps handed over in the period by timeliness, open and overdue at its end."""
    start, end = period.start_at, period.end_at
    cutoff = _cutoff(period, now)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    open_at_cutoff = Q(started_at__lt=cutoff) & (Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff))
    steps = DossierStep.objects.filter(started_at__lt=end).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )
    if unit_ids is not None:
        steps = steps.filter(unit_id__in=unit_ids)
    rows = (
        steps.order_by()
        .values("unit_id")
        .annotate(
            early=Count("pk", filter=finished & Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=finished & Q(timeliness=Timeliness.LATE)),
            in_progress=Count("pk", filter=open_at_cutoff),
            overdue=Count("pk", filter=open_at_cutoff & Q(due_date__lt=workdays.local(cutoff).date())),
        )
    )
    by_unit = {row.pop("unit_id"): row for row in rows}
    return [StepFigures(unit=unit, **by_unit[unit.pk]) for unit in _units(set(by_unit))]


def _receiving_unit_ids(unit_ids) -> set[int]:
    """Units whose desk receives at least one active service (shown even with no dossier)."""
    ids = Service.receiving_units.through.objects.filter(service__active=True)
    if unit_ids is not None:
        ids = ids.filter(unit_id__in=unit_ids)
    return set(ids.values_list("unit_id", flat=True).distinct())


def _units(ids: set[int]) -> list[Unit]:
    """The units, the city first, then wards and communes, in natural name order."""
    units = Unit.objects.filter(pk__in=ids)
    return sorted(units, key=lambda u: (KIND_ORDER.get(u.kind, 3), natural_key(u.name)))


def indicator_labels() -> list[str]:
    """The Decree 61 indicators' names, in the order of :attr:`UnitFigures.indicators`."""
    return [str(Evaluation._meta.get_field(name).verbose_name) for name in Evaluation.INDICATORS]


def services_by_class() -> tuple[dict[int, int], dict[str, int]]:
    """Active public services per 2011 level (2, 3, 4, as the 2022 report counts them) and per
    Decree 42/2022 class (fully online, partly online, not online), in one query."""
    figures = {f"level_{level}": Count("pk", filter=Q(level=level)) for level in ServiceLevel.values}
    figures.update({f"class_{mode}": Count("pk", filter=online_q(mode)) for mode in OnlineClass.values})
    counts = Service.objects.filter(active=True).aggregate(**figures)
    levels = {level: counts[f"level_{level}"] for level in ServiceLevel.values}
    return levels, {mode: counts[f"class_{mode}"] for mode in OnlineClass.values}


@dataclass
class Report:
    period: Period
    units: list[UnitFigures]
    steps: list[StepFigures]
    levels: dict[int, int] = field(default_factory=dict)
    online_classes: dict[str, int] = field(default_factory=dict)

    @property
    def city(self) -> UnitFigures:
        return _total(self.units, UnitFigures)

    @property
    def steps_total(self) -> StepFigures:
        return _total(self.steps, StepFigures)

    @property
    def services(self) -> int:
        return sum(self.levels.values())


def report(period: Period, unit_ids=None, now=None) -> Report:
    """Every figure for the period; ``unit_ids`` (None: all) limits it to those units."""
    levels, online_classes = services_by_class()
    return Report(
        period=period,
        units=receiving_figures(period, unit_ids, now),
        steps=processing_figures(period, unit_ids, now),
        levels=levels,
        online_classes=online_classes,
    )
