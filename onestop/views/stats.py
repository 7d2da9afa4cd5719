"""One-stop statistics: the public page with the city's figures and chart, and the officials' CSV."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onestop import stats
from onestop.apps import CATALOGUE
from onestop.models import Dossier
from onestop.stats import PART_CHOICES, Period
from portal import audit, exports, pagecache, workdays
from portal.cases import case_version
from portal.scoping import visible_unit_ids

#: What the public figures are made of: dossiers (every event moves this on) and the catalogue.
STATS_VERSIONS = (case_version(Dossier), CATALOGUE)


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PART_CHOICES)

    def __init__(self, data, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(year, str(year)) for year in years]


def period_from(request) -> tuple[PeriodForm, Period]:
    """The period asked for in the query string; this year when nothing (or nonsense) is asked."""
    this_year = workdays.today().year
    first = min(stats.first_year(this_year), this_year)
    form = PeriodForm(
        {"year": request.GET.get("year", this_year), "period": request.GET.get("period", "year")},
        years=list(range(this_year, first - 1, -1)),
    )
    if form.is_valid():
        return form, Period.of(form.cleaned_data["year"], form.cleaned_data["period"])
    return form, Period.of(this_year)


# --- the chart: an inline SVG drawn here, no script ----------------------------------------

CHART = {"label": 210, "bars": 430, "after": 60, "row": 30, "bar": 20, "top": 10}
SERIES = [
    ("early", gettext_lazy("Early"), "#146c43"),
    ("on_time", gettext_lazy("On time"), "#0a58ca"),
    ("late", gettext_lazy("Late"), "#b02a37"),
]


def _short(name: str, length: int = 28) -> str:
    return name if len(name) <= length else name[: length - 1] + "…"


def _n(value: float) -> str:
    """An SVG coordinate: never localised (a Vietnamese decimal comma would break it)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(rows) -> dict:
    """Geometry of a stacked horizontal bar chart (early / on time / late) per unit."""
    scale_max = max((row.returned for row in rows), default=0) or 1
    per_result = CHART["bars"] / scale_max
    bars = []
    for index, row in enumerate(rows):
        y = CHART["top"] + index * CHART["row"]
        x = CHART["label"]
        segments = []
        for key, label, colour in SERIES:
            count = getattr(row, key)
            width = count * per_result
            if count:
                segments.append(
                    {
                        "x": _n(x),
                        "width": _n(width),
                        "colour": colour,
                        "count": count,
                        "label": label,
                        "text_x": _n(x + width / 2),
                        "show_count": width >= 22,
                    }
                )
            x += width
        bars.append(
            {
                "name": _short(row.unit.name),
                "y": _n(y),
                "bottom": _n(y + CHART["bar"]),
                "text_y": _n(y + CHART["bar"] / 2 + 5),
                "segments": segments,
                "total": row.returned,
                "total_x": _n(x + 6),
            }
        )
    return {
        "width": _n(CHART["label"] + CHART["bars"] + CHART["after"]),
        "height": _n(CHART["top"] * 2 + max(len(rows), 1) * CHART["row"]),
        "bar_height": _n(CHART["bar"]),
        "bars_x": _n(CHART["label"]),
        "label_x": _n(CHART["label"] - 8),
        "bars": bars,
        "series": SERIES,
    }


def cached_report(period: Period):
    """The public figures per period, computed once per version of the dossiers: exact after
    every event (the key holds the versions), shared by every process between events."""
    seconds = getattr(settings, "ONESTOP_STATS_CACHE_SECONDS", 300)
    if not seconds:
        return stats.report(period)
    version = pagecache.versions(pagecache.SITE, *STATS_VERSIONS)
    key = f"onestop:stats:{period.start}:{period.end}:{workdays.today()}:{version}"
    return cache.get_or_set(key, lambda: stats.report(period), seconds)


@require_GET
@pagecache.cached_page(*STATS_VERSIONS, params=("year", "period"))
def stats_page(request):
    form, period = period_from(request)
    report = cached_report(period)
    return render(
        request,
        "onestop/stats/index.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "city": report.city,
            "steps_total": report.steps_total,
            "chart": bar_chart(report.units),
            "score_max": stats.SCORE_MAX,
            "indicator_labels": stats.indicator_labels(),
            "query": request.GET.urlencode(),
        },
    )


# --- CSV for officials ----------------------------------------------------------------------


def _number(value) -> str:
    return "" if value is None else str(value)


def csv_rows(report):
    yield [
        _("Table"),
        _("Unit code"),
        _("Unit"),
        _("Period start"),
        _("Period end"),
        _("Received in the period"),
        _("Filed online"),
        _("Online share (%)"),
        _("Resolved"),
        _("Early"),
        _("On time"),
        _("Late"),
        _("Refused"),
        _("In progress at the end"),
        _("Overdue at the end"),
        _("Rated dossiers"),
        _("Average rating (0-2)"),
        _("Decree 61 score (out of %(max)s)") % {"max": stats.SCORE_MAX},
        _("Dossiers scored"),
        *stats.indicator_labels(),
        _("Fees paid online (%)"),
        _("Walk-in dossiers scanned (%)"),
    ]
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    for row in report.units:
        yield [
            _("Receiving unit (dossiers)"),
            row.unit.code,
            row.unit.name,
            start,
            end,
            row.received,
            row.online,
            _number(row.online_share),
            row.resolved,
            row.early,
            row.on_time,
            row.late,
            row.refused,
            row.in_progress,
            row.overdue,
            row.rated,
            _number(row.rating),
            _number(row.score),
            row.evaluated,
            *(_number(mean) for _name, mean in row.indicators),
            _number(row.paid_online_share),
            _number(row.digitised_share),
        ]
    for row in report.steps:
        yield [
            _("Processing unit (steps)"),
            row.unit.code,
            row.unit.name,
            start,
            end,
            "",
            "",
            "",
            row.handed_over,
            row.early,
            row.on_time,
            row.late,
            "",
            row.in_progress,
            row.overdue,
            "",
            "",
            "",
            "",
            *("" for _name in stats.indicator_labels()),
            "",
            "",
        ]


@staff_member_required
@require_GET
def stats_csv(request):
    """The figures of the units the official may see (``visible_unit_ids``), for Excel (UTF-8 BOM)."""
    _form, period = period_from(request)
    report = stats.report(period, unit_ids=visible_unit_ids(request.user))
    response = exports.csv_response(
        f"thong-ke-mot-cua-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv", csv_rows(report)
    )
    audit.record(
        "onestop.stats_export",
        actor=request.user,
        request=request,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
    return response


urlpatterns = [
    path("thong-ke/", stats_page, name="stats"),
    path("thong-ke/xuat.csv", stats_csv, name="stats_csv"),
]
