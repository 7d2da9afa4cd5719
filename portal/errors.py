"""How a refused request reads for machine clients: apps with an API register their error body.

The kernel answers 400 (a NUL byte anywhere, ``RejectNulMiddleware``) and 404
before any app's view runs. A browser gets the portal's page; an API client
expects its protocol's error body (Open311's ``<errors>``, a JSON list…).
An app registers, in its ``AppConfig.ready()``, a renderer for the paths
under its prefix; the kernel's error views ask :func:`render` first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

Renderer = Callable[[object, int], HttpResponse]
_renderers: dict[str, Renderer] = {}


def register(prefix: str, renderer: Renderer) -> None:
    """``renderer(request, status)`` answers refused requests whose path starts with ``prefix``."""
    _renderers[prefix] = renderer


def render(request, status: int) -> HttpResponse | None:
    path = getattr(request, "path_info", "") or ""
    for prefix, renderer in sorted(_renderers.items(), key=lambda item: -len(item[0])):
        if path.startswith(prefix):
            return renderer(request, status)
    return None
