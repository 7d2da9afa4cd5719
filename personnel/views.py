"""Back-office pages of the staff records, served under /admin/ by ``PersonnelFileAdmin.get_urls()``.

Every page finds its file through the admin's queryset, which is
``PersonnelFile.objects.visible_to(user)``: a file outside the user's scope
is a 404 whatever id is typed. Edits go through ``personnel.services``,
which check the keeper's scope again; the sensitive section is opened only
through ``services.open_sensitive``, which writes the audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel import exports, forms, history_form, importer, selectors, services
from personnel.models import (
    CorrectionStatus,
    Decision,
    Education,
    PersonnelFile,
    PoliticalTheory,
    SensitiveRecord,
    Sex,
)
from portal import pdf, roles, workdays
from portal.forms import apply_service_errors
from portal.models import Unit
from portal.uploads import file_response


@dataclass(frozen=True)
class Section:
    """One edit of a file: its form, the service it calls, what the page and the message say."""

    title: object
    form: type
    run: Callable
    done: object
    initial: Callable | None = None
    sensitive: bool = False


def _identity_initial(file: PersonnelFile) -> dict:
    return {name: getattr(file, name) for name in forms.FileForm.base_fields}


def _sensitive_initial(file: PersonnelFile) -> dict:
    record = getattr(file, "sensitive", None) or SensitiveRecord(file=file)
    data = {name: getattr(record, name) for name in services.SENSITIVE_FIELDS}
    lines = []
    for member in file.family.all():
        prefix = "*" if member.side == "spouse" else ""
        lines.append(
            f"{prefix}{member.relation} | {member.full_name} | {member.birth_year or ''} | {member.details}"
        )
    data["family"] = "\n".join(lines)
    return data


def _update_sensitive(file, user, data):
    family = data.pop("family", None)
    return services.update_sensitive(file, user, data, family=family)


SECTIONS: dict[str, Section] = {
    "identity": Section(
        gettext_lazy("Edit identity and contact"),
        forms.FileForm,
        services.update_file,
        gettext_lazy("The file is saved."),
        _identity_initial,
    ),
    "position": Section(
        gettext_lazy("Record an appointment or transfer"),
        forms.PositionForm,
        services.record_position,
        gettext_lazy("The new post is recorded."),
    ),
    "salary": Section(
        gettext_lazy("Record a step raise or change of rank"),
        forms.SalaryForm,
        services.record_salary,
        gettext_lazy("The salary change is recorded."),
    ),
    "qualification": Section(
        gettext_lazy("Add a qualification"),
        forms.QualificationForm,
        services.add_qualification,
        gettext_lazy("The qualification is added."),
    ),
    "training": Section(
        gettext_lazy("Add a training course"),
        forms.TrainingForm,
        services.add_training,
        gettext_lazy("The course is added."),
    ),
    "reward": Section(
        gettext_lazy("Add a reward"),
        forms.RewardForm,
        services.add_reward,
        gettext_lazy("The reward is added."),
    ),
    "discipline": Section(
        gettext_lazy("Add a discipline"),
        forms.DisciplineRecordForm,
        services.add_discipline,
        gettext_lazy("The discipline is recorded."),
    ),
    "decision": Section(
        gettext_lazy("Attach a decision"),
        forms.DecisionUploadForm,
        lambda file, user, data: services.attach_decision(file, user, data["document"], data),
        gettext_lazy("The decision is attached."),
    ),
    "sensitive": Section(
        gettext_lazy("Edit the sensitive section"),
        forms.SensitiveForm,
        _update_sensitive,
        gettext_lazy("The sensitive section is saved."),
        _sensitive_initial,
        sensitive=True,
    ),
}


def change_url(file) -> str:
    return reverse("admin:personnel_personnelfile_change", args=[file.pk])


def _context(model_admin, request, file, title) -> dict:
    opts = model_admin.model._meta
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "original": file,
        "case": file,
        "title": title,
        "subtitle": None,
        "has_view_permission": True,
        "changelist_url": reverse("admin:personnel_personnelfile_changelist"),
        "change_url": change_url(file) if file is not None else "",
    }


# --- the file page ------------------------------------------------------------------------------


def detail_view(request, model_admin, object_id):
    file = model_admin.get_case(request, object_id)
    user = request.user
    can_edit = selectors.can_edit(user, file)
    today = workdays.today()
    context = {
        **_context(model_admin, request, file, file.full_name),
        "file": file,
        "age": file.age_on(today),
        "positions": list(file.positions.select_related("unit").order_by("-start_date", "-id")),
        "salaries": list(file.salaries.select_related("rank").order_by("-start_date", "-id")),
        "qualifications": list(file.qualifications.all()),
        "trainings": list(file.trainings.all()),
        "rewards": list(file.rewards.all()),
        "disciplines": list(file.disciplines.all()),
        "decisions": list(file.decisions.all()),
        "corrections": list(file.corrections.order_by("-requested_at")[:20]),
        "can_edit": can_edit,
        "can_read_sensitive": selectors.can_read_sensitive(user, file),
        "is_own": selectors.is_own(user, file),
        "sections": [(key, s.title) for key, s in SECTIONS.items() if key != "sensitive"] if can_edit else [],
        "retired_soon": bool(file.retirement_date and (file.retirement_date - today).days <= 183),
    }
    return TemplateResponse(request, "admin/personnel/personnelfile/detail.html", context)


def sensitive_view(request, model_admin, object_id):
    file = model_admin.get_case(request, object_id)
    try:
        record = services.open_sensitive(file, request.user, purpose="view")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(change_url(file))
    context = {
        **_context(model_admin, request, file, _("Sensitive section: %(name)s") % {"name": file.full_name}),
        "file": file,
        "record": record,
        "fields": [
            (SensitiveRecord._meta.get_field(n).verbose_name, getattr(record, n))
            for n in services.SENSITIVE_FIELDS
        ],
        "family": list(file.family.all()),
        "can_edit": selectors.can_edit(request.user, file),
    }
    response = TemplateResponse(request, "admin/personnel/personnelfile/sensitive.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def edit_view(request, model_admin, object_id, section):
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    file = model_admin.get_case(request, object_id)
    if not selectors.can_edit(request.user, file):
        messages.error(request, _("Only the personnel officer in charge of this file may change it."))
        return redirect(change_url(file))
    if spec.sensitive and request.method == "GET":
        services.open_sensitive(file, request.user, purpose="edit")
    kwargs = {"file": file, "user": request.user} if spec.form is not forms.FileForm else {}
    if request.method == "POST":
        form = spec.form(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            try:
                spec.run(file, request.user, dict(form.cleaned_data))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect(change_url(file))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, spec.done)
                return redirect(change_url(file))
    else:
        form = spec.form(initial=spec.initial(file) if spec.initial else None, **kwargs)
    context = {
        **_context(model_admin, request, file, spec.title),
        "form": form,
        "submit_label": spec.title,
        "is_multipart": form.is_multipart(),
        "section": section,
    }
    response = TemplateResponse(request, "admin/personnel/personnelfile/form.html", context)
    if spec.sensitive:
        response["Cache-Control"] = "private, no-store"
    return response


def add_view(request, model_admin):
    """A new file (the personnel officer, for a unit in their scope)."""
    from portal.models import User

    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = forms.NewFileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = None
        if data.get("username"):
            account = User.objects.filter(username=data["username"], is_staff=True).first()
            if account is None or not selectors.in_manage_scope(request.user, account.unit):
                form.add_error("username", _("No staff log-in with this name in your units."))
        if not form.errors:
            salary = None
            if data.get("rank"):
                salary = {"rank": data["rank"], "step": data["step"], "start_date": data["step_from"]}
            position = {"unit": data["unit"], "position": data["position"], "start_date": data["start_date"]}
            try:
                file = services.create_file(request.user, data, position, salary, user=account)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The file of %(name)s is created.") % {"name": file.full_name})
                return redirect(change_url(file))
    context = {
        **_context(model_admin, request, None, _("New personnel file")),
        "form": form,
        "submit_label": _("Create the file"),
        "is_multipart": False,
    }
    return TemplateResponse(request, "admin/personnel/personnelfile/form.html", context)


def correction_view(request, model_admin, object_id):
    """The official asks for a correction of their own file."""
    file = model_admin.get_case(request, object_id)
    if not selectors.is_own(request.user, file):
        messages.error(request, _("Officials ask for corrections of their own file only."))
        return redirect(change_url(file))
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.request_correction(
                file, request.user, data["target"], data["proposed_value"], data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your request is sent to the personnel officer."))
            return redirect(reverse("admin:personnel_correctionrequest_change", args=[item.pk]))
    context = {
        **_context(model_admin, request, file, _("Request a correction")),
        "form": form,
        "submit_label": _("Send the request"),
        "is_multipart": False,
    }
    return TemplateResponse(request, "admin/personnel/personnelfile/form.html", context)


def mine_view(request, model_admin):
    file = PersonnelFile.objects.filter(user_id=request.user.pk).first()
    if file is None:
        messages.info(request, _("You have no personnel file yet; ask the personnel officer of your unit."))
        return redirect("admin:index")
    return redirect(change_url(file))


def pdf_view(request, model_admin, object_id):
    """The personal history form (sơ yếu lý lịch): it carries the sensitive section, so it is opened as one."""
    file = model_admin.get_case(request, object_id)
    try:
        record = services.open_sensitive(file, request.user, purpose="history_form")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(change_url(file))
    content = history_form.render(file, record, workdays.today())
    response = pdf.response(content, f"so-yeu-ly-lich-{file.staff_number}.pdf")
    return response


def decision_view(request, model_admin, object_id, decision_id):
    file = model_admin.get_case(request, object_id)
    record = Decision.objects.filter(file=file, pk=decision_id).first()
    if record is None:
        raise Http404
    return file_response(record.document, record.original_name, record.content_type, inline=True)


# --- lists, statistics, the first load ------------------------------------------------------------


def _chosen_unit(request):
    value = request.GET.get("unit", "")
    if not value.isdigit() or len(value) > 12:
        return None
    return _unit_choices(request.user).filter(pk=int(value)).first()


def export_view(request, model_admin):
    """The list of a unit (and the units below it) as XLSX: no sensitive column."""
    unit = _chosen_unit(request)
    files = model_admin.get_queryset(request)
    if unit is not None:
        from portal.scoping import subtree_q

        files = files.filter(subtree_q(unit, "unit"))
    content = exports.files_xlsx(files, unit, workdays.today())
    name = f"danh-sach-can-bo-{unit.code if unit else 'tat-ca'}.xlsx".replace("/", "-")
    return exports.response(content, name)


def statistics_view(request, model_admin):
    unit = _chosen_unit(request)
    today = workdays.today()
    stats = selectors.statistics(request.user, today, unit)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Staff statistics"),
        "stats": stats,
        "unit": unit,
        "units": _unit_choices(request.user),
        "today": today,
        "education_labels": dict(Education.choices),
        "theory_labels": dict(PoliticalTheory.choices),
        "sex_labels": dict(Sex.choices),
    }
    return TemplateResponse(request, "admin/personnel/personnelfile/statistics.html", context)


def _unit_choices(user):
    """Units offered in the list filter and the statistics: those whose files the user sees."""
    units = Unit.objects.filter(active=True)
    if selectors.sees_everything(user):
        return units.order_by("path")
    ids = set(selectors.managed_unit_ids(user))
    if user.unit_id:
        ids.add(user.unit_id)
    if user.has_role(roles.LEADER):
        leader_ids = selectors.visible_unit_ids(user)
        if leader_ids is None:
            return units.order_by("path")
        ids.update(leader_ids)
    return units.filter(pk__in=sorted(ids)).order_by("path")


def import_view(request, model_admin):
    if not selectors.can_import(request.user):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importer.run(
                form.cleaned_data["spreadsheet"], request.user, dry_run=not form.cleaned_data["commit"]
            )
        except ValidationError as exc:
            form.add_error("spreadsheet", exc.messages)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import staff records from a spreadsheet"),
        "form": form,
        "report": report,
        "columns": importer.COLUMNS,
    }
    return TemplateResponse(request, "admin/personnel/personnelfile/import.html", context)


OPEN_CORRECTIONS = CorrectionStatus.SUBMITTED
