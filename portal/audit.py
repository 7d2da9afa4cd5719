"""Writing the audit trail. Every service calls :func:`record`."""

from __future__ import annotations

import contextvars
import functools
import ipaddress
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
    """The client's address: REMOTE_ADDR, or, behind trusted proxies, read from X-Forwarded-For.

    X-Forwarded-For is a list each proxy appends its peer's address to; only
    the entries added by the portal's own proxies can be trusted (a client can
    send anything in front of them). With ``TRUSTED_PROXIES`` the list is read
    from the right, skipping the proxies' addresses, and the first other one is
    the client; with ``NUM_PROXIES`` = n the client is the n-th entry from the
    right. Without either, the header is ignored. Used by the audit trail, the
    look-up throttle and django-axes (AXES_CLIENT_IP_CALLABLE), so one
    attacker behind the balancer never locks out the whole city.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    hops = settings.NUM_PROXIES
    if not (trusted or hops) or not remote:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in forwarded if part] + [remote]
    if trusted:
        while len(chain) > 1 and _in(chain[-1], trusted):
            chain.pop()
        return _valid(chain[-1]) or remote
    index = max(len(chain) - 1 - hops, 0)
    return _valid(chain[index]) or remote


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _in(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


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
