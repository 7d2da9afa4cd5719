"""The feedback app's reminders, queued by the kernel's sweep (``portal.outbox``).

Every few minutes the beat's sweep asks :func:`queue_due` to queue

a. a reminder to the handler of an assignment due soon (today or the next
   working day), or to the unit's leaders when nobody is named;
b. a note to each active leader of the unit once the assignment is overdue;
c. a reminder to the 1022 desk's leaders when a report still waits for triage
   on the day its forwarding deadline (5 working days) falls due or later;

each a :class:`~feedback.models.Notification` with a unique key (holding the
deadline, so a moved deadline reminds again, once), inserted in bulk by the
database (``INSERT … SELECT … ON CONFLICT DO NOTHING``): a sweep run twice,
or two at once, queue each reminder once. "Due soon" and "overdue" are the
selectors' :func:`~feedback.selectors.due_soon_q` / :func:`~feedback.selectors.overdue_q`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, IntegerField, Q, Value

from feedback.models import Assignment, Notification, Report, ReportStatus
from feedback.selectors import due_soon_q, overdue_q
from portal import outbox, roles, workdays
from portal.outbox import day_text, id_text, key_text, text

KIND = Notification.Kind
COLUMNS = (*outbox.COLUMNS, "report_id", "assignment_id")


def _rows(queryset, kind: str, key, recipient: str, report: str, assignment, order: str):
    return outbox.project(
        Notification, queryset, kind, key, recipient, order, report=F(report), assignment=assignment
    )


def _leaders(prefix: str) -> Q:
    return roles.has_role_q(roles.LEADER, prefix) & Q(**{f"{prefix}is_active": True})


def due_to_handler(today):
    """(a) with a handler named: the handler."""
    rows = Assignment.objects.filter(due_soon_q(today), handler__is_active=True)
    key = key_text(text("fb_due:"), id_text("pk"), text(":"), day_text("due_date"))
    return _rows(rows, KIND.DUE_SOON, key, "handler_id", "report_id", F("pk"), "due_date")


def due_to_leaders(today):
    """(a) nobody named: the unit's leaders."""
    rows = Assignment.objects.filter(due_soon_q(today), handler__isnull=True).filter(
        _leaders("unit__staff__")
    )
    key = key_text(
        text("fb_due:"), id_text("pk"), text(":"), day_text("due_date"), text(":"), id_text("unit__staff__id")
    )
    return _rows(rows, KIND.DUE_SOON, key, "unit__staff__id", "report_id", F("pk"), "due_date")


def overdue(today):
    """(b) the unit's leaders, once per deadline."""
    rows = Assignment.objects.filter(overdue_q(today)).filter(_leaders("unit__staff__"))
    key = key_text(
        text("fb_overdue:"),
        id_text("pk"),
        text(":"),
        day_text("due_date"),
        text(":"),
        id_text("unit__staff__id"),
    )
    return _rows(rows, KIND.OVERDUE, key, "unit__staff__id", "report_id", F("pk"), "due_date")


def triage_due(today):
    """(c) still at the desk on its forwarding deadline: the desk's leaders."""
    rows = Report.objects.filter(status=ReportStatus.NEW, forward_due__lte=today).filter(
        _leaders("unit__staff__")
    )
    key = key_text(
        text("fb_triage:"),
        id_text("pk"),
        text(":"),
        day_text("forward_due"),
        text(":"),
        id_text("unit__staff__id"),
    )
    return _rows(
        rows,
        KIND.TRIAGE_DUE,
        key,
        "unit__staff__id",
        "pk",
        Value(None, output_field=IntegerField()),
        "forward_due",
    )


STASH_HOURS = 24


def drop_stale_stash(now) -> int:
    """Photos kept for a form that was never sent again: gone after a day (rows now, files after the commit)."""
    from django.db import transaction

    from feedback.models import Photo

    stale = list(
        Photo.objects.filter(report__isnull=True, uploaded_at__lt=now - timedelta(hours=STASH_HOURS))[:500]
    )
    for photo in stale:
        storage, name = photo.file.storage, photo.file.name
        photo.delete()
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    return len(stale)


def queue_due(now) -> dict[str, int]:
    today = workdays.local(now).date()
    drop_stale_stash(now)
    return {
        "feedback_due_soon": outbox.insert(Notification, due_to_handler(today), COLUMNS)
        + outbox.insert(Notification, due_to_leaders(today), COLUMNS),
        "feedback_overdue": outbox.insert(Notification, overdue(today), COLUMNS),
        "feedback_triage_due": outbox.insert(Notification, triage_due(today), COLUMNS),
    }
