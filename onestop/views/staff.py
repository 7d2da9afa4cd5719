"""Staff-only views of the back office, served under /admin/ by ``DossierAdmin.get_urls()``.

Every view finds its dossier through the admin's queryset, which is
``Dossier.objects.visible_to(user)``: a dossier outside the user's scope is
a 404, whatever id is typed. Workflow actions are refused by the workflow
(through the services) whoever posts; the buttons only mirror it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop import admin_forms, letters, selectors, services
from onestop import workflow as wf
from onestop.models import (
    Dossier,
    DossierEvent,
    DossierFile,
    Timeliness,
)
from onestop.workflow import DossierAction
from portal import pdf, roles, workdays
from portal.admin_actions import ActionSpec, with_note
from portal.forms import NoteForm, apply_service_errors
from portal.links import absolute_url
from portal.uploads import file_response

# --- workflow actions: what each button asks for and which service it calls -------------

ACTIONS: dict[str, ActionSpec] = {
    wf.ACCEPT: ActionSpec(
        NoteForm,
        with_note(services.accept_dossier),
        gettext_lazy("Dossier %(code)s accepted. Appointment date: %(due)s."),
        inline=True,
    ),
    wf.REQUEST_SUPPLEMENT: ActionSpec(
        admin_forms.SupplementRequestForm,
        lambda d, u, data: services.request_supplement(d, u, data["items"], data.get("note", "")),
        gettext_lazy("Supplements requested for dossier %(code)s (form 02)."),
    ),
    wf.REJECT: ActionSpec(
        admin_forms.ReasonsForm,
        with_note(services.reject_dossier),
        gettext_lazy("Dossier %(code)s refused at reception (form 03)."),
        error_field="note",
    ),
    wf.PROVIDE_SUPPLEMENT: ActionSpec(
        admin_forms.SupplementArrivedForm,
        lambda d, u, data: services.provide_supplement(d, u, data.get("files") or (), data.get("note", "")),
        gettext_lazy("Supplements recorded for dossier %(code)s."),
        error_field="files",
    ),
    wf.ASSIGN: ActionSpec(
        admin_forms.AssignForm,
        lambda d, u, data: services.assign_step(d, u, data["assignee"]),
        gettext_lazy("The current step of dossier %(code)s is assigned."),
        error_field="assignee",
    ),
    wf.REQUEST_SUPPLEMENT_PROCESSING: ActionSpec(
        admin_forms.SupplementRequestForm,
        lambda d, u, data: services.request_supplement(d, u, data["items"], data.get("note", "")),
        gettext_lazy("Supplements requested for dossier %(code)s (form 02)."),
    ),
    wf.HAND_OVER: ActionSpec(
        NoteForm,
        with_note(services.hand_over),
        gettext_lazy("Dossier %(code)s handed over to the next unit."),
        inline=True,
    ),
    wf.SUBMIT_FOR_APPROVAL: ActionSpec(
        NoteForm,
        with_note(services.submit_for_approval),
        gettext_lazy("Dossier %(code)s submitted for approval."),
        inline=True,
    ),
    wf.APPROVE: ActionSpec(
        NoteForm,
        with_note(services.approve_dossier),
        gettext_lazy("Dossier %(code)s approved: the result is ready."),
        inline=True,
    ),
    wf.SEND_BACK: ActionSpec(
        admin_forms.RequiredNoteForm,
        with_note(services.send_back),
        gettext_lazy("Dossier %(code)s sent back for processing."),
        error_field="note",
    ),
    wf.REFUSE: ActionSpec(
        admin_forms.ReasonsForm,
        with_note(services.refuse_dossier),
        gettext_lazy("Dossier %(code)s refused, with reasons."),
        error_field="note",
    ),
    wf.RESCHEDULE: ActionSpec(
        admin_forms.RescheduleForm,
        lambda d, u, data: services.reschedule_dossier(d, u, data["new_date"], data["note"]),
        gettext_lazy("New appointment date set for dossier %(code)s (form 04): %(due)s."),
        error_field="new_date",
    ),
    wf.RETURN_RESULT: ActionSpec(
        NoteForm,
        with_note(services.return_result),
        gettext_lazy("Result of dossier %(code)s returned (%(timeliness)s)."),
        inline=True,
    ),
}
ACTIONS[wf.RESUME_PROCESSING] = ACTIONS[wf.PROVIDE_SUPPLEMENT]
ACTIONS[wf.WITHDRAW] = ActionSpec(
    admin_forms.ReasonsForm,
    with_note(services.withdraw_dossier),
    gettext_lazy("Dossier %(code)s withdrawn at the applicant's request: processing stopped."),
    error_field="note",
)
ACTIONS[wf.STOP_PROCESSING] = ActionSpec(
    admin_forms.ReasonsForm,
    with_note(services.stop_processing),
    gettext_lazy("Processing of dossier %(code)s stopped."),
    error_field="note",
)


def action_label(action: str) -> str:
    return wf.WORKFLOW.label(action)


def done_context(dossier: Dossier) -> dict:
    """The success messages' placeholders."""
    due = formats.date_format(dossier.due_date, "d/m/Y") if dossier.due_date else "—"
    return {"code": dossier.code, "due": due, "timeliness": dossier.get_timeliness_display()}


def initial_items(dossier: Dossier) -> list[dict]:
    """Walk-in dossiers: pre-fill form 02 with the mandatory documents not received."""
    event = dossier.events.filter(action=DossierAction.REGISTER_WALK_IN).first()
    if event is None or "documents" not in event.data:
        return []
    received = {d["id"] for d in event.data["documents"]}
    return [
        {"document": doc.pk, "name": "", "reason": _("Not provided")}
        for doc in dossier.service.documents.filter(mandatory=True)
        if doc.pk not in received
    ]


def change_url(dossier: Dossier) -> str:
    return reverse("admin:onestop_dossier_change", args=[dossier.pk])


def _admin_context(model_admin, request, dossier: Dossier | None, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "app_label": model_admin.model._meta.app_label,
        "original": dossier,
        "case": dossier,
        "title": title,
        "subtitle": None,
        "has_view_permission": True,
        "changelist_url": reverse("admin:onestop_dossier_changelist"),
        "change_url": change_url(dossier) if dossier is not None else "",
    }


# --- the dossier page -----------------------------------------------------------------


def _event_details(event: DossierEvent) -> list[str]:
    data, lines = event.data or {}, []
    for item in data.get("items", []):
        lines.append(f"{item.get('name')}: {item.get('reason')}")
    for doc in data.get("documents", []):
        lines.append(_("Received: %(name)s") % {"name": doc.get("name")})
    if data.get("due_date"):
        lines.append(_("Appointment date: %(date)s") % {"date": _iso_to_vn(data["due_date"])})
    if data.get("old_due_date"):
        lines.append(_("Previous date: %(date)s") % {"date": _iso_to_vn(data["old_due_date"])})
    if data.get("to_unit"):
        lines.append(_("To: %(unit)s") % {"unit": data["to_unit"]})
    if data.get("assignee"):
        lines.append(_("Assignee: %(name)s") % {"name": data["assignee"]})
    if data.get("timeliness"):
        lines.append(str(Timeliness(data["timeliness"]).label))
    return lines


def _iso_to_vn(value: str) -> str:
    parts = value.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else value


def _status_label(value: str) -> str:
    return wf.WORKFLOW.state_label(value)


@dataclass(frozen=True)
class Printable:
    label: str
    url: str
    kind: str


def _copy_url(dossier: Dossier, copy: letters.Copy) -> str:
    if copy.part is not None:
        return reverse("admin:onestop_dossier_supplement_pdf", args=[dossier.pk, copy.part.pk])
    return reverse("admin:onestop_dossier_pdf", args=[dossier.pk, copy.slug])


def printables(dossier: Dossier, requests: list | None = None) -> list[Printable]:
    """The letters staff may print now: the registry's (``onestop.letters``), nothing listed here."""
    return [
        Printable(copy.title, _copy_url(dossier, copy), copy.kind)
        for copy in letters.available(dossier, letters.STAFF, requests)
    ]


def detail_view(request, model_admin, object_id):
    """The read-only dossier page: summary, steps, history, supplements, files, forms, buttons."""
    dossier = model_admin.get_case(request, object_id)
    steps = list(dossier.steps.select_related("unit", "assignee", "finished_by").order_by("order"))
    today = workdays.today()
    events = list(dossier.events.select_related("unit").order_by("at", "id"))
    active = next((s for s in steps if s.status == s.Status.ACTIVE), None)
    supplements = list(dossier.supplement_requests.select_related("unit", "requested_by"))
    context = {
        **_admin_context(model_admin, request, dossier, _("Dossier %(code)s") % {"code": dossier}),
        "dossier": dossier,
        "steps": steps,
        "today": today,
        "events": [
            {
                "event": e,
                "label": action_label(e.action),
                "from_label": _status_label(e.from_status) if e.from_status else "",
                "to_label": _status_label(e.to_status),
                "details": _event_details(e),
            }
            for e in events
        ],
        "supplements": supplements,
        "files": list(dossier.files.select_related("required_document").order_by("uploaded_at", "id")),
        "payments": list(dossier.payments.order_by("created_at")),
        "printables": printables(dossier, supplements),
        **model_admin.action_buttons(dossier, request.user),
        "overdue": selectors.is_overdue(dossier, active.due_date if active else None, today),
    }
    return TemplateResponse(request, "admin/onestop/dossier/detail.html", context)


# --- files and printable forms ----------------------------------------------------------


def _lookup_url(request, dossier: Dossier) -> str:
    """The citizens' look-up form prefilled with the code (the receipt's QR code)."""
    try:
        path = reverse("onestop:lookup")
    except NoReverseMatch:
        path = "/"
    return absolute_url(path, {"ma": dossier.code or ""})


def _serve(request, dossier: Dossier, slug: str):
    copy = letters.find(dossier, slug, letters.STAFF)
    if copy is None:
        raise Http404
    try:
        content = letters.render(copy, dossier, _lookup_url(request, dossier))
    except wf.WorkflowError as exc:  # the letter's facts are missing (e.g. an apology without its event)
        raise Http404(exc.message)
    return pdf.response(content, letters.file_name(copy, dossier))


def pdf_view(request, model_admin, object_id, kind):
    return _serve(request, model_admin.get_case(request, object_id), kind)


def supplement_pdf_view(request, model_admin, object_id, request_id):
    return _serve(request, model_admin.get_case(request, object_id), f"supplement-{request_id}")


def file_view(request, model_admin, object_id, file_id):
    dossier = model_admin.get_case(request, object_id)
    record = DossierFile.objects.filter(dossier=dossier, pk=file_id).first()
    if record is None:
        raise Http404
    return file_response(record.file, record.original_name, record.content_type)


# --- the dossier register of a desk, per period -------------------------------------------


def register_view(request, model_admin):
    """Form 06 (2018) / 07 (2025): the register of the dossiers a desk received in a period, as a PDF.

    Only dossiers the user may see (``visible_to``), at most ``letters.REGISTER_LIMIT`` rows.
    """
    form = admin_forms.RegisterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        unit, start, end = (form.cleaned_data[k] for k in ("unit", "start", "end"))
        dossiers = list(
            selectors.register_dossiers(request.user, unit, start, end, letters.REGISTER_LIMIT + 1)
        )
        if len(dossiers) > letters.REGISTER_LIMIT:
            form.add_error(
                None,
                _("More than %(limit)s dossiers in this period: print a shorter period.")
                % {"limit": letters.REGISTER_LIMIT},
            )
        else:
            content = letters.register_pdf(unit, start, end, dossiers)
            return pdf.response(content, f"so-theo-doi-ho-so-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
    context = {
        **_admin_context(model_admin, request, None, _("Dossier register")),
        "form": form,
    }
    return TemplateResponse(
        request, "admin/onestop/dossier/register.html", context, status=400 if form.errors else 200
    )


# --- the desk: walk-in registration -------------------------------------------------------


def can_register_walk_in(user) -> bool:
    return bool(user.unit_id and (user.is_superuser or user.has_role(roles.ONESTOP_OFFICER)))


def walk_in_view(request, model_admin):
    """Register a dossier brought to the desk, then check it on its page."""
    if not can_register_walk_in(request.user):
        messages.error(request, _("Only one-stop officers take this step."))
        return redirect("admin:onestop_dossier_changelist")
    choice = admin_forms.ServiceChoiceForm(request.GET or None, user=request.user)
    service = choice.cleaned_data["service"] if choice.is_bound and choice.is_valid() else None
    form = None
    if service is not None:
        form = admin_forms.WalkInForm(
            request.POST or None, request.FILES or None, service=service, unit=request.user.unit
        )
        if request.method == "POST" and form.is_valid():
            dossier = _register(request, form)
            if dossier is not None:
                return redirect(change_url(dossier))
    context = {
        **_admin_context(model_admin, request, None, _("Register a walk-in dossier")),
        "choice": choice,
        "service": service,
        "form": form,
    }
    return TemplateResponse(request, "admin/onestop/dossier/walk_in.html", context)


def _register(request, form) -> Dossier | None:
    try:
        dossier = services.register_walk_in(
            form.service,
            request.user,
            form.applicant_data(),
            documents=list(form.cleaned_data["documents"]),
            competent_unit=form.chosen_competent_unit(),
            scans=form.scans(),
            scan_exemption=form.cleaned_data.get("scan_exemption"),
        )
    except wf.WorkflowError as exc:
        messages.error(request, exc.message)
        return None
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(
        request,
        _("Dossier %(code)s registered. Check it now: accept it, ask for supplements or refuse it.")
        % {"code": dossier.code},
    )
    missing = form.missing_mandatory
    if missing:
        messages.warning(
            request,
            _("Mandatory documents not received: %(names)s.") % {"names": "; ".join(d.name for d in missing)},
        )
    return dossier
