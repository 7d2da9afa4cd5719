"""The periodic reminder sweep: reads the database, queues reminders, sends the outbox.

Every few minutes (Celery beat, ``onestop.sweep_reminders``) the sweep

a. reminds the assignee of an active step due within one working day;
b. tells the leaders of the step's unit when an active step is overdue;
c. prompts the leaders of the current step's unit to send the apology
   letter (form 04) when a dossier's appointment is today or the next
   working day and no new date has been set yet;
d. sends the unsent notifications, the citizen e-mails the services queued
   included (they wait here when Redis was down at the time).

Each reminder is a :class:`Notification` row with a unique key. The rows
are inserted in bulk by the database itself, ``INSERT … SELECT … ON
CONFLICT (key) DO NOTHING`` (the SELECT written with the ORM), so a sweep
that runs twice, or two sweeps at once, queue each reminder once, and the
millions of returned dossiers never travel to Python. Each row is then sent
by :func:`notifications.deliver` in its own transaction under a row lock:
sent at most once, and a sender that dies leaves it unsent for the next run.

Bounded work: the selections use the indexes ``step_status_due`` (active
steps by due date) and ``dossier_status_due``, the outbox the partial index
``notification_unsent``. Sending stops after a time budget; what is left is
handed to the ``onestop.send_outbox`` task (one chain at a time) and to the
next sweep.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import CharField, Exists, F, Func, IntegerField, OuterRef, Value
from django.db.models.functions import Cast, Concat, Now
from django.utils import timezone

from onestop import notifications
from onestop.models import IN_PROCESS_STATUSES, DossierStep, Notification
from portal import roles, workdays

log = logging.getLogger(__name__)

KIND = Notification.Kind
ACTIVE = DossierStep.Status.ACTIVE
SEND_BATCH = 100
QUEUE_LOCK = 0x6F6E6573  # advisory lock of the queueing step ("ones")
OUTBOX_LOCK = 0x6F6E6574  # advisory lock of the outbox chain
COLUMNS = (
    "key",
    "kind",
    "dossier_id",
    "step_id",
    "recipient",
    "recipient_user_id",
    "created_at",
    "attempts",
    "last_error",
)


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- what is due: one SELECT per kind, one row per reminder ------------------------


def _text(*parts) -> Concat:
    """A key: text parts and columns joined (ids as text, dates as YYYY-MM-DD)."""
    return Concat(*parts, output_field=CharField())


def _id(field: str):
    return Cast(field, CharField())


def _day(field: str):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())


def _reminders(steps, kind: str, key, recipient: str, order: str):
    """Project the step queryset onto the notification columns (in ``COLUMNS`` order).

    Only keys not queued yet, at most ``ONESTOP_SWEEP_QUEUE_LIMIT`` per kind
    and run in ``order`` (a backlog is queued over several runs, as fast as
    it can be sent anyway).
    """
    queued = Notification.objects.filter(key=OuterRef("n_key"))
    rows = (
        steps.annotate(
            n_key=key,
            n_kind=Value(str(kind), output_field=CharField()),
            n_dossier=F("dossier_id"),
            n_step=F("pk"),
            n_recipient=Value("", output_field=CharField()),
            n_user=F(recipient),
            n_created=Now(),
            n_attempts=Value(0, output_field=IntegerField()),
            n_error=Value("", output_field=CharField()),
        )
        .filter(~Exists(queued))
        .order_by(order, "pk")
    )
    names = ["n_key", "n_kind", "n_dossier", "n_step", "n_recipient", "n_user", "n_created", "n_attempts"]
    return rows.values_list(*names, "n_error")[: _setting("ONESTOP_SWEEP_QUEUE_LIMIT", 2000)]


def _leaders(prefix: str = "unit__staff__") -> dict:
    """Join the active leaders of the step's unit (one row per leader)."""
    return {f"{prefix}is_active": True, f"{prefix}groups__name": roles.ROLE_NAMES[roles.LEADER]}


def step_due(horizon):
    """(a) Active steps due on or before ``horizon`` with an active assignee: remind the assignee.

    The key holds the due date: a moved due date reminds again, once.
    """
    steps = DossierStep.objects.filter(status=ACTIVE, due_date__lte=horizon, assignee__is_active=True)
    key = _text(Value("step_due:"), _id("pk"), Value(":"), _day("due_date"))
    return _reminders(steps, KIND.STEP_DUE, key, "assignee_id", "due_date")


def step_overdue(today):
    """(b) Active steps past their due date: tell each active leader of the step's unit."""
    steps = DossierStep.objects.filter(status=ACTIVE, due_date__lt=today, **_leaders())
    key = _text(
        Value("step_overdue:"), _id("pk"), Value(":"), _id("unit__staff__id"), Value(":"), _day("due_date")
    )
    return _reminders(steps, KIND.STEP_OVERDUE, key, "unit__staff__id", "due_date")


def apology_due(today, horizon):
    """(c) Appointment today or on the next working day, no new date set yet, still
    being processed: prompt the current unit's leaders for form 04 (Decree 61
    Art. 19: at least one working day before the appointment).

    The key holds the appointment date: a date restarted by supplements
    prompts again once; a rescheduled dossier (a new date is allowed once)
    is never prompted again.
    """
    steps = DossierStep.objects.filter(
        status=ACTIVE,
        dossier__status__in=IN_PROCESS_STATUSES,
        dossier__rescheduled=False,
        dossier__due_date__gte=today,
        dossier__due_date__lte=horizon,
        **_leaders(),
    )
    key = _text(
        Value("apology_due:"),
        _id("dossier_id"),
        Value(":"),
        _day("dossier__due_date"),
        Value(":"),
        _id("unit__staff__id"),
    )
    return _reminders(steps, KIND.APOLOGY_DUE, key, "unit__staff__id", "dossier__due_date")


def queue(rows) -> int:
    """Insert the reminders ``rows`` selects, skipping known keys; returns how many are new.

    One statement, run by the database. Sweeps queue one at a time (a
    transaction-level advisory lock held for the moment of the insert), so
    two sweeps at once neither deadlock on each other's keys nor count the
    same reminder twice; the unique key is the final guard.
    """
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [QUEUE_LOCK])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select} ON CONFLICT (key) DO NOTHING",  # noqa: S608
            params,
        )
        return cursor.rowcount


# --- sending ---------------------------------------------------------------------


def _pending(seen: set[int], batch: int) -> list[int]:
    """Unsent notifications not tried yet in this run: never-tried ones first, then by age.

    The partial index ``notification_unsent`` holds only unsent rows. Rows
    that failed too often stay unsent, with their error, for an administrator.
    """
    max_attempts = _setting("ONESTOP_NOTIFICATION_MAX_ATTEMPTS", 20)
    return list(
        Notification.objects.filter(sent_at__isnull=True, attempts__lt=max_attempts)
        .exclude(pk__in=seen)
        .order_by("attempts", "created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )


def send_pending(limit: int | None = None, seconds: float | None = None) -> dict:
    """(d) Send unsent notifications, each in its own transaction, through one mail connection.

    Bounded: at most ``limit`` rows and about ``seconds``; stops early after
    several failures in a row (the mail server is down). ``more`` says that
    rows were left because the budget ran out.
    """
    limit = limit if limit is not None else _setting("ONESTOP_SWEEP_SEND_LIMIT", 1000)
    seconds = seconds if seconds is not None else _setting("ONESTOP_SWEEP_SEND_SECONDS", 1.5)
    give_up_after = _setting("ONESTOP_SWEEP_MAX_FAILURES", 5)
    deadline = time.monotonic() + seconds
    seen: set[int] = set()
    sent = failed = in_a_row = 0
    out_of_budget = False
    mailer = _fresh_mailer(None)
    try:
        while in_a_row < give_up_after:
            if len(seen) >= limit or time.monotonic() >= deadline:
                out_of_budget = True
                break
            batch = _pending(seen, min(SEND_BATCH, limit - len(seen)))
            if not batch:
                break
            for pk in batch:
                seen.add(pk)
                outcome = notifications.deliver(pk, connection=mailer)
                if outcome == notifications.SENT:
                    sent += 1
                    in_a_row = 0
                elif outcome == notifications.FAILED:
                    failed += 1
                    in_a_row += 1
                    mailer = _fresh_mailer(mailer)
                if time.monotonic() >= deadline or in_a_row >= give_up_after:
                    break
    finally:
        _close(mailer)
    more = out_of_budget and bool(_pending(seen, 1))
    return {"sent": sent, "failed": failed, "more": more}


def _fresh_mailer(mailer):
    """A mail connection kept open across sends; after a failure, a new one.

    If the server cannot be reached now, each send tries again and records
    the error on its row.
    """
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


def drain_outbox() -> dict:
    """Send the backlog in larger bounded runs (the ``onestop.send_outbox`` task).

    One chain at a time (a session advisory lock; a second caller returns
    at once). Returns ``more`` when the run stopped on its budget, so the
    task queues its next link; a mail server that fails stops the chain
    and leaves the rows to the next sweep.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [OUTBOX_LOCK])
        (locked,) = cursor.fetchone()
    if not locked:
        return {"sent": 0, "failed": 0, "more": False, "busy": True}
    try:
        return send_pending(
            limit=_setting("ONESTOP_OUTBOX_BATCH", 5000), seconds=_setting("ONESTOP_OUTBOX_SECONDS", 120.0)
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [OUTBOX_LOCK])


def continue_later() -> None:
    """Hand the rest of the outbox to a worker (quietly nothing if Redis is down)."""
    from onestop.tasks import send_outbox
    from portal.queue import enqueue

    enqueue(send_outbox)


# --- the sweep ---------------------------------------------------------------------


def sweep(now=None) -> dict:
    """Queue what is due at ``now`` (default: now), then send the outbox. Idempotent."""
    now = now or timezone.now()
    today = workdays.local(now).date()
    horizon = workdays.next_working_day(today)
    started = time.monotonic()
    result = {
        "step_due": queue(step_due(horizon)),
        "step_overdue": queue(step_overdue(today)),
        "apology_due": queue(apology_due(today, horizon)),
    }
    result.update(send_pending())
    if result["more"]:
        continue_later()
    result["seconds"] = round(time.monotonic() - started, 3)
    log.info("reminder sweep: %s", result)
    return result
