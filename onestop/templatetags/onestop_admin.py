"""The admin home's "my queues" panel for officials of the one-stop desk."""

from __future__ import annotations

from django import template
from django.urls import reverse

from onestop import selectors
from onestop.views.staff import can_register_walk_in

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_queues(context):
    """Queue counts for the signed-in official, or None when they do not work on dossiers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.has_perm("onestop.view_dossier"):
        return None
    changelist = reverse("admin:onestop_dossier_changelist")
    unit_counts = selectors.unit_counts(user)
    units = [u for u in selectors.queue_units(user) if u.pk in unit_counts]
    return {
        "changelist": changelist,
        "queues": [
            {"key": q.key, "label": q.label, "count": q.count, "url": f"{changelist}?queue={q.key}"}
            for q in selectors.queues(user)
        ],
        "units": [
            {"name": u.name, "count": unit_counts[u.pk], "url": f"{changelist}?unit={u.pk}"} for u in units
        ],
        "walk_in_url": reverse("admin:onestop_dossier_walk_in") if can_register_walk_in(user) else None,
    }
