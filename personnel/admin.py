"""The back office of the staff records.

- Personnel files: the list and every page go through
  ``PersonnelFile.objects.visible_to(user)`` (an official sees their own
  file, a personnel officer their units', the Home Affairs office the
  city's, leaders their units' without the sensitive section). A file page
  shows the history and the buttons the user may press (``personnel.views``).
- Correction requests: the kernel's case buttons (accept, refuse with a
  reason, withdraw) on the workflow of ``personnel.workflow``.
- The law as data (rules, roadmap, scales, ranks): edited by administrators,
  audited; the files' dates follow.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from personnel import selectors, services, views
from personnel import workflow as wf
from personnel.models import (
    CorrectionRequest,
    LegalRule,
    PersonnelFile,
    Rank,
    Reminder,
    RetirementAge,
    SalaryScale,
)
from portal import roles
from portal.admin import AuditedAdminMixin, BoundedCountPaginator, ReadOnlyAdminMixin
from portal.admin_actions import ActionSpec, CaseAdminMixin, admin_view, with_note
from portal.forms import NoteForm, RequiredNoteForm


class UnitFilter(admin.SimpleListFilter):
    """The files of one unit, among the units whose files the user sees."""

    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return [(str(u.pk), u.name) for u in views._unit_choices(request.user)[:500]]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isdigit() and len(value) <= 12 and any(k == value for k, _l in self.lookup_choices):
            return queryset.filter(unit_id=int(value))
        return queryset


@admin.register(PersonnelFile)
class PersonnelFileAdmin(admin.ModelAdmin):
    list_display = (
        "staff_number",
        "full_name",
        "sex",
        "birth_date",
        "unit",
        "position",
        "rank_step",
        "next_step_due",
        "retirement_date",
    )
    list_display_links = ("staff_number", "full_name")
    list_filter = (UnitFilter, "status", "category", "sex")
    search_fields = ("staff_number",)  # the box; the search itself is selectors.search_files
    search_help_text = _(
        "Name (with or without accents), staff number, citizen ID number or official e-mail."
    )
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    sortable_by = ()  # sorted by given name (Vietnamese lists); the template renders the rows
    actions = None
    change_list_template = "admin/personnel/personnelfile/change_list.html"

    def get_queryset(self, request):
        return selectors.files_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        return selectors.search_files(queryset, search_term), False

    def get_ordering(self, request):
        return ["sort_name", "id"]

    @admin.display(description=_("rank, step"))
    def rank_step(self, obj):
        if not obj.rank_id:
            return "—"
        return f"{obj.rank.code} / {obj.salary_step} ({obj.coefficient})"

    # --- permissions: the list is scoped, edits are the services' ------------------------------

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        user = request.user
        keeper = user.has_role(roles.PERSONNEL_OFFICER, roles.HOME_AFFAIRS)
        return bool(user.has_perm("personnel.add_personnelfile") and (user.is_superuser or keeper))

    def has_change_permission(self, request, obj=None):
        return False  # edits are the file page's buttons

    def has_delete_permission(self, request, obj=None):
        return False

    # --- pages ----------------------------------------------------------------------------------

    def get_case(self, request, object_id):
        from django.http import Http404

        value = str(object_id)
        if not value.isdigit() or len(value) > 12:
            raise Http404
        file = self.get_queryset(request).filter(pk=int(value)).first()
        if file is None:
            raise Http404(_("Nothing with this number is visible to you."))
        return file

    def get_urls(self):
        view = partial(admin_view, self)

        info = "personnel_personnelfile"
        return [
            path("mine/", view(views.mine_view), name=f"{info}_mine"),
            path("export.xlsx", view(views.export_view), name=f"{info}_export"),
            path("statistics/", view(views.statistics_view), name=f"{info}_statistics"),
            path("import/", view(views.import_view), name=f"{info}_import"),
            path("<int:object_id>/sensitive/", view(views.sensitive_view), name=f"{info}_sensitive"),
            path("<int:object_id>/edit/<slug:section>/", view(views.edit_view), name=f"{info}_edit"),
            path("<int:object_id>/correction/", view(views.correction_view), name=f"{info}_correction"),
            path("<int:object_id>/so-yeu-ly-lich.pdf", view(views.pdf_view), name=f"{info}_pdf"),
            path(
                "<int:object_id>/decision/<int:decision_id>/",
                view(views.decision_view),
                name=f"{info}_decision",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_view(request, self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.detail_view(request, self, object_id)

    def changelist_view(self, request, extra_context=None):
        user = request.user
        extra = {
            "mine_url": reverse("admin:personnel_personnelfile_mine"),
            "statistics_url": reverse("admin:personnel_personnelfile_statistics"),
            "export_url": reverse("admin:personnel_personnelfile_export"),
            "import_url": reverse("admin:personnel_personnelfile_import")
            if selectors.can_import(user)
            else "",
            "chosen_unit": request.GET.get("unit", "")
            if (request.GET.get("unit", "") or "").isdigit()
            else "",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)


# --- correction requests ---------------------------------------------------------------------------


CORRECTION_ACTIONS = {
    wf.CorrectionAction.ACCEPT: ActionSpec(
        NoteForm,
        with_note(services.accept_correction),
        _("The correction is accepted."),
        error_field="note",
    ),
    wf.CorrectionAction.REFUSE: ActionSpec(
        RequiredNoteForm,
        with_note(services.refuse_correction),
        _("The correction is refused; the official sees the reason."),
        error_field="note",
    ),
    wf.CorrectionAction.WITHDRAW: ActionSpec(
        NoteForm, with_note(services.withdraw_correction), _("The request is withdrawn."), inline=True
    ),
}


class CorrectionStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return wf.CorrectionStatus.choices

    def queryset(self, request, queryset):
        if self.value() in wf.CorrectionStatus.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    workflow = wf.WORKFLOW
    action_specs = CORRECTION_ACTIONS
    list_display = ("id", "file", "target_label", "status", "requested_at", "decided_at")
    list_display_links = ("id", "file")
    list_filter = (CorrectionStatusFilter,)
    list_select_related = ("file",)
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    actions = None

    def get_queryset(self, request):
        return CorrectionRequest.objects.filter(
            selectors.file_scope_q(request.user, "file__")
        ).select_related("file", "file__unit")

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("what is wrong"))
    def target_label(self, obj):
        return services.CORRECTABLE.get(obj.target, obj.target)

    def done_context(self, case) -> dict:
        return {"case": str(case)}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request_obj = self.get_case(request, object_id)
        events = list(request_obj.events.order_by("at", "id"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "app_label": "personnel",
            "original": request_obj,
            "case": request_obj,
            "title": str(request_obj),
            "subtitle": None,
            "has_view_permission": True,
            "changelist_url": reverse("admin:personnel_correctionrequest_changelist"),
            "change_url": self.change_url(request_obj),
            "file_url": views.change_url(request_obj.file),
            "target_label": services.CORRECTABLE.get(request_obj.target, request_obj.target),
            "events": [(e, wf.WORKFLOW.label(e.action)) for e in events],
            **self.action_buttons(request_obj, request.user),
        }
        return TemplateResponse(request, "admin/personnel/correctionrequest/detail.html", context)


# --- the law as data --------------------------------------------------------------------------------


@admin.register(LegalRule)
class LegalRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "effective_from", "value", "unit_label", "basis")
    list_filter = ("name",)
    search_fields = ("name", "basis")


@admin.register(RetirementAge)
class RetirementAgeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("sex", "effective_from", "years", "months", "basis")
    list_filter = ("sex",)


@admin.register(SalaryScale)
class SalaryScaleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "interval_group", "steps", "basis")


@admin.register(Rank)
class RankAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "scale", "active", "basis")
    list_filter = ("scale", "active")
    search_fields = ("code", "name")
    list_select_related = ("scale",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("key", "kind", "recipient_user", "due_date", "created_at", "sent_at", "attempts")
    list_filter = ("kind",)
    list_select_related = ("recipient_user",)
    paginator = BoundedCountPaginator
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return selectors.sees_everything(request.user)

    def has_module_permission(self, request):
        return selectors.sees_everything(request.user)
