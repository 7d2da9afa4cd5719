"""Roles are Django groups with permissions; their codes are stable, their names data.

``ensure_roles()`` creates or updates the groups (run after every migrate).
Apps add their own permissions to a role through ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CLERK = "clerk"
SPECIALIST = "specialist"
LEADER = "leader"
ONESTOP_OFFICER = "onestop_officer"
SYSADMIN = "sysadmin"

# Group names as officials see them (Vietnamese is the working language).
ROLE_NAMES = {
    CLERK: "Văn thư",
    SPECIALIST: "Chuyên viên",
    LEADER: "Lãnh đạo",
    ONESTOP_OFFICER: "Cán bộ một cửa",
    SYSADMIN: "Quản trị hệ thống",
}
ROLE_LABELS = {
    CLERK: _("Clerk"),
    SPECIALIST: _("Specialist"),
    LEADER: _("Leader"),
    ONESTOP_OFFICER: _("One-stop officer"),
    SYSADMIN: _("System administrator"),
}
GROUP_TO_ROLE = {name: code for code, name in ROLE_NAMES.items()}

# "app_label.codename" per role. Apps extend these lists in their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLERK: ["portal.view_unit"],
    SPECIALIST: ["portal.view_unit"],
    LEADER: ["portal.view_unit", "portal.view_user"],
    ONESTOP_OFFICER: ["portal.view_unit"],
    SYSADMIN: [
        "portal.view_unit",
        "portal.add_unit",
        "portal.change_unit",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "auth.view_group",
        "auth.change_group",
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.delete_calendarday",
        "portal.view_auditevent",
        "portal.view_siteprofile",
        "portal.change_siteprofile",
        "portal.view_heartbeat",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
    ],
}


def ensure_roles() -> None:
    from django.contrib.auth.models import Group, Permission

    for code, name in ROLE_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in ROLE_PERMISSIONS.get(code, []):
            app_label, codename = perm.split(".", 1)
            wanted.append((app_label, codename))
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[c for _a, c in wanted]
            )
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = {GROUP_TO_ROLE[n] for n in user.groups.values_list("name", flat=True) if n in GROUP_TO_ROLE}
        if user.is_superuser:
            cached.add(SYSADMIN)
        user._role_cache = cached
    return cached
