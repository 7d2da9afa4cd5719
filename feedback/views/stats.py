"""Feedback statistics: the public page with a chart, and CSV / XLSX for staff (their scope only).

Every exported cell goes through the kernel's ``portal.exports.safe_cell`` (no formula from data).
"""

from __future__ import annotations

import io
import re

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from feedback import stats
from feedback.models import Report
from portal import audit, workdays
from portal.exports import csv_response, safe_cell


class StatsForm(forms.Form):
    nam = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    ky = forms.ChoiceField(label=gettext_lazy("Period"), choices=stats.PERIODS)
    theo = forms.ChoiceField(
        label=gettext_lazy("Per"), choices=[(key, label) for key, (label, _e, _k) in stats.GROUPS.items()]
    )

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["nam"].choices = [(y, str(y)) for y in years]


def _params(request):
    this_year = workdays.today().year
    form = StatsForm(
        {
            "nam": request.GET.get("nam", this_year),
            "ky": request.GET.get("ky", "year"),
            "theo": request.GET.get("theo", "unit"),
        },
        years=list(range(this_year, this_year - 6, -1)),
    )
    if form.is_valid():
        data = form.cleaned_data
        return form, stats.Period.of(data["nam"], data["ky"]), data["theo"]
    return form, stats.Period.of(this_year), "unit"


def chart(rows: list[stats.Row]) -> dict:
    """A stacked bar per group (answered on time / late / still open), drawn as inline SVG."""
    label_w, bars_w, row_h, bar_h = 200, 420, 28, 18
    top = max((r.received for r in rows), default=0) or 1
    scale = bars_w / top
    bars = []
    for i, row in enumerate(rows[:20]):
        y = 8 + i * row_h
        x = label_w
        segments = []
        for value, colour, name in (
            (row.on_time, "#146c43", _("On time")),
            (row.late, "#b02a37", _("Late")),
            (row.open, "#6c757d", _("Still open")),
        ):
            width = value * scale
            if value:
                segments.append(
                    {"x": f"{x:.1f}", "w": f"{width:.1f}", "colour": colour, "title": f"{name}: {value}"}
                )
            x += width
        name = row.name if len(row.name) <= 28 else row.name[:27] + "…"
        bars.append(
            {
                "name": name,
                "y": f"{y:.1f}",
                "ty": f"{y + 13:.1f}",
                "segments": segments,
                "tx": f"{x + 5:.1f}",
                "total": row.received,
            }
        )
    return {
        "width": label_w + bars_w + 50,
        "height": 16 + max(len(bars), 1) * row_h,
        "bar_h": bar_h,
        "bars": bars,
        "label_x": label_w - 6,
    }


@require_GET
def stats_page(request):
    form, period, by = _params(request)
    key = f"feedback:stats:{period.start}:{period.end}:{by}:{workdays.today()}"
    rows = cache.get_or_set(key, lambda: stats.report(period, by), 300)
    return render(
        request,
        "feedback/stats.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "total": stats.total(rows),
            "chart": chart(rows),
            "group_label": stats.GROUPS[by][0],
            "query": request.GET.urlencode(),
        },
    )


def _table(request):
    _form, period, by = _params(request)
    rows = stats.report(period, by, Report.objects.visible_to(request.user))
    header = [
        str(stats.GROUPS[by][0]),
        _("Period start"),
        _("Period end"),
        _("Received"),
        _("Answered"),
        _("On time"),
        _("Late"),
        _("On time (%)"),
        _("Still open"),
        _("Reopened"),
        _("Ratings"),
        _("Average rating (1-5)"),
        _("Satisfied (%)"),
    ]
    body = [
        [
            row.name,
            period.start.isoformat(),
            period.end.isoformat(),
            row.received,
            row.answered,
            row.on_time,
            row.late,
            row.on_time_share,
            row.open,
            row.reopened,
            row.rated,
            row.average,
            row.satisfied_share,
        ]
        for row in [*rows, stats.total(rows)]
    ]
    audit.record("feedback.stats_export", actor=request.user, request=request, start=str(period.start), by=by)
    return period, header, body


@staff_member_required
@require_GET
def export_csv(request):
    period, header, body = _table(request)
    return csv_response(f"phan-anh-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv", [header, *body])


@staff_member_required
@require_GET
def export_xlsx(request):
    from openpyxl import Workbook

    period, header, body = _table(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Feedback")[:31])
    sheet.append([str(h) for h in header])
    for row in body:
        sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="phan-anh-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"'
    )
    return response


_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(value):
    """Numbers stay numbers; text is formula-safe and free of control characters openpyxl refuses."""
    value = safe_cell(value)
    return _NOT_IN_XLSX.sub("", value) if isinstance(value, str) else value
