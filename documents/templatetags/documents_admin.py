"""The admin home's document queues for clerks, specialists and leaders."""

from __future__ import annotations

from django import template
from django.urls import reverse

from documents import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def document_queues(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.has_perm("documents.view_document"):
        return None
    changelist = reverse("admin:documents_document_changelist")
    return {
        "changelist": changelist,
        "queues": [
            {"key": q.key, "label": q.label, "count": q.count, "url": f"{changelist}?queue={q.key}"}
            for q in selectors.queues(user)
        ],
    }
