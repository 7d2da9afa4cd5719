"""The officials' back office for documents (clerks, specialists, leaders).

Documents are read-only here: the list and every page go through
``Document.objects.visible_to(user)``; the workflow's actions are buttons
(``portal.admin_actions``) that call ``documents.services``. Drafting,
registration, package import, the registers, search and statistics are pages
under this admin (``documents.views``).
"""

from __future__ import annotations

import base64
from datetime import timedelta
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ShowFacets
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents import admin_forms, selectors, services, views
from documents import workflow as wf
from documents.models import (
    Certificate,
    CertificateKind,
    CertificateState,
    Direction,
    Document,
    DocumentType,
    RevocationReason,
    SigningAuthority,
)
from portal.admin import AuditedAdminMixin, BoundedCountPaginator, ReadOnlyAdminMixin
from portal.admin_actions import ActionSpec, CaseAdminMixin, admin_view, with_note

A = wf.DocumentAction


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "abbreviation", "code", "is_letter", "active", "order")
    list_editable = ("order",)
    search_fields = ("name", "abbreviation", "code")


@admin.register(SigningAuthority)
class SigningAuthorityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "order")


def _deadline(data):
    return data["due"]


ACTIONS: dict[str, ActionSpec] = {
    A.REVISE: ActionSpec(
        admin_forms.ReviseForm,
        lambda d, u, data: services.revise_draft(d, u, data["file"], data.get("note", "")),
        _("New version of %(name)s uploaded."),
        error_field="file",
    ),
    A.SUBMIT: ActionSpec(
        admin_forms.NoteForm,
        with_note(services.submit_draft),
        _("%(name)s submitted for review."),
        inline=True,
    ),
    A.APPROVE_DRAFT: ActionSpec(
        admin_forms.NoteForm,
        with_note(services.approve_draft),
        _("%(name)s approved and sent for signature."),
        inline=True,
    ),
    A.SIGN: ActionSpec(
        admin_forms.SignForm,
        lambda d, u, data: services.sign_document(
            d, u, data.get("note", ""), data.get("signed_file"), data.get("passphrase", "")
        ),
        _("%(name)s signed."),
        error_field="passphrase",
    ),
    A.SEND_BACK: ActionSpec(
        admin_forms.CommentsForm,
        with_note(services.send_back),
        _("%(name)s sent back with comments."),
        error_field="note",
    ),
    A.ISSUE: ActionSpec(
        admin_forms.NoteForm, with_note(services.issue_document), _("Issued as %(name)s."), inline=True
    ),
    A.WITHDRAW: ActionSpec(
        admin_forms.ReasonForm,
        with_note(services.withdraw_document),
        _("%(name)s withdrawn."),
        error_field="note",
    ),
    A.REGISTER: ActionSpec(
        admin_forms.NoteForm,
        with_note(services.accept_arrived),
        _("Registered with arrival number %(arrival)s."),
        inline=True,
    ),
    A.REFUSE: ActionSpec(
        admin_forms.ReasonForm,
        with_note(services.refuse_arrived),
        _("%(name)s returned to the sender."),
        error_field="note",
    ),
    A.ASSIGN: ActionSpec(
        admin_forms.AssignForm,
        lambda d, u, data: services.assign_document(
            d,
            u,
            lead_unit=data["lead_unit"],
            lead_user=data.get("lead_user"),
            coordinating=list(data.get("coordinating") or []),
            deadline=_deadline(data),
            note=data.get("note", ""),
        ),
        _("%(name)s assigned."),
        error_field="lead_unit",
    ),
    A.PASS_DOWN: ActionSpec(
        admin_forms.PassDownForm,
        lambda d, u, data: services.pass_down(
            d,
            u,
            unit=data["unit"],
            user=data.get("user"),
            deadline=_deadline(data),
            note=data.get("note", ""),
        ),
        _("%(name)s passed down."),
        error_field="unit",
    ),
    A.REPORT: ActionSpec(
        admin_forms.NoteForm,
        with_note(services.report_coordination),
        _("Coordination on %(name)s reported done."),
        inline=True,
    ),
    A.CLOSE: ActionSpec(
        admin_forms.CloseForm,
        lambda d, u, data: services.close_document(d, u, data.get("note", ""), data.get("reply")),
        _("%(name)s closed as handled."),
        error_field="reply",
    ),
}

USER_FORMS = (admin_forms.AssignForm, admin_forms.PassDownForm, admin_forms.CloseForm)


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = selectors.queue_counts(request.user)
        return [(key, f"{label} ({counts[key]})") for key, label in selectors.QUEUE_LABELS.items()]

    def queryset(self, request, queryset):
        if self.value() in selectors.QUEUE_LABELS:
            return selectors.in_queue(queryset, self.value(), request.user)
        return queryset


class DirectionFilter(admin.SimpleListFilter):
    title = _("direction")
    parameter_name = "direction"

    def lookups(self, request, model_admin):
        return Direction.choices

    def queryset(self, request, queryset):
        if self.value() in Direction.values:
            return queryset.filter(direction=self.value())
        return queryset


@admin.register(Document)
class DocumentAdmin(CaseAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    workflow = wf.WORKFLOW
    action_specs = ACTIONS

    list_display = ("title", "short_summary", "direction", "status", "unit", "deadline_shown")
    list_display_links = ("title",)
    list_filter = (QueueFilter, DirectionFilter, "status", "doc_type", "urgency")
    search_fields = ("notation",)  # the box; the search itself is selectors.search
    search_help_text = _("Number and symbol, summary, sender or text of the files, with or without accents.")
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    sortable_by = ()
    actions = None
    change_list_template = "admin/documents/document/change_list.html"

    def get_queryset(self, request):
        return selectors.documents_for(request.user)

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").replace("\x00", "").strip()[:200]
        if not term:
            return queryset, False
        return queryset.filter(pk__in=selectors.search(request.user, term).values("pk")), False

    @admin.display(description=_("number and symbol"))
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("summary"))
    def short_summary(self, obj):
        return obj.summary if len(obj.summary) <= 90 else obj.summary[:89] + "…"

    @admin.display(description=_("deadline"))
    def deadline_shown(self, obj):
        if not obj.deadline:
            return "—"
        text = obj.deadline.strftime("%d/%m/%Y")
        if obj.status == "in_progress" and obj.deadline < views.today():
            return format_html(
                '<strong class="overdue" style="color:#ba2121">{} ({})</strong>', text, _("overdue")
            )
        return text

    # --- workflow actions --------------------------------------------------------------

    def done_context(self, case) -> dict:
        return {"name": str(case), "arrival": case.arrival_number or ""}

    def make_action_form(self, spec, case, request, bound):
        kwargs = {"case": case}
        if spec.form in USER_FORMS:
            kwargs["user"] = request.user
        if bound:
            return spec.form(request.POST, request.FILES, **kwargs)
        return spec.form(**kwargs)

    # --- pages -------------------------------------------------------------------------

    def get_urls(self):
        view = partial(admin_view, self)

        info = "documents_document"
        return [
            path("new/", view(views.new_draft_view), name=f"{info}_new"),
            path("register/", view(views.register_view), name=f"{info}_register"),
            path("import/", view(views.import_view), name=f"{info}_import"),
            path("search/", view(views.search_view), name=f"{info}_search"),
            path("registers/", view(views.register_book_view), name=f"{info}_registers"),
            path("statistics/", view(views.statistics_view), name=f"{info}_statistics"),
            path("<int:object_id>/file/<int:file_id>/", view(views.file_view), name=f"{info}_file"),
            path(
                "<int:object_id>/package/<int:recipient_id>/",
                view(views.package_view),
                name=f"{info}_package",
            ),
            path("<int:object_id>/replace/", view(views.replace_view), name=f"{info}_replace"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return views.detail_view(request, self, object_id)

    def changelist_view(self, request, extra_context=None):
        extra = {**views.page_links(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def get_changelist_url(self):
        return reverse("admin:documents_document_changelist")


# ------------------------------------------------------------------------------------------
# The certificate registry in the back office.
# The certificate registry in the back office.
#
# The list is scoped by ``Certificate.objects.visible_to`` (the one scoping
# rule plus one's own personal certificate) and filtered by kind, state and
# expiry (each served by an index). Everything read from the certificate is
# read-only; revocation is a button that calls
# ``documents.services.revoke_certificate`` (audited). Private key material is
# never shown: the page says only whether the portal holds a key and how it is
# protected.
#
# ------------------------------------------------------------------------------------------


class KindFilter(admin.SimpleListFilter):
    """Kind, checked against the choices (a raw value never reaches the database)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return CertificateKind.choices

    def queryset(self, request, queryset):
        if self.value() in CertificateKind.values:
            return queryset.filter(kind=self.value())
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return CertificateState.choices

    def queryset(self, request, queryset):
        if self.value() in CertificateState.values:
            return queryset.in_state(self.value())
        return queryset


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expires"
    WINDOWS = {"1": 1, "7": 7, "30": 30, "90": 90}

    def lookups(self, request, model_admin):
        return [
            ("1", _("Within 1 day")),
            ("7", _("Within 7 days")),
            ("30", _("Within 30 days")),
            ("90", _("Within 90 days")),
            ("past", _("Already expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "past":
            return queryset.filter(not_after__lt=now)
        if self.value() in self.WINDOWS:
            return queryset.filter(
                not_after__gte=now, not_after__lt=now + timedelta(days=self.WINDOWS[self.value()])
            )
        return queryset


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *RevocationReason.choices])
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened (at most 500 characters); kept in the audit trail."),
    )

    def clean_note(self):
        note = self.cleaned_data.get("note", "")
        if "\x00" in note:
            raise ValidationError(_("The note contains characters that are not allowed."))
        return note.strip()


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("common_name", "kind", "owner", "unit", "short_serial", "not_after", "state")
    list_filter = (KindFilter, StateFilter, ExpiryFilter)
    search_fields = ("common_name", "serial_number", "owner__username", "owner__full_name", "unit__name")
    list_select_related = ("owner", "unit")
    ordering = ("not_after", "pk")
    list_per_page = 50
    paginator = BoundedCountPaginator
    show_full_result_count = False
    actions = None
    fieldsets = (
        (None, {"fields": ("kind", "common_name", "owner", "unit", "state", "not_before", "not_after")}),
        (
            _("Certificate"),
            {
                "fields": (
                    "subject",
                    "issuer",
                    "issuer_certificate",
                    "serial_number",
                    "fingerprint",
                    "trusted",
                )
            },
        ),
        (_("Signing"), {"fields": ("key_held", "image_preview", "image_width_mm")}),
        (_("Revocation"), {"fields": ("revoked_at", "revocation_reason", "revocation_note", "revoked_by")}),
    )
    readonly_fields = (
        "kind",
        "common_name",
        "owner",
        "unit",
        "state",
        "not_before",
        "not_after",
        "subject",
        "issuer",
        "issuer_certificate",
        "serial_number",
        "fingerprint",
        "trusted",
        "key_held",
        "image_preview",
        "image_width_mm",
        "revoked_at",
        "revocation_reason",
        "revocation_note",
        "revoked_by",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).defer("der", "encrypted_key", "image")

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL in text; an overlong term finds nothing anyway.
        search_term = search_term.replace("\x00", "")[:200]
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("serial number"))
    def short_serial(self, obj):
        return obj.serial_number[:16] + ("…" if len(obj.serial_number) > 16 else "")

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("private key"))
    def key_held(self, obj):
        return obj.get_key_protection_display()

    @admin.display(description=_("signature image"))
    def image_preview(self, obj):
        data = Certificate.objects.filter(pk=obj.pk).values_list("image", flat=True).first()
        if not data:
            return "—"
        return format_html(
            '<img src="data:image/png;base64,{}" alt="{}" style="max-height:120px;max-width:100%">',
            base64.b64encode(bytes(data)).decode(),
            _("Signature image"),
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name=f"{info[0]}_{info[1]}_revoke",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id) if str(object_id).isdigit() else None
        if obj is not None and obj.revoked_at is None and services.can_revoke(request.user, obj):
            extra_context["revoke_url"] = reverse("admin:documents_certificate_revoke", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def revoke_view(self, request, object_id):
        cert = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:documents_certificate_change", args=[cert.pk])
        if not services.can_revoke(request.user, cert):
            raise PermissionDenied
        if cert.revoked_at is not None:
            messages.error(request, _("This certificate was already revoked."))
            return redirect(change_url)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.revoke_certificate(
                    cert,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The certificate was revoked."))
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Revoke certificate"),
            "certificate": cert,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/documents/certificate/revoke.html", context)
