"""The one scoping rule: which records a member of staff may see.

- a superuser or system administrator sees everything;
- a leader sees what their unit and every unit below it holds (the leader
  of the top unit, e.g. the city people's committee, sees everything);
- any other member of staff sees what their own unit holds;
- citizens and anonymous visitors see nothing through this rule (their own
  dossiers are found by code and secret, not by scope).

Apps call :func:`visible_to` with the lookups that tie a record to units
(``"unit"``, ``"receiving_unit"``, ``"steps__unit"``…). The admin, the views
and the exports all go through it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db.models import Q, QuerySet

from portal import roles

NOTHING = Q(pk__in=[])


def sees_everything(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(roles.SYSADMIN))
    )


def subtree_q(unit, unit_lookup: str = "unit") -> Q:
    """Rows whose ``unit_lookup`` is ``unit`` or a unit below it (one indexed prefix match on the path)."""
    path_lookup = "path__startswith" if unit_lookup == "pk" else f"{unit_lookup}__path__startswith"
    return Q(**{path_lookup: unit.path})


def top_unit(unit):
    """The top of ``unit``'s tree (the city people's committee for a ward or a department)."""
    from portal.models import Unit

    root_id = int(unit.path.strip("/").split("/")[0]) if unit.path else unit.pk
    return unit if root_id == unit.pk else Unit.objects.get(pk=root_id)


def visible_unit_ids(user) -> list[int] | None:
    """Ids of the units whose records ``user`` may see; ``None`` means every unit."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return []
    if sees_everything(user):
        return None
    if not user.is_staff or user.unit_id is None:
        return []
    if user.has_role(roles.LEADER) and user.unit.parent_id is None:
        return None  # the leader of the top unit: its subtree is every unit
    cached = getattr(user, "_visible_unit_ids", None)
    if cached is None:
        if user.has_role(roles.LEADER):
            from portal.models import Unit

            cached = list(Unit.objects.filter(path__startswith=user.unit.path).values_list("pk", flat=True))
        else:
            cached = [user.unit_id]
        user._visible_unit_ids = cached
    return cached


def visible_unit_q(user, unit_lookup: str = "unit", *, array: bool = False) -> Q:
    """A Q selecting rows whose ``unit_lookup`` points at a unit the user may see.

    With ``array=True`` the lookup is an array of unit ids (a denormalised
    "units involved" column) matched by overlap, which a GIN index serves.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return NOTHING
    if sees_everything(user):
        return Q()
    if not user.is_staff or user.unit_id is None:
        return NOTHING
    if user.has_role(roles.LEADER) and user.unit.parent_id is None:
        return Q()  # the leader of the top unit sees every unit
    if array:
        return Q(**{f"{unit_lookup}__overlap": visible_unit_ids(user)})
    if user.has_role(roles.LEADER):
        return subtree_q(user.unit, unit_lookup)
    return Q(**{unit_lookup if unit_lookup != "pk" else "pk": user.unit_id})


def visible_to(queryset: QuerySet, user, *unit_lookups: str) -> QuerySet:
    """Filter ``queryset`` to the rows ``user`` may see through any of ``unit_lookups``.

    With several lookups through to-many relations the result is made
    distinct with an ``EXISTS``-friendly ``pk__in`` so pagination stays exact.
    """
    lookups = unit_lookups or ("unit",)
    combined = None
    model = queryset.model
    for lookup in lookups:
        is_array = (
            "__" not in lookup and lookup != "pk" and isinstance(model._meta.get_field(lookup), ArrayField)
        )
        part = visible_unit_q(user, lookup, array=is_array)
        if part == Q():
            return queryset
        combined = part if combined is None else combined | part
    q = combined if combined is not None else NOTHING
    if any("__" in lookup for lookup in lookups):
        return queryset.filter(pk__in=model._default_manager.filter(q).values("pk"))
    return queryset.filter(q)
