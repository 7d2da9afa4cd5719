"""Citizens file a level 3 or 4 dossier online, with drafts they can resume.

The whole form, every file included, is validated before any service is
called; the services then run inside one outer transaction, so a refused
submission leaves nothing half-saved. A draft is proven by its token (the
resume link); a submitted dossier by the session (see ``selectors.remember``).

A resume link expires ``DRAFT_LINK_DAYS`` (30) days after its last use; each
use (opening or saving the draft) renews it. The draft never shows the
applicant's CCCD in full: the form shows its last digits and keeps the saved
number unless a new one is typed.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onestop import services
from onestop.forms import APPLICANT_FIELDS, FilingForm
from onestop.models import Dossier, DossierStatus, Service
from onestop.selectors import proven_dossier, public_status, remember
from onestop.views.lookup import available_letters, payment_link
from onestop.workflow import Citizen, WorkflowError
from portal import uploads
from portal.forms import apply_service_errors
from portal.links import absolute_url

ACTION_SUBMIT = "submit"
ACTION_DRAFT = "draft"
DRAFT_LINK_DAYS = 30


def draft_link_expired(dossier: Dossier) -> bool:
    """The resume link has not been used for DRAFT_LINK_DAYS days."""
    last_use = dossier.draft_used_at or dossier.created_at
    return timezone.now() - last_use > timedelta(days=DRAFT_LINK_DAYS)


def _renew_draft_link(dossier: Dossier) -> None:
    dossier.draft_used_at = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(draft_used_at=dossier.draft_used_at)


def _service(code: str) -> Service | None:
    return (
        Service.objects.filter(code=code)
        .select_related("sector")
        .prefetch_related("documents", "receiving_units")
        .first()
    )


def _save(request, form: FilingForm, dossier: Dossier | None, submitting: bool) -> Dossier:
    """Create or update the draft, replace the chosen files, submit if asked: all or nothing."""
    with transaction.atomic():
        data = form.applicant_data()
        if dossier is None:
            user = request.user if request.user.is_authenticated else None
            dossier = services.create_draft(
                form.service, form.cleaned_data["receiving_unit"], data, user=user
            )
        else:
            dossier = services.update_draft(dossier, data, Citizen(dossier.pk))
        actor = Citizen(dossier.pk)
        for doc, upload in form.uploads():
            for old in form.existing.get(doc.pk, []):
                services.remove_draft_file(dossier, old, actor)
            services.attach_file(dossier, upload, actor, required_document=doc)
        if submitting:
            dossier = services.submit_dossier(dossier, actor)
    return dossier


def _handle(request, service: Service, dossier: Dossier | None = None):
    """The POST of the filing form (new or resumed draft): a redirect, or the form with its errors.

    The files that passed their check are held for the next attempt when the
    form comes back with an error, so one wrong field never means attaching
    every file again (``portal.uploads.hold``).
    """
    submitting = request.POST.get("action", ACTION_SUBMIT) != ACTION_DRAFT
    form_key = request.POST.get("form_key", "")[:64]
    form = FilingForm(
        service,
        request.POST,
        request.FILES,
        dossier=dossier,
        submitting=submitting,
        held=uploads.held(request, form_key),
    )
    if form.is_valid():
        try:
            saved = _save(request, form, dossier, submitting)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            uploads.release(request, form_key)
            if submitting:
                remember(request, saved)
                return redirect("onestop:submitted", code=saved.code)
            messages.success(request, _("Your draft has been saved."))
            return redirect("onestop:draft", token=saved.draft_token)
    form_key = form_key if uploads.is_form_key(form_key) else uploads.new_form_key()
    for field, upload in form.new_uploads():
        try:
            form.held[field] = uploads.hold(request, form_key, field, upload)
        except ValidationError:
            continue  # already reported beside its field
    return _render_form(request, service, form, dossier, status=400, form_key=form_key)


def _render_form(request, service, form, dossier=None, status=200, form_key=""):
    context = {
        "service": service,
        "form": form,
        "dossier": dossier,
        "form_key": form_key or uploads.new_form_key(),
    }
    if dossier is not None:
        context["resume_url"] = absolute_url(reverse("onestop:draft", args=[dossier.draft_token]))
    return render(request, "onestop/filing/form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def file_dossier(request, code):
    service = _service(code)
    if service is None or not service.active:
        return render(request, "onestop/filing/unknown_service.html", {"code": code[:40]}, status=404)
    if not service.files_online:
        return render(request, "onestop/filing/in_person.html", {"service": service})
    if request.method == "POST":
        return _handle(request, service)
    return _render_form(request, service, FilingForm(service))


def _initial(dossier: Dossier) -> dict:
    # Never the CCCD: the form shows it masked and keeps it unless a new one is typed.
    initial = {key: getattr(dossier, key) for key in APPLICANT_FIELDS if key != "applicant_id_number"}
    initial["consent"] = dossier.consent_at is not None
    return initial


@never_cache
@require_http_methods(["GET", "POST"])
def resume_draft(request, token):
    dossier = (
        Dossier.objects.filter(draft_token=token).select_related("service", "receiving_unit").first()
        if 20 <= len(token) <= 64
        else None
    )
    if dossier is None:
        return render(request, "onestop/filing/unknown_draft.html", status=404)
    if dossier.status != DossierStatus.DRAFT:
        return render(request, "onestop/filing/already_submitted.html", {"dossier": dossier})
    if draft_link_expired(dossier):
        return render(
            request,
            "onestop/filing/unknown_draft.html",
            {"expired": True, "days": DRAFT_LINK_DAYS},
            status=410,
        )
    _renew_draft_link(dossier)
    service = _service(dossier.service.code)
    if request.method == "POST":
        return _handle(request, service, dossier)
    form = FilingForm(service, dossier=dossier, initial=_initial(dossier))
    return _render_form(request, service, form, dossier)


@never_cache
def submitted(request, code):
    dossier = proven_dossier(request, code)
    if dossier is None:
        return redirect(reverse("onestop:lookup"))
    receipt = next((item for item in available_letters(dossier) if item["slug"] == "receipt"), None)
    context = {
        "dossier": dossier,
        "status_text": public_status(dossier),
        "receipt": receipt,
        "pay_url": payment_link(dossier),
    }
    return render(request, "onestop/filing/submitted.html", context)


urlpatterns = [
    path("dich-vu/<str:code>/nop-ho-so/", file_dossier, name="file"),
    path("ho-so/nhap/<str:token>/", resume_draft, name="draft"),
    path("ho-so/<str:code>/da-nop/", submitted, name="submitted"),
]
