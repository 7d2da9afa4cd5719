"""The e-government report page in the back office, and its PDF and DOCX exports."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import workdays
from website import report as reports

MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end of the period is before its start."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("A report covers at most three years."))
        return data


def _default_period() -> tuple[date, date]:
    today = workdays.local(timezone.now()).date()
    return (
        (date(today.year, 1, 1), date(today.year, 6, 30))
        if today.month > 6
        else (date(today.year - 1, 7, 1), date(today.year - 1, 12, 31))
    )


def _view(request):
    if not request.user.has_perm("website.view_report"):
        raise PermissionDenied
    start, end = _default_period()
    form = PeriodForm(request.GET or {"start": start.isoformat(), "end": end.isoformat()})
    result = None
    if form.is_valid():
        result = reports.build(request.user, form.cleaned_data["start"], form.cleaned_data["end"])
        kind = request.GET.get("format", "")
        stem = f"bao-cao-cpdt-{result.start:%Y%m%d}-{result.end:%Y%m%d}"
        if kind == "pdf":
            from portal import pdf

            return pdf.response(reports.pdf(result), f"{stem}.pdf", inline=False)
        if kind == "docx":
            reply = HttpResponse(
                reports.docx(result),
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
            reply["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
            reply["Cache-Control"] = "private, no-store"
            return reply
    context = {
        **admin.site.each_context(request),
        "title": _("E-government report"),
        "form": form,
        "report": result,
        "query": urlencode({"start": result.start.isoformat(), "end": result.end.isoformat()})
        if result
        else "",
    }
    return render(request, "website/admin/report.html", context)


def report(request):
    return admin.site.admin_view(_view)(request)
