"""The website's back office: the legal library's entries, the fields of law, the work schedule.

Library entries come from the register (``website.services.publish_legal_document``):
their register data and status are read-only here; the status changes
through ``website.services.set_legal_status`` (the list's actions). Meetings
are scoped to the units the official sees (``portal.scoping.visible_to``).
"""

from __future__ import annotations

import taggit.admin  # noqa: F401  (registers Tag first, so that it can be taken off below)
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from portal.scoping import visible_to
from website import services
from website.models import LegalDocument, LegalField, LegalStatus, Meeting, MeetingFile, MeetingSite

# Editors manage tags in Wagtail (/cms/); django-taggit's own admin page (a raw list of tagged
# items over every content type) is not for officials.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(LegalField)
class LegalFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["notation", "doc_type", "issuer_name", "issued_on", "status", "field", "withdrawn"]
    list_filter = ["status", "field", "withdrawn"]
    search_fields = ["notation"]
    date_hierarchy = None
    readonly_fields = [
        "notation",
        "doc_type",
        "issuer",
        "issuer_name",
        "signer",
        "summary",
        "issued_on",
        "status",
        "replaced_by",
        "digitally_signed",
        "published_at",
    ]
    fields = [*readonly_fields, "effective_on", "expires_on", "field", "amended_by", "withdrawn"]
    autocomplete_fields = ["amended_by"]
    actions = ["mark_expired", "mark_in_force"]
    list_select_related = ["field"]
    show_full_result_count = False

    def get_queryset(self, request):
        return visible_to(super().get_queryset(request), request.user, "issuer")

    def has_add_permission(self, request):
        return False  # entries come from the register when a public document is issued

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, never deleted

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        entry = form.instance
        if entry.amended_by.exists() and entry.status == LegalStatus.IN_FORCE:
            services.set_legal_status(
                entry, LegalStatus.AMENDED, actor=request.user, by=entry.amended_by.first()
            )

    def _set(self, request, queryset, status):
        done = 0
        for entry in queryset[:500]:
            try:
                services.set_legal_status(entry, status, actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        self.message_user(request, _("%(n)s documents updated.") % {"n": done})

    @admin.action(description=_("Mark as expired"), permissions=["change"])
    def mark_expired(self, request, queryset):
        self._set(request, queryset, LegalStatus.EXPIRED)

    @admin.action(description=_("Mark as in force"), permissions=["change"])
    def mark_in_force(self, request, queryset):
        self._set(request, queryset, LegalStatus.IN_FORCE)


class MeetingSiteInline(admin.TabularInline):
    model = MeetingSite
    extra = 1
    autocomplete_fields = ["unit"]


class MeetingFileInline(admin.TabularInline):
    model = MeetingFile
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "title", "unit", "chaired_by", "online", "internal", "held"]
    list_filter = ["online", "internal", "held"]
    search_fields = ["title"]
    inlines = [MeetingSiteInline, MeetingFileInline]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    def get_queryset(self, request):
        return visible_to(super().get_queryset(request), request.user, "unit")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            from portal.models import Unit

            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
