"""Celery tasks of the one-stop desk: look up ids, call services. All idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="onestop.send_notification", acks_late=True)
def send_notification(notification_id: int) -> bool:
    from onestop import notifications

    return notifications.send(notification_id)


@shared_task(name="onestop.sweep_reminders", acks_late=True)
def sweep_reminders() -> dict:
    """The beat's sweep (every 5 minutes): queue due reminders, send the outbox."""
    from onestop import reminders
    from portal.models import Heartbeat

    result = reminders.sweep()
    Heartbeat.objects.update_or_create(
        name="onestop.sweep_reminders", defaults={"last_run": timezone.now(), "detail": result}
    )
    return result


@shared_task(name="onestop.send_outbox", acks_late=True)
def send_outbox() -> dict:
    """A backlog bigger than a sweep's budget: send it in bounded links, one chain at a time."""
    from onestop import reminders

    result = reminders.drain_outbox()
    if result["more"]:
        reminders.continue_later()
    return result
