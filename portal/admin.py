"""The officials' back office: the Django admin as the staff site."""

from __future__ import annotations

import django_otp.plugins.otp_static.admin  # noqa: F401 - django-otp's admins are registered, then replaced
import django_otp.plugins.otp_totp.admin  # noqa: F401
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import audit, workdays
from portal.admin_site import StrictListFiltersMixin
from portal.models import AuditEvent, CalendarDay, Heartbeat, SiteProfile, Unit, User
from portal.scoping import sees_everything, visible_to


class PortalModelAdmin(StrictListFiltersMixin, admin.ModelAdmin):
    """The base of the portal's ModelAdmins."""


# Permission rows keep Django's English names ("Can add dossier"): the back office
# names them from the model's (translated) name instead.
PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    opts = model._meta
    action = permission.codename.split("_", 1)[0]
    if action in PERMISSION_ACTIONS and permission.codename == f"{action}_{opts.model_name}":
        names = admin.site.MODEL_NAMES.get(f"{opts.app_label}.{opts.model_name}")
        name = PERMISSION_ACTIONS[action] % {"model": names[0] if names else opts.verbose_name}
    else:
        name = gettext(permission.name)  # the app's own permissions are marked for translation
    return f"{capfirst(opts.app_config.verbose_name)} | {name}"


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class BoundedCountPaginator(Paginator):
    """Counts at most ``limit`` rows, so a list over millions of rows never counts them all.

    Past the limit the list offers the first ``limit`` rows (the newest first)
    and says so; filters and search narrow it down.
    """

    limit = 10_000

    @cached_property
    def count(self) -> int:
        # values("pk") drops annotations the list shows but the count does not need.
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @property
    def truncated(self) -> bool:
        return self.count > self.limit


class ReadOnlyAdminMixin:
    """Records nobody adds, edits or deletes through the admin (history, workflow-owned rows)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Admin edits are writes too: each one lands in the audit trail."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'change' if change else 'add'}"
        audit.record(
            action,
            obj=obj,
            actor=request.user,
            request=request,
            fields=sorted(form.changed_data) if form is not None else [],
        )

    def delete_model(self, request, obj):
        audit.record(f"{obj._meta.model_name}.delete", obj=obj, actor=request.user, request=request)
        super().delete_model(request, obj)


class ScopedAdminMixin:
    """Every list goes through ``visible_to``: set ``scope_lookups`` to the unit lookups."""

    scope_lookups: tuple[str, ...] = ("unit",)

    def get_queryset(self, request):
        return visible_to(super().get_queryset(request), request.user, *self.scope_lookups)


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, ScopedAdminMixin, PortalModelAdmin):
    scope_lookups = ("pk",)
    list_display = ("name", "code", "kind", "parent", "admin_code", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code", "admin_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    list_per_page = 50


@admin.register(User)
class UserAdmin(
    AuditedAdminMixin, ScopedAdminMixin, StrictListFiltersMixin, TranslatedPermissionsMixin, BaseUserAdmin
):
    scope_lookups = ("unit",)
    list_display = ("username", "full_name", "unit", "position", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "unit__kind")
    search_fields = ("username", "full_name", "email", "phone")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    list_per_page = 50
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Unit and position"), {"fields": ("full_name", "unit", "position", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Unit and position"), {"fields": ("full_name", "unit", "position", "email", "groups")}),
    )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        unit_field = form.base_fields.get("unit")
        if unit_field is not None and not sees_everything(request.user):
            unit_field.queryset = Unit.objects.visible_to(request.user)
        return form

    # --- only a superuser makes, edits or resets a superuser -------------------------------
    # A system administrator who is not a superuser must not be able to climb:
    # superuser status and direct permissions are read-only to them, superusers
    # cannot be changed (the password-change view asks has_change_permission
    # too), and the groups they may give are the portal's roles, or groups
    # holding nothing they do not hold themselves.

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # Groups the editor may not give are not in the form: keep those the user already had.
        kept = []
        if change and not request.user.is_superuser:
            grantable = set(grantable_groups(request.user).values_list("pk", flat=True))
            kept = [group for group in form.instance.groups.all() if group.pk not in grantable]
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)


def grantable_groups(user):
    """The groups ``user`` may give: the portal's roles, and groups whose permissions ``user`` holds."""
    if user.is_superuser:
        return Group.objects.all()
    beyond = Group.permissions.through.objects.exclude(permission_id__in=_held_permission_ids(user))
    return Group.objects.filter(Q(role__isnull=False) | ~Q(pk__in=beyond.values("group_id")))


def _held_permission_ids(user) -> list[int]:
    from django.contrib.auth.models import Permission

    held = user.get_all_permissions()
    pairs = [perm.split(".", 1) for perm in held]
    ids = []
    for permission in Permission.objects.select_related("content_type").filter(
        codename__in=[codename for _app, codename in pairs]
    ):
        if [permission.content_type.app_label, permission.codename] in pairs:
            ids.append(permission.pk)
    return ids


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, StrictListFiltersMixin, TranslatedPermissionsMixin, BaseGroupAdmin):
    """Roles are groups whose permissions the code sets (``portal.roles``): only a superuser edits them."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("permissions")
        return fields


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, PortalModelAdmin):
    """The working-day calendar. Days of a year not yet announced are *provisional*: the list
    marks them and warns, and an administrator confirms them (DOMAIN.md §4)."""

    list_display = ("date", "kind", "name", "provisional_mark")
    list_filter = ("provisional", "kind")
    date_hierarchy = "date"
    search_fields = ("name",)
    actions = ["confirm_days"]

    @admin.display(description=_("provisional"), ordering="provisional")
    def provisional_mark(self, obj):
        return _("Provisional: to confirm") if obj.provisional else _("Confirmed")

    @admin.action(description=_("Confirm the selected days (checked against the announcement)"))
    def confirm_days(self, request, queryset):
        days = list(queryset.filter(provisional=True).order_by("date"))
        with transaction.atomic():
            CalendarDay.objects.filter(pk__in=[d.pk for d in days]).update(provisional=False)
            for day in days:
                audit.record(
                    "calendar.confirm", day, request.user, request=request, date=day.date.isoformat()
                )
        workdays.clear_cache()
        confirmed = ngettext("%(count)d day confirmed.", "%(count)d days confirmed.", len(days))
        self.message_user(request, confirmed % {"count": len(days)}, messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        years = sorted(
            {d.year for d in CalendarDay.objects.filter(provisional=True).values_list("date", flat=True)}
        )
        if years and request.method == "GET":
            self.message_user(
                request,
                _(
                    "Days of %(years)s are provisional (the statutory days, before the official "
                    "announcement): check them and confirm them."
                )
                % {"years": ", ".join(str(y) for y in years)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    paginator = BoundedCountPaginator
    list_display = ("at", "actor_repr", "action", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_repr", "object_repr", "object_id", "action")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_view_permission(self, request, obj=None):
        return sees_everything(request.user)

    def has_module_permission(self, request):
        return sees_everything(request.user)


@admin.register(SiteProfile)
class SiteProfileAdmin(AuditedAdminMixin, PortalModelAdmin):
    list_display = ("portal_name", "city_name", "hotline")

    def has_add_permission(self, request):
        return not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(PortalModelAdmin):
    list_display = ("name", "last_run", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- two-step devices: listed, and removable by whoever may (a lost phone), never shown -----------
# django-otp's own admin shows a device's key and QR code (and its extra pages
# answered 500 to a malformed id): replaced by a list that never shows a key.

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice, StaticDevice)
class DeviceAdmin(AuditedAdminMixin, PortalModelAdmin):
    """An official's authenticator app or backup codes: deleting it makes them set up again."""

    list_display = ("official", "device_name", "is_confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user",)
    fields = ("official", "device_name", "is_confirmed")
    readonly_fields = ("official", "device_name", "is_confirmed")

    # django-otp's fields carry no translatable names: the columns are named here.
    @admin.display(description=_("official"), ordering="user__username")
    def official(self, obj):
        return obj.user

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # ... and the pages name the models (``PortalAdminSite.MODEL_NAMES``).
    change_list_template = "admin/portal/device_change_list.html"

    def device_kind(self):
        return self.admin_site.MODEL_NAMES[f"{self.opts.app_label}.{self.opts.model_name}"][1]

    def changelist_view(self, request, extra_context=None):
        title = _("Choose a two-step device to view: %(kind)s") % {"kind": self.device_kind()}
        context = {"title": title, "device_kind": self.device_kind(), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            function, name, _label = actions["delete_selected"]
            actions["delete_selected"] = (function, name, _("Delete the selected devices"))
        return actions
