"""The notification outbox and the reminder sweep every app shares.

Each app keeps its messages in its own table (a concrete
:class:`OutboxMessage`, with foreign keys to its cases) and registers an
:class:`Outbox` in its ``AppConfig.ready()``: the table, how a message is
rendered, and the function that queues the reminders due at a moment. The
kernel then does the rest, the same way for every app:

- **Queue once.** A message has a unique ``key``; reminders are inserted in
  bulk by the database, ``INSERT … SELECT … ON CONFLICT (key) DO NOTHING``
  (:func:`insert`), under a transaction-level advisory lock, so a sweep run
  twice, or two sweeps at once, queue each reminder once. A service queues
  a citizen's e-mail with :func:`notify` inside its transaction; the send is
  enqueued after the commit and never fails the request.
- **Send once.** :func:`deliver` claims a row with ``SELECT … FOR UPDATE
  SKIP LOCKED``, sends it and writes ``sent_at`` before the commit: a second
  sender skips the locked row or sees it sent; a sender that dies leaves it
  unsent for the next sweep.
- **Catch up.** The beat runs :func:`sweep` every few minutes
  (``portal.sweep_reminders``): every outbox's reminders are queued, then the
  unsent messages of every outbox are sent within a time budget; a backlog
  is handed to ``portal.send_outbox`` (one chain at a time, an advisory lock).
  A message queued while Redis was down is sent by the next sweep.

Settings (all optional): ``OUTBOX_QUEUE_LIMIT`` (rows per reminder kind and
sweep), ``OUTBOX_SEND_LIMIT`` / ``OUTBOX_SEND_SECONDS`` (a sweep's sending
budget), ``OUTBOX_BATCH`` / ``OUTBOX_SECONDS`` (a ``send_outbox`` link),
``OUTBOX_MAX_ATTEMPTS`` (tries before a row is left for an administrator),
``OUTBOX_MAX_FAILURES`` (failures in a row before a run stops).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.db.models import CharField, Exists, F, Func, IntegerField, OuterRef, Value
from django.db.models.functions import Cast, Concat, Now
from django.utils import timezone

log = logging.getLogger(__name__)

SENT, SKIPPED, FAILED, NO_ADDRESS = "sent", "skipped", "failed", "no_address"
QUEUE_LOCK = 0x6F6E6573  # advisory lock of the queueing step
OUTBOX_LOCK = 0x6F6E6574  # advisory lock of the send_outbox chain
SEND_BATCH = 100
COLUMNS = ("key", "kind", "recipient", "recipient_user_id", "created_at", "attempts", "last_error")


class OutboxMessage(models.Model):
    """One message to send once: a reminder to an official or an e-mail to a citizen."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    recipient = models.CharField(max_length=254, blank=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Outbox:
    """An app's outbox: its table, how a row becomes (subject, body), what the sweep queues."""

    name: str
    model: type[OutboxMessage]
    render: Callable[[OutboxMessage], tuple[str, str]]
    select_related: tuple[str, ...] = ()
    queue_due: Callable[[object], dict[str, int]] | None = None  # (now) -> rows queued per kind


_registry: dict[str, Outbox] = {}


def register(outbox: Outbox) -> None:
    _registry[outbox.name] = outbox


def outboxes() -> list[Outbox]:
    return list(_registry.values())


def get(name: str) -> Outbox:
    return _registry[name]


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- queueing ------------------------------------------------------------------------


def key_text(*parts) -> Concat:
    """A key expression: text parts and columns joined (see :func:`id_text`, :func:`day_text`)."""
    return Concat(*parts, output_field=CharField())


def id_text(field: str):
    return Cast(field, CharField())


def day_text(field: str):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())


def text(value: str) -> Value:
    return Value(str(value), output_field=CharField())


def limit_rows(rows):
    """At most ``OUTBOX_QUEUE_LIMIT`` rows of one kind per sweep (a backlog queues over several)."""
    return rows[: _setting("OUTBOX_QUEUE_LIMIT", 2000)]


def project(model: type[OutboxMessage], queryset, kind: str, key, recipient: str, order: str, **links):
    """Project ``queryset`` onto the outbox columns, new keys only, oldest deadline first.

    Each row becomes one message of ``kind`` for the user in column ``recipient``, under the
    key expression ``key`` (a known key is skipped, so a sweep queues each reminder once);
    ``links`` are the app's own columns after the kernel's (``COLUMNS`` order), each an
    expression, e.g. ``dossier=F("dossier_id"), step=F("pk")``. At most ``limit_rows``.
    """
    queued = model.objects.filter(key=OuterRef("n_key"))
    extra = {f"n_{name}": value for name, value in links.items()}
    rows = (
        queryset.annotate(
            n_key=key,
            n_kind=text(kind),
            n_recipient=Value("", output_field=CharField()),
            n_user=F(recipient),
            n_created=Now(),
            n_attempts=Value(0, output_field=IntegerField()),
            n_error=Value("", output_field=CharField()),
            **extra,
        )
        .filter(~Exists(queued))
        .order_by(order, "pk")
    )
    names = ["n_key", "n_kind", "n_recipient", "n_user", "n_created", "n_attempts", "n_error", *extra]
    return limit_rows(rows.values_list(*names))


def insert(model: type[OutboxMessage], rows, columns: tuple[str, ...]) -> int:
    """Insert the messages ``rows`` (a ``values_list`` in ``columns`` order) selects; skip known keys.

    One statement, run by the database, under a transaction-level advisory
    lock, so two sweeps at once neither deadlock on each other's keys nor
    count the same reminder twice; the unique key is the final guard.
    Returns how many rows are new.
    """
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [QUEUE_LOCK])
        cursor.execute(f"INSERT INTO {table} ({names}) {select} ON CONFLICT (key) DO NOTHING", params)  # noqa: S608
        return cursor.rowcount


def notify(outbox_name: str, key: str, **fields) -> OutboxMessage | None:
    """Queue one message under ``key`` (a second call is a no-op); sent after the commit.

    Call it inside the service's transaction. If Redis is down the row waits
    for the next sweep.
    """
    box = get(outbox_name)
    message, created = box.model.objects.get_or_create(key=key, defaults=fields)
    if not created:
        return None
    from portal.queue import enqueue

    enqueue(send_message, outbox_name, message.pk)
    return message


# --- sending ------------------------------------------------------------------------


def deliver(box: Outbox, message_id: int, connection=None) -> str:
    """Send one message if it is still unsent, and say what happened.

    ``SKIPPED``: already sent, or another sender holds it right now;
    ``FAILED``: the mail backend raised (the error is kept, the row stays
    unsent for the next sweep); ``NO_ADDRESS``: nobody to send to (closed).
    ``connection`` is an open mail connection to reuse.
    """
    with transaction.atomic():
        message = (
            box.model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient_user", *box.select_related)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return SKIPPED
        recipient = message.recipient or getattr(message.recipient_user, "email", "")
        message.attempts += 1
        if not recipient:
            message.sent_at = timezone.now()
            message.last_error = "no recipient address"
            message.save(update_fields=["sent_at", "attempts", "last_error"])
            return NO_ADDRESS
        try:
            subject, body = box.render(message)
            EmailMessage(subject, body, None, [recipient], connection=connection).send()
        except Exception as exc:  # noqa: BLE001 - kept for the next sweep
            log.warning("message %s not sent: %s", message.key, exc)
            message.last_error = (f"{exc.__class__.__name__}: {exc}")[:300]
            message.save(update_fields=["attempts", "last_error"])
            return FAILED
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["sent_at", "attempts", "last_error"])
        return SENT


@shared_task(name="portal.send_message", acks_late=True)
def send_message(outbox_name: str, message_id: int) -> bool:
    """The task: send one queued message now (enqueued after the commit that queued it)."""
    return send(outbox_name, message_id)


def send(outbox_name: str, message_id: int) -> bool:
    """Send one message now (the ``portal.send_message`` task); True when this call sent it."""
    return deliver(get(outbox_name), message_id) == SENT


def _pending(box: Outbox, seen: set[int], batch: int) -> list[int]:
    """Unsent messages not tried in this run: never-tried ones first, then by age.

    A partial index on unsent rows serves it. Rows that failed too often stay
    unsent, with their error, for an administrator.
    """
    return list(
        box.model.objects.filter(sent_at__isnull=True, attempts__lt=_setting("OUTBOX_MAX_ATTEMPTS", 20))
        .exclude(pk__in=seen)
        .order_by("attempts", "created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )


def send_pending(limit: int | None = None, seconds: float | None = None) -> dict:
    """Send unsent messages of every outbox, each in its own transaction, through one mail connection.

    Bounded: at most ``limit`` rows and about ``seconds``; stops early after
    several failures in a row (the mail server is down). ``more`` says rows
    were left because the budget ran out.
    """
    limit = limit if limit is not None else _setting("OUTBOX_SEND_LIMIT", 1000)
    seconds = seconds if seconds is not None else _setting("OUTBOX_SEND_SECONDS", 1.5)
    give_up_after = _setting("OUTBOX_MAX_FAILURES", 5)
    deadline = time.monotonic() + seconds
    seen: dict[str, set[int]] = {box.name: set() for box in outboxes()}
    tried = sent = failed = in_a_row = 0
    out_of_budget = False
    mailer = _fresh_mailer(None)
    try:
        for box in outboxes():
            while in_a_row < give_up_after:
                if tried >= limit or time.monotonic() >= deadline:
                    out_of_budget = True
                    break
                batch = _pending(box, seen[box.name], min(SEND_BATCH, limit - tried))
                if not batch:
                    break
                for pk in batch:
                    seen[box.name].add(pk)
                    tried += 1
                    outcome = deliver(box, pk, connection=mailer)
                    if outcome == SENT:
                        sent += 1
                        in_a_row = 0
                    elif outcome == FAILED:
                        failed += 1
                        in_a_row += 1
                        mailer = _fresh_mailer(mailer)
                    if time.monotonic() >= deadline or in_a_row >= give_up_after:
                        break
            if out_of_budget or in_a_row >= give_up_after:
                break
    finally:
        _close(mailer)
    more = out_of_budget and any(_pending(box, seen[box.name], 1) for box in outboxes())
    return {"sent": sent, "failed": failed, "more": more}


def _fresh_mailer(mailer):
    """A mail connection kept open across sends; after a failure, a new one."""
    if mailer is not None:
        _close(mailer)
    mailer = mail.get_connection()
    try:
        mailer.open()
    except Exception as exc:  # noqa: BLE001 - recorded per row by the sends
        log.warning("mail server unavailable: %s", exc)
    return mailer


def _close(mailer) -> None:
    try:
        mailer.close()
    except Exception:  # noqa: BLE001 - a broken connection may not close cleanly
        pass


def drain() -> dict:
    """Send the backlog in a larger bounded run (the ``portal.send_outbox`` task), one chain at a time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [OUTBOX_LOCK])
        (locked,) = cursor.fetchone()
    if not locked:
        return {"sent": 0, "failed": 0, "more": False, "busy": True}
    try:
        return send_pending(limit=_setting("OUTBOX_BATCH", 5000), seconds=_setting("OUTBOX_SECONDS", 120.0))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [OUTBOX_LOCK])


def continue_later() -> None:
    """Hand the rest of the outbox to a worker (quietly nothing if Redis is down)."""
    from portal.queue import enqueue

    enqueue(send_outbox)


@shared_task(name="portal.send_outbox", acks_late=True)
def send_outbox() -> dict:
    """The task: a backlog bigger than a sweep's budget, sent in bounded links, one chain at a time."""
    result = drain()
    if result["more"]:
        continue_later()
    return result


def sweep(now=None) -> dict:
    """Queue what every app has due at ``now`` (default: now), then send. Idempotent."""
    now = now or timezone.now()
    started = time.monotonic()
    result: dict = {}
    for box in outboxes():
        if box.queue_due is not None:
            for kind, count in box.queue_due(now).items():
                result[kind] = result.get(kind, 0) + count
    result.update(send_pending())
    if result["more"]:
        continue_later()
    result["seconds"] = round(time.monotonic() - started, 3)
    log.info("reminder sweep: %s", result)
    return result
