"""Staff-only views of the back office, served under /admin/ by ``DossierAdmin.get_urls()``.

Every view finds its dossier through the admin's queryset, which is
``Dossier.objects.visible_to(user)``: a dossier outside the user's scope is
a 404, whatever id is typed. Workflow actions are refused by the workflow
(through the services) whoever posts; the buttons only mirror it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop import admin_forms, letters, services
from onestop import workflow as wf
from onestop.models import (
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStatus,
    DossierStep,
    SupplementRequest,
)
from portal import roles, workdays

# --- workflow actions -----------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    form: type
    run: Callable[[Dossier, Any, dict], Any]
    done: Any  # success message, with %(code)s
    inline: bool = False  # only an optional note: a button on the dossier page
    error_field: str | None = None  # where a service's plain ValidationError goes


def _note(call):
    return lambda dossier, user, data: call(dossier, user, data.get("note", ""))


ACTIONS: dict[str, ActionSpec] = {
    wf.ACCEPT: ActionSpec(
        admin_forms.NoteForm,
        _note(services.accept_dossier),
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
        _note(services.reject_dossier),
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
        admin_forms.NoteForm,
        _note(services.hand_over),
        gettext_lazy("Dossier %(code)s handed over to the next unit."),
        inline=True,
    ),
    wf.SUBMIT_FOR_APPROVAL: ActionSpec(
        admin_forms.NoteForm,
        _note(services.submit_for_approval),
        gettext_lazy("Dossier %(code)s submitted for approval."),
        inline=True,
    ),
    wf.APPROVE: ActionSpec(
        admin_forms.NoteForm,
        _note(services.approve_dossier),
        gettext_lazy("Dossier %(code)s approved: the result is ready."),
        inline=True,
    ),
    wf.SEND_BACK: ActionSpec(
        admin_forms.RequiredNoteForm,
        _note(services.send_back),
        gettext_lazy("Dossier %(code)s sent back for processing."),
        error_field="note",
    ),
    wf.REFUSE: ActionSpec(
        admin_forms.ReasonsForm,
        _note(services.refuse_dossier),
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
        admin_forms.NoteForm,
        _note(services.return_result),
        gettext_lazy("Result of dossier %(code)s returned (%(timeliness)s)."),
        inline=True,
    ),
}
ACTIONS[wf.RESUME_PROCESSING] = ACTIONS[wf.PROVIDE_SUPPLEMENT]

# Labels of history events that are not workflow actions.
EVENT_LABELS = {
    "create_draft": gettext_lazy("Draft created"),
    "register_walk_in": gettext_lazy("Registered at the desk"),
}


def action_label(action: str) -> str:
    return str(wf.ACTION_LABELS.get(action) or EVENT_LABELS.get(action) or action)


def action_url(dossier_id: int, action: str) -> str:
    return reverse("admin:onestop_dossier_action", args=[dossier_id, action])


def staff_actions(dossier: Dossier, user) -> list[str]:
    """The back-office actions ``user`` may take now (the workflow decides)."""
    return [a for a in wf.allowed_actions(dossier, user) if a in ACTIONS]


# --- helpers --------------------------------------------------------------------------


def get_dossier(model_admin, request, object_id) -> Dossier:
    """The dossier if ``request.user`` may see it (through ``visible_to``), else 404."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    dossier = model_admin.get_object(request, unquote(str(object_id)))
    if dossier is None:
        raise Http404(_("No dossier with this number is visible to you."))
    return dossier


def change_url(dossier: Dossier) -> str:
    return reverse("admin:onestop_dossier_change", args=[dossier.pk])


def _admin_context(model_admin, request, dossier: Dossier | None, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "app_label": model_admin.model._meta.app_label,
        "original": dossier,
        "title": title,
        "subtitle": None,
        "has_view_permission": True,
    }


def add_service_errors(form, exc: ValidationError, default_field: str | None) -> None:
    """Put a service's ValidationError next to the fields it names (or the given field)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else default_field, errors)
    else:
        form.add_error(default_field if default_field in form.fields else None, exc.messages)


def _done_message(spec: ActionSpec, dossier_id: int) -> str:
    dossier = Dossier.objects.get(pk=dossier_id)
    due = formats.date_format(dossier.due_date, "d/m/Y") if dossier.due_date else "—"
    return spec.done % {
        "code": dossier.code,
        "due": due,
        "timeliness": dossier.get_timeliness_display(),
    }


def _initial_items(dossier: Dossier) -> list[dict]:
    """Walk-in dossiers: pre-fill form 02 with the mandatory documents not received."""
    event = dossier.events.filter(action="register_walk_in").first()
    if event is None or "documents" not in event.data:
        return []
    received = {d["id"] for d in event.data["documents"]}
    return [
        {"name": doc.name, "reason": _("Not provided")}
        for doc in dossier.service.documents.filter(mandatory=True)
        if doc.pk not in received
    ]


def _make_form(spec: ActionSpec, dossier: Dossier, request, bound: bool):
    kwargs = {"dossier": dossier}
    if spec.form is admin_forms.SupplementRequestForm and not bound:
        kwargs["initial_items"] = _initial_items(dossier)
    if bound:
        return spec.form(request.POST, request.FILES, **kwargs)
    return spec.form(**kwargs)


def action_view(request, model_admin, object_id, action):
    """GET: the small form of an action; POST: call the service, report the result."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    dossier = get_dossier(model_admin, request, object_id)
    try:
        wf.check(dossier, action, request.user)
    except wf.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(change_url(dossier))
    form = _make_form(spec, dossier, request, bound=request.method == "POST")
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(dossier, request.user, form.cleaned_data)
        except wf.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(change_url(dossier))
        except ValidationError as exc:
            add_service_errors(form, exc, spec.error_field)
        else:
            messages.success(request, _done_message(spec, dossier.pk))
            return redirect(change_url(dossier))
    if request.method == "POST" and spec.inline and form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(change_url(dossier))
    context = {
        **_admin_context(model_admin, request, dossier, action_label(action)),
        "dossier": dossier,
        "action": action,
        "action_label": action_label(action),
        "form": form,
        "items_formset": getattr(form, "items_formset", None),
        "is_multipart": form.is_multipart(),
    }
    return TemplateResponse(request, "admin/onestop/dossier/action.html", context)


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
        from onestop.models import Timeliness

        lines.append(str(Timeliness(data["timeliness"]).label))
    return lines


def _iso_to_vn(value: str) -> str:
    parts = value.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else value


def _status_label(value: str) -> str:
    try:
        return str(DossierStatus(value).label)
    except ValueError:
        return value


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
    dossier = get_dossier(model_admin, request, object_id)
    actions = staff_actions(dossier, request.user)
    steps = list(dossier.steps.select_related("unit", "assignee").order_by("order"))
    today = workdays.today()
    events = list(dossier.events.select_related("unit").order_by("at", "id"))
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
        "inline_actions": [
            {"key": a, "label": action_label(a), "url": action_url(dossier.pk, a)}
            for a in actions
            if ACTIONS[a].inline
        ],
        "form_actions": [
            {"key": a, "label": action_label(a), "url": action_url(dossier.pk, a)}
            for a in actions
            if not ACTIONS[a].inline
        ],
        "note_form": admin_forms.NoteForm(),
        "overdue": _overdue(dossier, steps, today),
    }
    return TemplateResponse(request, "admin/onestop/dossier/detail.html", context)


def _overdue(dossier: Dossier, steps: list[DossierStep], today) -> bool:
    active = next((s for s in steps if s.status == DossierStep.Status.ACTIVE), None)
    if dossier.status in (DossierStatus.PROCESSING, DossierStatus.AWAITING_APPROVAL):
        return bool(active and active.due_date and active.due_date < today)
    return dossier.status == DossierStatus.RESULT_READY and bool(
        dossier.due_date and dossier.due_date < today
    )


# --- files and printable forms ----------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _lookup_url(request, dossier: Dossier) -> str:
    """The citizens' look-up form prefilled with the code (the receipt's QR code)."""
    try:
        path = reverse("onestop:lookup")
    except NoReverseMatch:
        path = "/"
    return request.build_absolute_uri(path) + "?" + urlencode({"ma": dossier.code or ""})


def _letter(name: str):
    """A letter function of ``onestop.letters``; 404 while it is not written yet."""
    function = getattr(letters, name, None)
    if function is None:
        raise Http404(_("This form is not available yet."))
    return function


def pdf_view(request, model_admin, object_id, kind):
    dossier = get_dossier(model_admin, request, object_id)
    if kind not in PDF_KINDS or not pdf_applies(dossier, kind):
        raise Http404
    try:
        return _pdf_for(request, dossier, kind)
    except wf.WorkflowError as exc:  # the letter does not apply to the dossier as it stands
        raise Http404(exc.message)


def _pdf_for(request, dossier: Dossier, kind: str):
    if kind == "result":
        stored = dossier.files.filter(kind=DossierFile.Kind.RESULT).order_by("-uploaded_at").first()
        if stored is not None:
            return _file_response(stored, inline=True)
        return _pdf_response(_letter("result_pdf")(dossier), f"ket-qua-{dossier.code}.pdf")
    content = {
        "receipt": lambda: _letter("receipt_pdf")(dossier, _lookup_url(request, dossier)),
        "rejection": lambda: _letter("rejection_pdf")(dossier),
        "refusal": lambda: _letter("refusal_pdf")(dossier),
        "apology": lambda: _letter("apology_pdf")(dossier),
        "control-sheet": lambda: _letter("control_sheet_pdf")(dossier),
    }[kind]()
    return _pdf_response(content, f"{kind}-{dossier.code}.pdf")


def supplement_pdf_view(request, model_admin, object_id, request_id):
    dossier = get_dossier(model_admin, request, object_id)
    supplement = SupplementRequest.objects.filter(dossier=dossier, pk=request_id).first()
    if supplement is None:
        raise Http404
    try:
        content = _letter("supplement_pdf")(supplement)
    except wf.WorkflowError as exc:
        raise Http404(exc.message)
    return _pdf_response(content, f"bo-sung-{dossier.code}-{supplement.pk}.pdf")


def _file_response(record: DossierFile, inline: bool = False) -> FileResponse:
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage."))
    response = FileResponse(
        handle, as_attachment=not inline, filename=record.original_name, content_type=record.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def file_view(request, model_admin, object_id, file_id):
    dossier = get_dossier(model_admin, request, object_id)
    record = DossierFile.objects.filter(dossier=dossier, pk=file_id).first()
    if record is None:
        raise Http404
    return _file_response(record)


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
        add_service_errors(form, exc, None)
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
