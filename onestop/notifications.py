"""Sending the notification outbox: each row at most once, under a row lock.

A row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` inside a
transaction, the message is sent, and ``sent_at`` is written before the
commit: a second sender skips the locked row or sees it sent; a sender that
dies before the commit leaves it unsent for the next sweep.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from onestop.models import Notification

log = logging.getLogger(__name__)


def render(notification: Notification) -> tuple[str, str]:
    """(subject, body) of a notification, in Vietnamese."""
    context = {"n": notification, "dossier": notification.dossier, "step": notification.step}
    with translation.override("vi"):
        subject = render_to_string("onestop/email/subject.txt", context).strip()
        body = render_to_string("onestop/email/body.txt", context)
    return subject, body


def send(notification_id: int) -> bool:
    """Send one notification if it is still unsent; True when this call sent it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("dossier", "dossier__service", "step", "step__unit", "recipient_user")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = notification.recipient or getattr(notification.recipient_user, "email", "")
        notification.attempts += 1
        if not recipient:
            notification.sent_at = timezone.now()
            notification.last_error = "no recipient address"
            notification.save(update_fields=["sent_at", "attempts", "last_error"])
            return False
        subject, body = render(notification)
        try:
            send_mail(subject, body, None, [recipient])
        except Exception as exc:  # noqa: BLE001 - kept for the next sweep
            log.warning("notification %s not sent: %s", notification.key, exc)
            notification.last_error = str(exc)[:300]
            notification.save(update_fields=["attempts", "last_error"])
            return False
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["sent_at", "attempts", "last_error"])
        return True
