"""Writing the audit trail. Every service calls :func:`record`."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


current_request: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "current_request", default=None
)


def client_ip(request) -> str | None:
    # Only REMOTE_ADDR: X-Forwarded-For is trusted only when a proxy is set up
    # to overwrite it, which the deployment documents (BEHIND_PROXY).
    from django.conf import settings

    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, obj=None, actor=None, request=None, **data):
    """Append one audit event. Call it inside the service's transaction."""
    from portal.models import AuditEvent

    info = current_request.get() or RequestInfo()
    ip, agent = info.ip, info.user_agent
    if request is not None:
        ip, agent = client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_repr=str(actor)[:200] if actor else data.pop("actor_repr", ""),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ip_address=ip,
        user_agent=(agent or "")[:255],
        data=data,
    )
