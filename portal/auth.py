"""Log-in rules of the portal: how django-axes names who is trying."""

from __future__ import annotations

USERNAME_MAX = 150  # User.username's length; axes stores at most 255


def axes_username(request, credentials: dict | None = None) -> str:
    """The username a log-in attempt is counted under, cut to the longest a user can have.

    Django's log-in form does not enforce the username's length before it
    authenticates, so an overlong name reached django-axes' table (a 500).
    """
    if credentials:
        value = credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username")
    return str(value or "")[:USERNAME_MAX]
