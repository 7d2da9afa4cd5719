"""The certificate registry in the back office.

The list is scoped by ``Certificate.objects.visible_to`` (the one scoping
rule plus one's own personal certificate) and filtered by kind, state and
expiry (each served by an index). Everything read from the certificate is
read-only; revocation is a button that calls
``documents.services.revoke_certificate`` (audited). Private key material is
never shown: the page says only whether the portal holds a key and how it is
protected.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents import services
from documents.models import Certificate, CertificateKind, CertificateState, RevocationReason
from portal.admin import BoundedCountPaginator


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
