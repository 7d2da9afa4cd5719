"""Periodic task of the website: Wagtail's scheduled publishing (idempotent: due pages only)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="website.publish_scheduled", expires=50)
def publish_scheduled() -> None:
    """Publish the revisions whose go-live time has come and unpublish the expired pages."""
    call_command("publish_scheduled")
