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
    DossierStatus,
    SupplementRequest,
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
        {"name": doc.name, "reason": _("Not provided")}
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


PDF_KINDS = {
    "receipt": gettext_lazy("Print the receipt (form 01)"),
    "rejection": gettext_lazy("Refusal to receive (form 03)"),
    "refusal": gettext_lazy("Letter of refusal, with reasons"),
    "apology": gettext_lazy("Apology and new appointment date (form 04)"),
    "control-sheet": gettext_lazy("Process control sheet (form 05)"),
    "result": gettext_lazy("Result"),
}


def pdf_applies(dossier: Dossier, kind: str) -> bool:
    return {
        "receipt": dossier.received_at is not None,
        "rejection": dossier.status == DossierStatus.REJECTED,
        "refusal": dossier.status == DossierStatus.REFUSED,
        "apology": dossier.rescheduled,
        "control-sheet": dossier.received_at is not None,
        "result": dossier.status in (DossierStatus.RESULT_READY, DossierStatus.RETURNED),
    }.get(kind, False)


def printables(dossier: Dossier) -> list[Printable]:
    return [
        Printable(str(label), reverse("admin:onestop_dossier_pdf", args=[dossier.pk, kind]), kind)
        for kind, label in PDF_KINDS.items()
        if pdf_applies(dossier, kind)
    ]


def detail_view(request, model_admin, object_id):
    """The read-only dossier page: summary, steps, history, supplements, files, forms, buttons."""
    dossier = model_admin.get_case(request, object_id)
    steps = list(dossier.steps.select_related("unit", "assignee").order_by("order"))
    today = workdays.today()
    events = list(dossier.events.select_related("unit").order_by("at", "id"))
    active = next((s for s in steps if s.status == s.Status.ACTIVE), None)
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
        "supplements": list(dossier.supplement_requests.select_related("unit", "requested_by")),
        "files": list(dossier.files.order_by("uploaded_at", "id")),
        "payments": list(dossier.payments.order_by("created_at")),
        "printables": printables(dossier),
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


def _letter(name: str):
    """A letter function of ``onestop.letters``; 404 while it is not written yet."""
    function = getattr(letters, name, None)
    if function is None:
        raise Http404(_("This form is not available yet."))
    return function


def pdf_view(request, model_admin, object_id, kind):
    dossier = model_admin.get_case(request, object_id)
    if kind not in PDF_KINDS or not pdf_applies(dossier, kind):
        raise Http404
    try:
        return _pdf_for(request, dossier, kind)
    except wf.WorkflowError as exc:  # the letter does not apply to the dossier as it stands
        raise Http404(exc.message)


def _pdf_for(request, dossier: Dossier, kind: str):
    if kind == "result":
        stored = services.result_file(dossier)
        return file_response(stored.file, stored.original_name, stored.content_type, inline=True)
    content = {
        "receipt": lambda: _letter("receipt_pdf")(dossier, _lookup_url(request, dossier)),
        "rejection": lambda: _letter("rejection_pdf")(dossier),
        "refusal": lambda: _letter("refusal_pdf")(dossier),
        "apology": lambda: _letter("apology_pdf")(dossier),
        "control-sheet": lambda: _letter("control_sheet_pdf")(dossier),
    }[kind]()
    return pdf.response(content, f"{kind}-{dossier.code}.pdf")


def supplement_pdf_view(request, model_admin, object_id, request_id):
    dossier = model_admin.get_case(request, object_id)
    supplement = SupplementRequest.objects.filter(dossier=dossier, pk=request_id).first()
    if supplement is None:
        raise Http404
    try:
        content = _letter("supplement_pdf")(supplement)
    except wf.WorkflowError as exc:
        raise Http404(exc.message)
    return pdf.response(content, f"bo-sung-{dossier.code}-{supplement.pk}.pdf")


def file_view(request, model_admin, object_id, file_id):
    dossier = model_admin.get_case(request, object_id)
    record = DossierFile.objects.filter(dossier=dossier, pk=file_id).first()
    if record is None:
        raise Http404
    return file_response(record.file, record.original_name, record.content_type)


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
        form = admin_forms.WalkInForm(request.POST or None, service=service)
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
    data = {k: v for k, v in form.cleaned_data.items() if k != "documents"}
    try:
        dossier = services.register_walk_in(
            form.service, request.user, data, documents=list(form.cleaned_data["documents"])
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
