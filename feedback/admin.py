"""The back office of the feedback app: the 1022 desk's intake and triage, the handling units' work.

Reports are read-only here: the list and every page go through
``Report.objects.visible_to(user)``; the workflow's actions are buttons that
call ``feedback.services`` (``portal.admin_actions``). Categories, the time
limits, the desk and the Open311 API clients are administrators' data.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import ShowFacets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import admin_forms, selectors, services
from feedback import workflow as wf
from feedback.letters import forward_pdf
from feedback.models import (
    ApiClient,
    Category,
    CategoryAttribute,
    Channel,
    Desk,
    Photo,
    Report,
    ReportStatus,
    Rules,
)
from portal import pdf, workdays
from portal.admin import AuditedAdminMixin, BoundedCountPaginator, ReadOnlyAdminMixin
from portal.admin_actions import ActionSpec, CaseAdminMixin
from portal.forms import apply_service_errors
from portal.uploads import file_response

A = wf.ReportAction

ACTIONS: dict[str, ActionSpec] = {
    A.ASSIGN: ActionSpec(
        admin_forms.AssignForm,
        lambda r, u, d: services.assign_report(r, u, d["unit"], d.get("handler"), d.get("note", "")),
        gettext_lazy("Report %(code)s assigned to %(unit)s, due %(due)s."),
        error_field="unit",
    ),
    A.REJECT: ActionSpec(
        admin_forms.ReasonForm,
        lambda r, u, d: services.reject_report(r, u, d["note"]),
        gettext_lazy("Report %(code)s not accepted."),
        error_field="note",
    ),
    A.MARK_DUPLICATE: ActionSpec(
        admin_forms.DuplicateForm,
        lambda r, u, d: services.mark_duplicate(r, u, d["original"], d.get("note", "")),
        gettext_lazy("Report %(code)s linked to the original report."),
        error_field="original",
    ),
    A.FORWARD: ActionSpec(
        admin_forms.ForwardForm,
        lambda r, u, d: services.forward_report(r, u, d["agency"], d["note"]),
        gettext_lazy("Report %(code)s forwarded; print the letter from its page."),
        error_field="note",
    ),
    A.PASS_DOWN: ActionSpec(
        admin_forms.PassDownForm,
        lambda r, u, d: services.pass_down(r, u, d["unit"], d["due_date"], None, d.get("note", "")),
        gettext_lazy("Report %(code)s passed down to %(unit)s."),
        error_field="unit",
    ),
    A.ADD_NOTE: ActionSpec(
        admin_forms.NoteForm,
        lambda r, u, d: services.add_note(r, u, d.get("note", ""), d.get("photos") or []),
        gettext_lazy("Note added to report %(code)s."),
        error_field="note",
    ),
    A.RETURN_TO_DESK: ActionSpec(
        admin_forms.ReasonForm,
        lambda r, u, d: services.return_to_desk(r, u, d["note"]),
        gettext_lazy("Report %(code)s returned to the 1022 desk."),
        error_field="note",
    ),
    A.SUBMIT_ANSWER: ActionSpec(
        admin_forms.AnswerForm,
        lambda r, u, d: services.submit_answer(r, u, d["answer"]),
        gettext_lazy("The draft answer to report %(code)s awaits the leader's approval."),
        error_field="answer",
    ),
    A.APPROVE: ActionSpec(
        admin_forms.AnswerForm,
        lambda r, u, d: services.approve_answer(r, u, d["answer"]),
        gettext_lazy("The answer to report %(code)s is published."),
        error_field="answer",
    ),
    A.SEND_BACK: ActionSpec(
        admin_forms.SendBackForm,
        lambda r, u, d: services.send_back(r, u, d["note"]),
        gettext_lazy("The draft answer to report %(code)s is sent back."),
        error_field="note",
    ),
}


class QueueFilter(admin.SimpleListFilter):
    title = gettext_lazy("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = request.__dict__.setdefault("_feedback_counts", selectors.queue_counts(request.user))
        return [(key, f"{label} ({counts[key]})") for key, label in selectors.QUEUE_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() in selectors.QUEUE_LABELS:
            return queryset.filter(selectors.queue_q(self.value(), request.user))
        return queryset


class AttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = ("order", "code", "description", "datatype", "required", "datatype_description", "values")


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "default_unit", "working_days", "emergency", "active")
    list_filter = ("emergency", "active")
    search_fields = ("name", "code")
    autocomplete_fields = ("default_unit",)
    inlines = (AttributeInline,)


@admin.register(Rules)
class RulesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("effective_from", "forward_days", "reopen_days", "legal_basis")


@admin.register(Desk)
class DeskAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "phone")
    autocomplete_fields = ("unit",)

    def has_add_permission(self, request):
        return not Desk.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Keys are generated here and shown once; only their SHA-256 is stored."""

    list_display = ("name", "contact", "key_prefix", "active", "per_hour", "last_used_at")
    readonly_fields = ("key_prefix", "created_at", "last_used_at")
    fields = ("name", "contact", "active", "per_hour", "key_prefix", "created_at", "last_used_at")
    actions = ["new_key"]

    def save_model(self, request, obj, form, change):
        if not change:
            key = services.issue_api_key(obj)
            self.message_user(
                request,
                _("The API key of %(name)s, shown only now: %(key)s") % {"name": obj, "key": key},
                messages.WARNING,
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Issue a new key (the old one stops working)"))
    def new_key(self, request, queryset):
        for client in queryset:
            key = services.issue_api_key(client)
            self.message_user(
                request,
                _("The API key of %(name)s, shown only now: %(key)s") % {"name": client, "key": key},
                messages.WARNING,
            )


@admin.register(Report)
class ReportAdmin(CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    workflow = wf.WORKFLOW
    action_specs = ACTIONS
    list_display = ("code", "category", "ward", "status", "unit", "deadline", "channel")
    list_filter = (QueueFilter, "status", "category", "channel")
    list_select_related = ("category", "ward", "unit")
    search_fields = ("code",)
    search_help_text = gettext_lazy(
        "Tracking code (or its start), the reporter's phone, or words of the report."
    )
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    sortable_by = ("code", "deadline")
    actions = None
    change_list_template = "admin/feedback/report/change_list.html"

    def get_queryset(self, request):
        return selectors.reports_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        return selectors.search_reports(queryset, search_term), False

    @admin.display(description=gettext_lazy("deadline"), ordering="due_date")
    def deadline(self, obj):
        if not obj.due_date:
            return "—"
        text = obj.due_date.strftime("%d/%m/%Y")
        if (
            obj.status in (ReportStatus.ASSIGNED, ReportStatus.AWAITING_APPROVAL)
            and obj.due_date < workdays.today()
        ):
            return format_html(
                '<strong class="report-overdue" style="color:#ba2121">{} ({})</strong>', text, _("overdue")
            )
        return text

    def done_context(self, case) -> dict:
        return {
            "code": case.code,
            "unit": case.unit,
            "due": case.due_date.strftime("%d/%m/%Y") if case.due_date else "—",
        }

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("call/", wrap(self.call_view), name="feedback_report_call"),
            path(
                "<int:object_id>/photo/<int:photo_id>/", wrap(self.photo_view), name="feedback_report_photo"
            ),
            path("<int:object_id>/letter/", wrap(self.letter_view), name="feedback_report_letter"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_case(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "app_label": "feedback",
            "original": report,
            "case": report,
            "title": _("Report %(code)s") % {"code": report.code},
            "subtitle": None,
            "has_view_permission": True,
            "changelist_url": reverse("admin:feedback_report_changelist"),
            "change_url": self.change_url(report),
            "report": report,
            "assignments": list(
                report.assignments.select_related("unit", "handler", "parent").order_by("assigned_at", "pk")
            ),
            "events": list(report.events.order_by("at", "id")),
            "photos": list(report.photos.order_by("uploaded_at", "pk")),
            "ratings": list(report.ratings.order_by("round")),
            "labels": {a.value: a.label for a in A},
            "state_labels": {s.value: s.label for s in ReportStatus},
            **self.action_buttons(report, request.user),
        }
        return TemplateResponse(request, "admin/feedback/report/detail.html", context)

    def photo_view(self, request, object_id, photo_id):
        report = self.get_case(request, object_id)
        record = Photo.objects.filter(report=report, pk=photo_id).first()
        if record is None:
            raise Http404
        return file_response(record.file, record.original_name, record.content_type, inline=True)

    def letter_view(self, request, object_id):
        report = self.get_case(request, object_id)
        if report.status != ReportStatus.FORWARDED:
            raise Http404
        return pdf.response(forward_pdf(report), f"chuyen-{report.code}.pdf")

    def call_view(self, request):
        """A 1022 operator types in a call: the same service as the web form, channel "phone"."""
        if not request.user.has_perm("feedback.triage_report"):
            raise PermissionDenied
        intake = Desk.intake_unit()
        if not (request.user.is_superuser or (intake and request.user.unit_id == intake.pk)):
            messages.error(request, _("Only the 1022 desk records calls."))
            return redirect("admin:feedback_report_changelist")
        form = admin_forms.CallForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report, _key = services.submit_report(
                    form.service_data(),
                    channel=Channel.PHONE,
                    submission_key=form.cleaned_data["submission_key"],
                    recorded_by=request.user,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Report %(code)s recorded. Read the tracking code to the caller.")
                    % {"code": report.code},
                )
                return redirect(self.change_url(report))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "app_label": "feedback",
            "title": _("Record a call to 1022"),
            "subtitle": None,
            "has_view_permission": True,
            "form": form,
            "changelist_url": reverse("admin:feedback_report_changelist"),
            "case": None,
        }
        return TemplateResponse(request, "admin/feedback/report/call.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {
            "call_url": reverse("admin:feedback_report_call"),
            "can_call": request.user.has_perm("feedback.triage_report"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra)
