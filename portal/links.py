"""Absolute links to the portal (e-mails, QR codes on letters, payment callbacks).

Built on ``PORTAL_BASE_URL`` only, never on the request's ``Host`` header: a
forged Host must not end up in a letter's QR code, a citizen's e-mail or the
return address a payment gateway is given (host-header poisoning).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings


def base_url() -> str:
    """The public site's address, without a trailing slash."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path: str, query: dict | None = None) -> str:
    """``path`` (from ``reverse``, starting with ``/``) on the public site, with an optional query."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url() takes a path starting with '/', not {path!r}")
    url = base_url() + path
    if query:
        url += "?" + urlencode(query)
    return url
