"""Citizens look up a dossier: by its code plus the applicant's mobile or CCCD.

No enumeration: a wrong code and a wrong mobile get exactly the same answer,
and failed attempts are limited per client address (across codes) and per
code *from that address* (Redis counters, see ``portal.ratelimit``; a Redis
outage lets look-ups through). There is no limit per code alone: failing on a
dossier's code from elsewhere must never lock its applicant out.
A successful look-up, like a submission, stores the dossier's id in the
session (``selectors.remember``): that proof, and nothing else, opens the
detail page, its letters and its files (private storage, never a public URL). On that page the
citizen answers a supplement request, downloads the result (level 4) and
rates the service once the result is returned.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from onestop import services
from onestop.apps import CATALOGUE
from onestop.forms import LookupForm, RatingForm, SupplementForm
from onestop.models import Dossier, DossierStatus, PaymentStatus
from onestop.selectors import (
    PROVISIONAL_DATE,
    delivers_online,
    holding_unit,
    open_supplement,
    proven_dossier,
    proven_id,
    proven_ids,
    public_history,
    public_status,
    remember,
)
from onestop.workflow import Citizen, WorkflowError
from portal import pagecache, ratelimit
from portal.audit import client_ip
from portal.cases import case_version
from portal.forms import apply_service_errors
from portal.links import absolute_url
from portal.pdf import response as pdf_response
from portal.uploads import file_response
from portal.validators import normalize_mobile

log = logging.getLogger(__name__)
S = DossierStatus

NOT_FOUND = gettext_lazy("No dossier matches the details you entered.")


def lookup_url(request, code: str) -> str:
    """Absolute URL of the look-up form prefilled with the code (printed as a QR code)."""
    return absolute_url(reverse("onestop:lookup"), {"ma": code})


def _to_form(code: str = ""):
    query = "?" + urlencode({"ma": code}) if code and len(code) <= 40 else ""
    return redirect(reverse("onestop:lookup") + query)


# --- the look-up form --------------------------------------------------------------------


def _limits() -> tuple[int, int, int]:
    """Failed look-ups allowed per address, per (code, address), and the window in seconds."""
    return (
        int(getattr(settings, "ONESTOP_LOOKUP_LIMIT", 10)),
        int(getattr(settings, "ONESTOP_LOOKUP_CODE_LIMIT", 5)),
        int(getattr(settings, "ONESTOP_LOOKUP_WINDOW", 600)),
    )


def _matches(dossier: Dossier, secret: str) -> bool:
    """The applicant's CCCD (12 digits) or mobile, compared in constant time."""
    if len(secret) == 12 and secret.isdigit():
        return constant_time_compare(secret, dossier.applicant_id_number)
    return constant_time_compare(normalize_mobile(secret), dossier.applicant_phone)


def _find(code: str, secret: str) -> Dossier | None:
    # Codes are upper case; an exact match on both spellings keeps to the unique index.
    dossier = Dossier.objects.filter(code__in={code, code.upper()}).exclude(status=S.DRAFT).first()
    if dossier is None or not _matches(dossier, secret):
        return None
    return dossier


@pagecache.cached_page(params=("ma",))
def _empty_form(request):
    """The form as a visitor first sees it (the code prefilled from a receipt's QR code)."""
    form = LookupForm(initial={"code": (request.GET.get("ma") or "")[:40]})
    return render(request, "onestop/lookup/form.html", {"form": form})


@pagecache.serves(_empty_form)
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    if request.method == "GET":
        return _empty_form(request)
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "onestop/lookup/form.html", {"form": form})
    code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
    limit, code_limit, window = _limits()
    ip = client_ip(request) or "?"
    per_ip = [ratelimit.key("lookup-ip", ip)]
    per_code = [ratelimit.key("lookup-code-ip", f"{code.upper()}\n{ip}")]
    keys = per_ip + per_code
    allowed = ratelimit.hit(per_ip, limit, window)
    allowed = ratelimit.hit(per_code, code_limit, window) and allowed
    if not allowed:
        log.info("look-up rate limit reached for %s", client_ip(request))
        minutes = max(1, window // 60)
        error = ngettext(
            "Too many attempts. For your security, please try again in %(minutes)s minute.",
            "Too many attempts. For your security, please try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
        return render(request, "onestop/lookup/form.html", {"form": form, "error": error}, status=429)
    dossier = _find(code, secret)
    if dossier is None:
        return render(request, "onestop/lookup/form.html", {"form": form, "error": NOT_FOUND})
    ratelimit.refund(keys)
    remember(request, dossier)
    return redirect("onestop:lookup_detail", code=dossier.code)


# --- the detail page ---------------------------------------------------------------------


def result_files(dossier: Dossier):
    """The result PDF a level-4 applicant downloads (rendered and stored now if it is still missing)."""
    if not delivers_online(dossier) or dossier.status not in (S.RESULT_READY, S.RETURNED):
        return []
    stored = services.result_file(dossier)
    return [stored] if stored is not None else []


def payment_link(dossier: Dossier) -> str | None:
    """The payments helper's page for a dossier awaiting its fee (None if unavailable)."""
    if dossier.status != S.AWAITING_PAYMENT:
        return None
    try:
        from onestop.payments import payment_token

        return reverse("onestop:pay", args=[dossier.code]) + "?" + urlencode({"t": payment_token(dossier)})
    except (ImportError, NoReverseMatch):
        log.warning("online payment page not available")
        return None


def detail_context(request, dossier: Dossier, **forms) -> dict:
    requests = list(dossier.supplement_requests.select_related("unit").order_by("requested_at", "id"))
    supplement = open_supplement(dossier, requests)
    if supplement is not None and "supplement_form" not in forms:
        forms["supplement_form"] = SupplementForm(supplement.items)
    can_rate = dossier.status == S.RETURNED and not hasattr(dossier, "rating")
    if can_rate and "rating_form" not in forms:
        forms["rating_form"] = RatingForm()
    return {
        "dossier": dossier,
        "status_text": public_status(dossier),
        "holding_unit": holding_unit(dossier),
        "provisional": dossier.status in PROVISIONAL_DATE,
        "history": public_history(dossier),
        "supplement": supplement,
        "supplement_requests": requests,
        "letters": available_letters(dossier, requests),
        "result_files": result_files(dossier),
        "delivers_online": delivers_online(dossier),
        "pay_url": payment_link(dossier),
        "payment_required": dossier.payment_status != PaymentStatus.NOT_REQUIRED,
        "rating": getattr(dossier, "rating", None),
        "can_rate": can_rate,
        **forms,
    }


def _status_versions(pk: int) -> tuple[str, ...]:
    """What the status page shows depends on: the dossier (every event, step, file or payment
    moves its version on) and the catalogue (the service's name and rules)."""
    return (case_version(Dossier, pk), CATALOGUE)


def _proven_status_versions(request, code: str) -> tuple[str, ...] | None:
    """For PageCacheMiddleware: the status page's versions for a browser whose session
    proves it knows the dossier (None otherwise), from the session alone."""
    pk = proven_id(request, code) if code and len(code) <= 40 else None
    return None if pk is None else _status_versions(pk)


@pagecache.proven_page(_proven_status_versions)
@never_cache
def lookup_detail(request, code):
    """The status page: checked against the session's proof with two columns, then served
    from the cache kept per dossier version (every event, step, file or payment moves it on);
    a browser that looked the dossier up is answered before the stack (pagecache.proven_page)."""
    pk = proven_id(request, code) if code and len(code) <= 40 else None
    if pk is None:  # not looked up in this browser: maybe the signed-in citizen's own
        found = None
        if code and len(code) <= 40:
            found = Dossier.objects.filter(code=code).values_list("pk", "applicant_user_id").first()
        if found is None or not proven_ids(request, *found):
            return _to_form(code)
        pk = found[0]

    def render_page(request):
        dossier = proven_dossier(request, code)
        if dossier is None:
            return _to_form(code)
        return render(request, "onestop/lookup/detail.html", detail_context(request, dossier))

    return pagecache.private_page(request, render_page, _status_versions(pk))


@never_cache
@require_POST
def provide_supplement(request, code):
    dossier = proven_dossier(request, code)
    if dossier is None:
        return _to_form(code)
    supplement = open_supplement(dossier)
    if supplement is None:
        messages.error(request, _("No supplement is being asked for this dossier."))
        return redirect("onestop:lookup_detail", code=dossier.code)
    form = SupplementForm(supplement.items, request.POST, request.FILES)
    return _act_on_detail(
        request,
        dossier,
        form,
        "supplement_form",
        lambda: services.provide_supplement(
            dossier, Citizen(dossier.pk), files=form.files_list(), note=form.cleaned_data["note"]
        ),
        _("Thank you: your documents have been sent to the one-stop desk."),
    )


def _act_on_detail(request, dossier, form, form_name, act, success):
    """Run a citizen's action from the detail page: errors beside the form, workflow refusals as a message."""
    if form.is_valid():
        try:
            act()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("onestop:lookup_detail", code=dossier.code)
        else:
            messages.success(request, success)
            return redirect("onestop:lookup_detail", code=dossier.code)
    context = detail_context(request, dossier, **{form_name: form})
    return render(request, "onestop/lookup/detail.html", context, status=400)


@never_cache
@require_POST
def rate(request, code):
    dossier = proven_dossier(request, code)
    if dossier is None:
        return _to_form(code)
    form = RatingForm(request.POST)
    return _act_on_detail(
        request,
        dossier,
        form,
        "rating_form",
        lambda: services.rate_dossier(
            dossier, Citizen(dossier.pk), form.scores(), form.cleaned_data["comment"]
        ),
        _("Thank you for rating our service."),
    )


# --- letters and files -------------------------------------------------------------------


def available_letters(dossier: Dossier, requests: list | None = None) -> list[dict]:
    """The letters the applicant may download now, each {slug, title, url}: the registry's
    (``onestop.letters``), the same table the back office reads."""
    from onestop import letters

    return [
        {
            "slug": copy.slug,
            "title": copy.title,
            "url": reverse("onestop:letter", args=[dossier.code, copy.slug]),
        }
        for copy in letters.available(dossier, letters.CITIZEN, requests)
    ]


@never_cache
def letter(request, code, kind):
    dossier = proven_dossier(request, code)
    if dossier is None:
        return _to_form(code)
    from onestop import letters

    copy = letters.find(dossier, kind, letters.CITIZEN)
    if copy is None:
        raise Http404
    try:
        pdf = letters.render(copy, dossier, lookup_url(request, dossier.code))
    except WorkflowError:  # the letter's facts are missing (e.g. an apology without its event)
        raise Http404
    return pdf_response(pdf, letters.file_name(copy, dossier), inline=False)


@never_cache
def result_file(request, code, file_id):
    dossier = proven_dossier(request, code)
    if dossier is None:
        return _to_form(code)
    record = next((f for f in result_files(dossier) if f.pk == file_id), None)
    if record is None:
        raise Http404
    return file_response(
        record.file, record.original_name or f"ket-qua-{dossier.code}.pdf", record.content_type
    )


urlpatterns = [
    path("tra-cuu/", lookup, name="lookup"),
    path("tra-cuu/<str:code>/", lookup_detail, name="lookup_detail"),
    path("tra-cuu/<str:code>/bo-sung/", provide_supplement, name="lookup_supplement"),
    path("tra-cuu/<str:code>/danh-gia/", rate, name="lookup_rate"),
    path("tra-cuu/<str:code>/thu/<slug:kind>.pdf", letter, name="letter"),
    path("tra-cuu/<str:code>/ket-qua/<int:file_id>/", result_file, name="result_file"),
]
