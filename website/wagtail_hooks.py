"""Wagtail hooks of the public website (Wagtail imports this module of every installed app)."""

from __future__ import annotations

from django.http import Http404
from wagtail import hooks

from website import selectors


@hooks.register("before_serve_document")
def documents_are_public_only_where_published(document, request):
    """A file of the CMS is served to the public only while a live article or a public meeting
    lists it; the files of internal meetings, of drafts and files listed nowhere are for staff
    (the same rule as the schedule page, which shows internal meetings to staff only)."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        return None
    if not selectors.document_is_public(document.pk):
        raise Http404
    return None
