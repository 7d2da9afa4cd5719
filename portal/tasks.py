"""Periodic housekeeping: proves worker and beat run, keeps tables tidy."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal import outbox, uploads
from portal.models import Heartbeat


def _beat(name: str, **detail) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_run": timezone.now(), "detail": detail})


@shared_task(name="portal.tasks.heartbeat")
def heartbeat() -> None:
    _beat("heartbeat")


@shared_task(name="portal.tasks.housekeeping")
def housekeeping() -> dict:
    """Daily sweep: expired sessions, old access attempts, files held for forms abandoned. Idempotent."""
    from axes.models import AccessAttempt

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - timedelta(days=30)).delete()
    held = uploads.drop_stale_held()
    result = {"expired_sessions": sessions, "old_access_attempts": attempts, "stale_held_files": held}
    _beat("housekeeping", **result)
    return result


# --- the reminder sweep (see portal.outbox, which also holds the tasks that send) --------


@shared_task(name="portal.sweep_reminders", acks_late=True)
def sweep_reminders() -> dict:
    """The beat's sweep (every 5 minutes): every app's due reminders queued, the outbox sent."""
    result = outbox.sweep()
    _beat("sweep_reminders", **result)
    return result
