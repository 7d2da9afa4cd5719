"""The officials' back office for the one-stop desk.

- The catalogue (services with their chain of steps and required documents,
  sectors) is managed by administrators.
- Dossiers are read-only here: the list and every page go through
  ``Dossier.objects.visible_to(user)``; the workflow's actions are buttons that
  call ``onestop.services`` (see ``onestop/views/staff.py``).
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.contrib.admin import ShowFacets
from django.db.models import Q
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onestop import admin_forms, selectors
from onestop import workflow as wf
from onestop.models import (
    ACTIVE_STATUSES,
    DeskName,
    Dossier,
    FormSet,
    LegalForm,
    LegalRegime,
    RequiredDocument,
    ScanExemption,
    Sector,
    Service,
    ServiceStep,
)
from onestop.views import staff
from portal import pagecache
from portal.admin import AuditedAdminMixin, BoundedCountPaginator, ReadOnlyAdminMixin
from portal.admin_actions import CaseAdminMixin, admin_view
from portal.text import money

# --- the catalogue -------------------------------------------------------------------


class CatalogueInlineMixin:
    """Steps and documents are part of a service: whoever may change the service edits them."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("onestop.view_service") or self.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("onestop.change_service")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("onestop.change_service")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("onestop.change_service")


class ServiceStepInline(CatalogueInlineMixin, admin.TabularInline):
    model = ServiceStep
    extra = 0
    fields = ("order", "name", "unit", "working_days")
    autocomplete_fields = ("unit",)


class RequiredDocumentInline(CatalogueInlineMixin, admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "form", "quantity", "mandatory", "template")


class LegalFormInline(admin.TabularInline):
    model = LegalForm
    extra = 0
    fields = ("letter", "number", "title")


@admin.register(LegalRegime)
class LegalRegimeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The one-stop rules by effective date (``onestop.law``): a dossier follows those in force when received."""

    list_display = (
        "decree",
        "effective_from",
        "desk_name",
        "transfer_cutoff",
        "supplement_window_days",
        "allows_stop",
    )
    ordering = ("effective_from",)


@admin.register(FormSet)
class FormSetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("circular", "effective_from")
    ordering = ("effective_from",)
    inlines = [LegalFormInline]


@admin.register(DeskName)
class DeskNameAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "regime")
    list_select_related = ("unit", "regime")
    autocomplete_fields = ("unit",)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "sector",
        "online_mode",
        "level",
        "receivable_anywhere",
        "processing_days",
        "fee_display",
        "active",
    )
    list_filter = ("online_class", "level", "receivable_anywhere", "sector", "active")
    list_select_related = ("sector",)
    search_fields = ("code", "name")
    search_help_text = _("Code or name, with or without accents.")
    autocomplete_fields = ("sector",)
    filter_horizontal = ("receiving_units",)
    inlines = (ServiceStepInline, RequiredDocumentInline)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("code", "name", "sector", "online_class", "level", "active")}),
        (
            _("Reception and processing"),
            {"fields": ("receiving_units", "receivable_anywhere", "processing_days", "result_name")},
        ),
        (_("Fee"), {"fields": ("fee", "fee_note")}),
        (_("Procedure"), {"fields": ("description", "legal_basis")}),
    )

    @admin.display(description=_("Fee"), ordering="fee")
    def fee_display(self, obj):
        return money(obj.fee) if obj.fee else _("Free")

    @admin.display(description=_("online service (Decree 42/2022)"), ordering="online_class")
    def online_mode(self, obj):
        return obj.get_online_mode_display()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        term = search_term.strip()
        matches = Service.objects.search(term).values("pk")
        return queryset.filter(Q(pk__in=matches) | Q(code__startswith=term)), False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "receiving_units":
            from portal.models import Unit

            kwargs["queryset"] = Unit.objects.active()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ScanExemption)
class ScanExemptionAdmin(admin.ModelAdmin):
    """Circular 03/2025 Art. 5: the reasons a walk-in dossier's papers are not scanned (data)."""

    list_display = ("name", "code", "legal_basis", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("name", "code")


# --- dossiers: the queues as list filters ------------------------------------------------


def _cached(request, key, compute):
    cache = request.__dict__.setdefault("_onestop_counts", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


class CountedFilter(admin.SimpleListFilter):
    """A list filter whose choices show how many dossiers each holds."""

    counts_key = ""

    def counts(self) -> dict:  # subclasses: {choice key: number of dossiers}
        return {}

    def count_of(self, counts: dict, key: str) -> int:
        return counts.get(key, 0)

    def choices(self, changelist):
        counts = _cached(self.request, self.counts_key, self.counts)
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }
        for key, label in self.lookup_choices:
            yield {
                "selected": self.value() == key,
                "query_string": changelist.get_query_string({self.parameter_name: key}),
                "display": f"{label} ({self.count_of(counts, key)})",
            }


class QueueFilter(CountedFilter):
    title = _("queue")
    parameter_name = "queue"
    counts_key = "queues"

    def lookups(self, request, model_admin):
        return list(selectors.QUEUE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in selectors.QUEUE_LABELS:
            return selectors.in_queue(queryset, self.value(), request.user)
        return queryset

    def counts(self) -> dict:
        return selectors.queue_counts(self.request.user)


class ActiveUnitFilter(CountedFilter):
    """The unit holding the dossier's active step, among the units the user may see."""

    title = _("unit processing it")
    parameter_name = "unit"
    counts_key = "units"

    def lookups(self, request, model_admin):
        return [(str(u.pk), u.name) for u in selectors.queue_units(request.user)]

    def queryset(self, request, queryset):
        allowed = {key for key, _label in self.lookup_choices}
        if self.value() in allowed:
            return selectors.at_unit(queryset, int(self.value()))
        return queryset

    def counts(self) -> dict:
        return selectors.unit_counts(self.request.user)

    def count_of(self, counts: dict, key: str) -> int:
        return counts.get(int(key), 0)


# --- dossiers ------------------------------------------------------------------------------


@admin.register(Dossier)
class DossierAdmin(CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: status and dates change only through the workflow's buttons."""

    workflow = wf.WORKFLOW
    action_specs = staff.ACTIONS
    action_template = "admin/onestop/dossier/action.html"

    list_display = (
        "code",
        "applicant_name",
        "service_name",
        "status",
        "current_unit",
        "appointment",
        "payment_status",
        "channel",
    )
    list_display_links = ("code",)
    list_filter = (QueueFilter, ActiveUnitFilter, "status", "channel", "payment_status")
    list_select_related = ("service", "receiving_unit")
    search_fields = ("code",)  # the box; the search itself is selectors.search_dossiers
    search_help_text = _(
        "Dossier code (or its beginning), citizen ID number (12 digits), mobile (10 digits) or applicant name."
    )
    sortable_by = ("code", "appointment")
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    actions = None
    change_list_template = "admin/onestop/dossier/change_list.html"

    # --- scope and permissions --------------------------------------------------------

    def get_queryset(self, request):
        return selectors.dossiers_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        return selectors.search_dossiers(queryset, search_term), False

    # --- columns ---------------------------------------------------------------------

    @admin.display(description=_("service"))
    def service_name(self, obj):
        name = obj.service.name
        return name if len(name) <= 60 else name[:59] + "…"

    @admin.display(description=_("current unit"))
    def current_unit(self, obj):
        active = getattr(obj, "active_steps", None) or []
        if active:
            step = active[0]
            if step.assignee_id:
                return f"{step.unit} ({step.assignee})"
            return str(step.unit)
        if obj.status in ACTIVE_STATUSES:
            return format_html("{} <small>({})</small>", obj.receiving_unit, _("one-stop desk"))
        return "—"

    @admin.display(description=_("appointment date"), ordering="due_date")
    def appointment(self, obj):
        if not obj.due_date:
            return "—"
        text = date_format(obj.due_date, "d/m/Y")
        if self._is_overdue(obj):
            return format_html(
                '<strong class="dossier-overdue" style="color:#ba2121">{} ({})</strong>', text, _("overdue")
            )
        return text

    @staticmethod
    def _is_overdue(obj) -> bool:
        return selectors.is_overdue(obj, obj.active_due)

    # --- pages -------------------------------------------------------------------------

    # --- workflow actions (portal.admin_actions) ------------------------------------

    def done_context(self, case) -> dict:
        return staff.done_context(case)

    def make_action_form(self, spec, case, request, bound):
        if spec.form is admin_forms.SupplementRequestForm and not bound:
            return spec.form(case=case, initial_items=staff.initial_items(case))
        return super().make_action_form(spec, case, request, bound)

    def action_context(self, request, case, action, form) -> dict:
        return {
            **super().action_context(request, case, action, form),
            "items_formset": getattr(form, "items_formset", None),
        }

    # --- pages -------------------------------------------------------------------------

    def get_urls(self):
        view = partial(admin_view, self)

        info = "onestop_dossier"
        return [
            path("walk-in/", view(staff.walk_in_view), name=f"{info}_walk_in"),
            path("register/", view(staff.register_view), name=f"{info}_register"),
            path("<int:object_id>/pdf/<slug:kind>/", view(staff.pdf_view), name=f"{info}_pdf"),
            path(
                "<int:object_id>/supplement/<int:request_id>/pdf/",
                view(staff.supplement_pdf_view),
                name=f"{info}_supplement_pdf",
            ),
            path("<int:object_id>/file/<int:file_id>/", view(staff.file_view), name=f"{info}_file"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return staff.detail_view(request, self, object_id)

    def changelist_view(self, request, extra_context=None):
        """The list and its queues, kept per session until any data changes (``portal.pagecache``):
        rendering fifty rows through the admin costs more than their indexed queries."""

        def render(request):
            extra = {
                "can_walk_in": staff.can_register_walk_in(request.user),
                "walk_in_url": reverse("admin:onestop_dossier_walk_in"),
                "register_url": reverse("admin:onestop_dossier_register"),
                **(extra_context or {}),
            }
            return super(DossierAdmin, self).changelist_view(request, extra_context=extra)

        return pagecache.cached_staff_page(render)(request)
