"""Roles are Django groups with permissions, each tied to a stable code (:class:`RoleCode`).

A :class:`portal.models.Role` row links a code to its group, so code asks
"is this a leader?" by code, never by the group's display name, which an
administrator may rename. ``ensure_roles()`` creates or updates the groups
and their permissions (run after every migrate). Apps add their own
permissions to a role through ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    """Stable codes of the roles; the groups' names are data an administrator may change."""

    CLERK = "clerk", _("Clerk")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    ONESTOP_OFFICER = "onestop_officer", _("One-stop officer")
    PERSONNEL_OFFICER = "personnel_officer", _("Personnel officer")
    HOME_AFFAIRS = "home_affairs", _("Home Affairs officer")
    SYSADMIN = "sysadmin", _("System administrator")
    EDITOR = "editor", _("Website editor")
    EDITORIAL_LEADER = "editorial_leader", _("Editorial board leader")


CLERK = RoleCode.CLERK
SPECIALIST = RoleCode.SPECIALIST
LEADER = RoleCode.LEADER
ONESTOP_OFFICER = RoleCode.ONESTOP_OFFICER
PERSONNEL_OFFICER = RoleCode.PERSONNEL_OFFICER  # keeps the staff records of a unit and its children
HOME_AFFAIRS = RoleCode.HOME_AFFAIRS  # the Home Affairs office: the staff records of the whole city
SYSADMIN = RoleCode.SYSADMIN
EDITOR = RoleCode.EDITOR  # writes news on the website (Wagtail, /cms/)
EDITORIAL_LEADER = RoleCode.EDITORIAL_LEADER  # reviews and publishes the editors' articles

# The group names a new installation starts with (Vietnamese is the working language).
DEFAULT_GROUP_NAMES = {
    CLERK: "Văn thư",
    SPECIALIST: "Chuyên viên",
    LEADER: "Lãnh đạo",
    ONESTOP_OFFICER: "Cán bộ một cửa",
    PERSONNEL_OFFICER: "Cán bộ tổ chức - cán bộ",
    HOME_AFFAIRS: "Phòng Nội vụ",
    SYSADMIN: "Quản trị hệ thống",
    EDITOR: "Biên tập viên cổng thông tin",
    EDITORIAL_LEADER: "Lãnh đạo ban biên tập",
}
ROLE_LABELS = {code: code.label for code in RoleCode}

# "app_label.codename" per role. Apps extend these lists in their AppConfig.ready().
ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLERK: ["portal.view_unit"],
    SPECIALIST: ["portal.view_unit"],
    LEADER: ["portal.view_unit", "portal.view_user"],
    ONESTOP_OFFICER: ["portal.view_unit"],
    PERSONNEL_OFFICER: ["portal.view_unit"],
    HOME_AFFAIRS: ["portal.view_unit"],
    EDITOR: ["portal.view_unit"],
    EDITORIAL_LEADER: ["portal.view_unit"],
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

    from portal.models import Role

    known = {role.code: role for role in Role.objects.select_related("group")}
    for code in RoleCode:
        role = known.get(code)
        if role is None:
            group, _created = Group.objects.get_or_create(name=DEFAULT_GROUP_NAMES[code])
            role = Role.objects.create(code=code, group=group)
        wanted = {tuple(perm.split(".", 1)) for perm in ROLE_PERMISSIONS.get(code, [])}
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[c for _a, c in wanted]
            )
            if (p.content_type.app_label, p.codename) in wanted
        ]
        role.group.permissions.set(perms)


def group_for(code: str):
    """The group that holds role ``code`` (created with its permissions when missing)."""
    from portal.models import Role

    role = Role.objects.select_related("group").filter(code=code).first()
    if role is None:
        ensure_roles()
        role = Role.objects.select_related("group").get(code=code)
    return role.group


def has_role_q(code: str, prefix: str = "") -> Q:
    """Users (through ``prefix``, e.g. ``"unit__staff__"``) who hold role ``code``."""
    return Q(**{f"{prefix}groups__role__code": code})


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = {
            RoleCode(c) for c in user.groups.filter(role__isnull=False).values_list("role__code", flat=True)
        }
        if user.is_superuser:
            cached.add(SYSADMIN)
        user._role_cache = cached
    return cached
