"""The documents app's reminders, queued by the kernel's sweep (``portal.outbox``), each exactly once.

a. a hand-off due soon (today or the next working day): its person, or the
   leaders of its unit when it went to a unit;
b. a hand-off past its deadline: the leaders of its unit (and of the unit
   that handed it down);
c. a certificate 30, 7 and 1 days before it expires (the registry's
   :func:`documents.selectors.due_reminders`): its holder, or the clerks and
   leaders of the organisation; the key holds the certificate, the mark and
   the person, so each is sent once.

"Due soon" and "overdue" are :func:`documents.selectors.due_soon_q` and
:func:`~documents.selectors.overdue_q`, the same the queues use. Each
reminder is a :class:`~documents.models.DocumentNotice` with a unique key
holding the hand-off, the deadline and the person, inserted by the
database (``INSERT … SELECT … ON CONFLICT (key) DO NOTHING``): a sweep run
twice queues nothing twice; a moved deadline reminds again, once.
"""

from __future__ import annotations

from django.db.models import F, Q

from documents.models import Assignment, DocumentNotice
from documents.selectors import due_soon_q, overdue_q
from portal import outbox, roles, workdays
from portal.outbox import day_text, id_text, key_text, text

KIND = DocumentNotice.Kind
COLUMNS = (*outbox.COLUMNS, "document_id", "assignment_id")


def _rows(assignments, kind: str, key, recipient: str):
    return outbox.project(
        DocumentNotice,
        assignments,
        kind,
        key,
        recipient,
        "deadline",
        document=F("document_id"),
        assignment=F("pk"),
    )


def _leaders(prefix: str) -> Q:
    return roles.has_role_q(roles.LEADER, prefix) & Q(**{f"{prefix}is_active": True})


def _key(kind: str, person: str):
    return key_text(
        text(f"documents.{kind}:"), id_text("pk"), text(":"), day_text("deadline"), text(":"), id_text(person)
    )


def certificate_expiry(today) -> int:
    """(c) Certificates expiring: one notice per certificate, mark and person (few rows: in Python)."""
    from documents.selectors import due_reminders, reminder_key, reminder_recipients

    rows = [
        DocumentNotice(
            key=f"{reminder_key(cert, mark)}:{person.pk}",
            kind=KIND.CERTIFICATE_EXPIRY,
            certificate=cert,
            recipient_user=person,
        )
        for cert, mark in due_reminders(today)
        for person in reminder_recipients(cert)
    ]
    known = set(DocumentNotice.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    new = [r for r in rows if r.key not in known]
    DocumentNotice.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def queue_due(now) -> dict[str, int]:
    """Queue every reminder due at ``now``; returns how many new rows per kind."""
    today = workdays.local(now).date()
    soon = Assignment.objects.filter(due_soon_q(today))
    late = Assignment.objects.filter(overdue_q(today))
    to_person = soon.filter(user__isnull=False, user__is_active=True)
    to_unit = soon.filter(user__isnull=True).filter(_leaders("unit__staff__"))
    late_leaders = late.filter(_leaders("unit__staff__"))
    late_senders = late.filter(parent__isnull=False).filter(_leaders("from_unit__staff__"))
    return {
        "documents_due_soon": outbox.insert(
            DocumentNotice, _rows(to_person, KIND.DUE_SOON, _key("due", "user_id"), "user_id"), COLUMNS
        )
        + outbox.insert(
            DocumentNotice,
            _rows(to_unit, KIND.DUE_SOON, _key("due", "unit__staff__id"), "unit__staff__id"),
            COLUMNS,
        ),
        "certificate_expiry": certificate_expiry(today),
        "documents_overdue": outbox.insert(
            DocumentNotice,
            _rows(late_leaders, KIND.OVERDUE, _key("late", "unit__staff__id"), "unit__staff__id"),
            COLUMNS,
        )
        + outbox.insert(
            DocumentNotice,
            _rows(late_senders, KIND.OVERDUE, _key("late", "from_unit__staff__id"), "from_unit__staff__id"),
            COLUMNS,
        ),
    }
