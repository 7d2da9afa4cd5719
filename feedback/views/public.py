"""The public site: report a problem from a phone, follow it, rate it, browse what was handled.

No account needed. A report is followed by its tracking code; what the
public sees never includes personal data (the reporter's name only with
consent; phone, e-mail, citizens' photos never; free text masked). The
reporter's private key (shown once, and in the e-mail) opens rating and
reopening; a browser that presented it is remembered in the session.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import selectors, services
from feedback.forms import LookupForm, RatingForm, ReopenForm, ReportForm
from feedback.models import Photo, Report, ReportEvent, ReportStatus
from feedback.workflow import Citizen, WorkflowError, current_rating, reopen_deadline
from portal import ratelimit
from portal.audit import client_ip
from portal.forms import apply_service_errors
from portal.text import mask_personal_data
from portal.uploads import store_bytes
from portal.workflow import WorkflowError as KernelWorkflowError

log = logging.getLogger(__name__)
S = ReportStatus
SESSION_KEYS = "feedback_keys"  # tracking code -> the reporter's key, for this browser

PUBLIC_STATUS = {
    S.NEW: gettext_lazy("Received; the 1022 desk is checking it."),
    S.ASSIGNED: gettext_lazy("Being handled by %(unit)s."),
    S.AWAITING_APPROVAL: gettext_lazy("Answer prepared by %(unit)s, awaiting its leader's approval."),
    S.ANSWERED: gettext_lazy("Answered by %(unit)s."),
    S.INVALID: gettext_lazy("Not accepted, for the reason below."),
    S.DUPLICATE: gettext_lazy("The same problem was already reported; follow that report."),
    S.FORWARDED: gettext_lazy("Outside the city's competence: forwarded to %(agency)s."),
}

PUBLIC_EVENTS = {
    "receive": gettext_lazy("Report received"),
    "assign": gettext_lazy("Assigned to a handling unit"),
    "pass_down": gettext_lazy("Passed on to the local unit"),
    "reject": gettext_lazy("Not accepted"),
    "mark_duplicate": gettext_lazy("Linked to an earlier report of the same problem"),
    "forward": gettext_lazy("Forwarded to the competent agency"),
    "return_to_desk": gettext_lazy("Returned to the 1022 desk to be assigned again"),
    "approve": gettext_lazy("Answer published"),
    "rate": gettext_lazy("Rated by the reporter"),
    "reopen": gettext_lazy("Reopened by the reporter"),
}


def public_status(report: Report) -> str:
    shown = report.duplicate_of if report.status == S.DUPLICATE and report.duplicate_of_id else report
    unit = shown.answered_unit if shown.status == S.ANSWERED and shown.answered_unit_id else shown.unit
    return PUBLIC_STATUS[report.status] % {"unit": unit, "agency": report.forwarded_to}


# --- the report form ------------------------------------------------------------------------


def _limits() -> tuple[int, int]:
    return int(getattr(settings, "FEEDBACK_REPORTS_PER_HOUR", 20)), 3600


def _stashed(key: str) -> list[Photo]:
    if not key or len(key) > 64:
        return []
    return list(Photo.objects.filter(stash=key, report__isnull=True).order_by("pk")[: services.MAX_PHOTOS])


def _stash(key: str, photos: list[services.CleanPhoto]) -> None:
    """Keep the good photos of a form that failed, so the citizen need not pick them again."""
    with transaction.atomic():
        for photo in photos:
            record = Photo(stash=key, kind=Photo.Kind.REPORT)
            store_bytes(record, photo.data, photo.name, photo.content_type)
            record.save()


def _remember_key(request, report: Report, key: str | None) -> None:
    keys = dict(request.session.get(SESSION_KEYS, {}))
    if key:
        keys[report.code] = key
    request.session[SESSION_KEYS] = dict(list(keys.items())[-20:])


def _render_form(request, form, status=200):
    return render(
        request,
        "feedback/form.html",
        {"form": form, "categories": form.categories, "max_photos": services.MAX_PHOTOS},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request):
    if request.method == "GET":
        initial = {"submission_key": secrets.token_urlsafe(24)}
        wanted = request.GET.get("loai", "")[:40]
        if wanted and "\x00" not in wanted:
            initial["category"] = selectors.public_categories().filter(code=wanted).first()
        return _render_form(request, ReportForm(initial=initial))
    key = (request.POST.get("submission_key") or "")[:64]
    form = ReportForm(request.POST, request.FILES, stashed=_stashed(key))
    if form.is_valid():
        existing = Report.objects.filter(submission_key=key).first()
        if existing is not None:  # a double click or a retried POST: the same report
            return redirect("feedback:submitted", code=existing.code)
    good, bad = [], []
    for upload in request.FILES.getlist("photos")[: services.MAX_PHOTOS + 1]:
        try:
            good.extend(services.clean_photos([upload]))
        except ValidationError as exc:
            bad.extend(exc.message_dict.get("photos", exc.messages))
    kept = form.kept_photos() if form.is_valid() else list(form.stashed)
    if len(good) + len(kept) > services.MAX_PHOTOS:
        bad.append(_("At most %(n)s photos.") % {"n": services.MAX_PHOTOS})
    if not form.is_valid() or bad:
        for message in bad:
            form.add_error("photos", message)
        if key and len(key) >= 16 and good and len(good) + len(form.stashed) <= services.MAX_PHOTOS:
            _stash(key, good)
            form.stashed = _stashed(key)
            form.fields["drop_photos"].choices = [(str(p.pk), p.original_name) for p in form.stashed]
        return _render_form(request, form, status=400)
    limit, window = _limits()
    if not ratelimit.hit([ratelimit.key("feedback-report-ip", client_ip(request) or "?")], limit, window):
        form.add_error(None, _("Too many reports from this connection. Please call the 1022 line."))
        return _render_form(request, form, status=429)
    try:
        report, report_key = services.submit_report(
            form.service_data(), good, submission_key=key, stashed=kept
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _render_form(request, form, status=400)
    dropped = [p for p in form.stashed if p not in kept]
    for photo in dropped:
        storage, name = photo.file.storage, photo.file.name
        photo.delete()
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    _remember_key(request, report, report_key)
    return redirect("feedback:submitted", code=report.code)


@never_cache
@require_GET
def submitted(request, code):
    report = _report_or_404(code)
    key = request.session.get(SESSION_KEYS, {}).get(report.code)
    private = request.build_absolute_uri(reverse("feedback:report", args=[report.code])) + (
        f"?k={key}" if key else ""
    )
    return render(
        request, "feedback/submitted.html", {"report": report, "private_url": private, "has_key": bool(key)}
    )


# --- following a report -------------------------------------------------------------------


def _report_or_404(code: str) -> Report:
    if not code or len(code) > 20 or "\x00" in code:
        raise Http404
    report = (
        Report.objects.select_related("category", "ward", "unit", "answered_unit", "duplicate_of")
        .filter(code=code.upper())
        .first()
    )
    if report is None:
        raise Http404
    return report


def _proven(request, report: Report) -> bool:
    key = request.GET.get("k") or request.session.get(SESSION_KEYS, {}).get(report.code, "")
    if services.key_matches(report, key):
        if request.GET.get("k"):
            _remember_key(request, report, key)
        return True
    return False


def public_timeline(report: Report) -> list[dict]:
    events = ReportEvent.objects.filter(report=report, action__in=PUBLIC_EVENTS).order_by("at", "id")
    return [{"at": e.at, "text": PUBLIC_EVENTS[e.action]} for e in events.only("at", "action")]


@never_cache
@require_GET
def report_page(request, code):
    report = _report_or_404(code)
    if request.GET.get("k") and _proven(request, report):
        return redirect("feedback:report", code=report.code)  # the key leaves the address bar
    proven = _proven(request, report)
    if report.status == S.INVALID and not proven:
        raise Http404  # what was not accepted is the reporter's to read, not the public's
    rating = current_rating(report) if report.status == S.ANSWERED else None
    context = {
        "report": report,
        "status_text": public_status(report),
        "description": mask_personal_data(report.description),
        "address": mask_personal_data(report.address),
        "timeline": public_timeline(report),
        "fix_photos": list(report.photos.filter(kind=Photo.Kind.FIX)) if report.published_at else [],
        "proven": proven,
        "rating": rating,
    }
    if proven and report.status == S.ANSWERED:
        context["rating_form"] = RatingForm() if rating is None else None
        if rating is not None and rating.unhappy and report.reopened_at is None:
            deadline, _days = reopen_deadline(report)
            context["reopen_form"] = ReopenForm()
            context["reopen_until"] = deadline
    return render(request, "feedback/report.html", context)


def _citizen_action(request, code, form_class, run, done):
    report = _report_or_404(code)
    if not _proven(request, report):
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(report, Citizen(report.pk), form.cleaned_data)
        except (WorkflowError, KernelWorkflowError) as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("feedback:report", code=report.code)


@require_POST
def rate(request, code):
    return _citizen_action(
        request,
        code,
        RatingForm,
        lambda r, a, d: services.rate_report(r, a, d["score"], d.get("comment", "")),
        _("Thank you: your rating is recorded."),
    )


@require_POST
def reopen(request, code):
    return _citizen_action(
        request,
        code,
        ReopenForm,
        lambda r, a, d: services.reopen_report(r, a, d["reason"]),
        _("Your report is reopened and back with the unit that answered it."),
    )


@require_GET
def photo(request, code, photo_id):
    """A photo of the fix of a published report (citizens' own photos are never public)."""
    from portal.uploads import file_response

    report = _report_or_404(code)
    record = Photo.objects.filter(report=report, pk=photo_id, kind=Photo.Kind.FIX).first()
    if record is None or report.published_at is None:
        raise Http404
    return file_response(
        record.file,
        f"{report.code}-{record.pk}.{record.file.name.rsplit('.', 1)[-1]}",
        record.content_type,
        inline=True,
    )


@require_GET
def lookup(request):
    form = LookupForm(request.GET)
    if form.is_valid():
        code = form.cleaned_data["ma"].strip().upper()
        if Report.objects.filter(code=code).exclude(status=S.INVALID).exists():
            return redirect("feedback:report", code=code)
        form.add_error("ma", _("No report has this tracking code."))
    return list_page(request, lookup_form=form)


# --- the public list ---------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**62 else None


def _cursor(value: str) -> tuple[datetime, int] | None:
    if not value or len(value) > 60 or "_" not in value:
        return None
    at, _sep, pk = value.rpartition("_")
    try:
        moment = parse_datetime(at)
    except ValueError:
        return None
    number = _int(pk)
    return (moment, number) if moment and number else None


@require_GET
def list_page(request, lookup_form=None):
    status = request.GET.get("trang_thai", "")
    filters = selectors.PublicFilters(
        ward=_int(request.GET.get("phuong")),
        category=_int(request.GET.get("loai")),
        status=status if status in dict(selectors.PUBLIC_STATUS_CHOICES) else "",
        q=(request.GET.get("q") or "").replace("\x00", "")[:100],
        before=_cursor(request.GET.get("sau", "")),
    )
    rows = selectors.public_reports(filters)
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[: selectors.PAGE_SIZE]
    next_query = ""
    if more:
        query = request.GET.copy()
        last = rows[-1]
        query["sau"] = f"{last.published_at.isoformat()}_{last.pk}"
        next_query = query.urlencode()
    return render(
        request,
        "feedback/list.html",
        {
            "reports": [
                {
                    "report": r,
                    "description": mask_personal_data(r.description),
                    "answer": mask_personal_data(r.answer),
                    "address": mask_personal_data(r.address),
                }
                for r in rows
            ],
            "filters": filters,
            "wards": selectors.public_wards(),
            "categories": selectors.public_categories(),
            "statuses": selectors.PUBLIC_STATUS_CHOICES,
            "next_query": next_query,
            "lookup_form": lookup_form or LookupForm(),
            "first_page": filters.before is None,
        },
        status=200,
    )
