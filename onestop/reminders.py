"""The one-stop desk's reminders, queued by the kernel's sweep (``portal.outbox``).

Every few minutes the beat's sweep asks :func:`queue_due` to queue

a. a reminder to the assignee of a step whose clock runs and that is due
   soon (today or the next working day);
b. a note to each active leader of the step's unit when the step is overdue;
c. a prompt to the leaders of the current step's unit to send the apology
   letter (form 04) when a dossier's appointment is today or the next
   working day and no new date has been set yet;

and then sends the unsent messages of every app's outbox, the citizen
e-mails the services queued included (they wait there when Redis was down).

"Due soon" and "overdue" are the selectors' definitions
(:func:`onestop.selectors.step_due_soon_q`, :func:`~onestop.selectors.step_overdue_q`),
the same the back office's queues and the admin use: a step whose clock is
stopped (supplements awaited) is neither.

Each reminder is a :class:`~onestop.models.Notification` row with a unique
key, inserted in bulk by the database (``INSERT … SELECT … ON CONFLICT (key)
DO NOTHING``), so a sweep that runs twice, or two sweeps at once, queue each
reminder once, and the millions of returned dossiers never travel to Python.
The selections use the indexes ``step_status_due_cov`` (active steps by due
date) and ``dossier_status_due_cov``.
"""

from __future__ import annotations

from django.db.models import F, Q

from onestop.models import IN_PROCESS_STATUSES, DossierStep, Notification
from onestop.selectors import due_soon_window, step_due_soon_q, step_overdue_q
from portal import outbox, roles, workdays
from portal.outbox import day_text, id_text, key_text, text

KIND = Notification.Kind
ACTIVE = DossierStep.Status.ACTIVE
COLUMNS = (*outbox.COLUMNS, "dossier_id", "step_id")


def _reminders(steps, kind: str, key, recipient: str, order: str):
    """Project the step queryset onto the outbox columns (``COLUMNS`` order), new keys only."""
    return outbox.project(
        Notification, steps, kind, key, recipient, order, dossier=F("dossier_id"), step=F("pk")
    )


def _leaders(prefix: str = "unit__staff__"):
    """Join the active leaders of the step's unit (one row per leader)."""
    return roles.has_role_q(roles.LEADER, prefix) & Q(**{f"{prefix}is_active": True})


def step_due(today):
    """(a) Steps due soon with an active assignee: remind the assignee.

    The key holds the due date: a moved due date reminds again, once.
    """
    steps = DossierStep.objects.filter(step_due_soon_q(today), assignee__is_active=True)
    key = key_text(text("step_due:"), id_text("pk"), text(":"), day_text("due_date"))
    return _reminders(steps, KIND.STEP_DUE, key, "assignee_id", "due_date")


def step_overdue(today):
    """(b) Overdue steps: tell each active leader of the step's unit."""
    steps = DossierStep.objects.filter(step_overdue_q(today)).filter(_leaders())
    key = key_text(
        text("step_overdue:"),
        id_text("pk"),
        text(":"),
        id_text("unit__staff__id"),
        text(":"),
        day_text("due_date"),
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
    ).filter(_leaders())
    key = key_text(
        text("apology_due:"),
        id_text("dossier_id"),
        text(":"),
        day_text("dossier__due_date"),
        text(":"),
        id_text("unit__staff__id"),
    )
    return _reminders(steps, KIND.APOLOGY_DUE, key, "unit__staff__id", "dossier__due_date")


def queue_due(now) -> dict[str, int]:
    """Queue every reminder due at ``now``; returns how many new rows per kind."""
    today = workdays.local(now).date()
    _first, horizon = due_soon_window(today)
    return {
        "step_due": outbox.insert(Notification, step_due(today), COLUMNS),
        "step_overdue": outbox.insert(Notification, step_overdue(today), COLUMNS),
        "apology_due": outbox.insert(Notification, apology_due(today, horizon), COLUMNS),
    }
