"""Celery tasks of the one-stop desk: look up ids, call services. All idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="onestop.send_notification", acks_late=True)
def send_notification(notification_id: int) -> bool:
    from onestop import notifications

    return notifications.send(notification_id)
