"""The staff records' reminders, queued by the kernel's sweep (``portal.outbox``), each exactly once.

Every few minutes the beat's sweep asks :func:`queue_due` to queue, for the
keepers of each file (the personnel officers of the file's unit; failing
those, of the nearest unit above it; failing those, the Home Affairs office
of the city):

a. a salary step falling due within ``reminder.step_due_days`` days (from
   the file's ``next_step_due``: the grade's interval after the last raise,
   plus any discipline delay; Circular 08/2013/TT-BNV Art. 2);
b. a retirement notice due: ``reminder.retirement_notice_months`` (6) months
   before the retirement date the agency must notify the official in
   writing (Decree 170/2025/NĐ-CP Art. 62; before 1 July 2025 Decree
   46/2010/NĐ-CP Art. 9);
c. a retirement decision due: ``reminder.retirement_decision_months`` (3)
   months before it (Decree 170/2025/NĐ-CP Art. 63);
d. a labour contract ending within ``reminder.contract_end_days`` days;
e. the official's signing certificate expiring within
   ``reminder.certificate_days`` days, read from the documents app's
   certificate registry (see :func:`certificate_source`).

Each reminder is one row with a unique key holding the date it is about (a
new raise, a corrected birth date or a renewed contract gives a new date and
so one new reminder), inserted by the database in one ``INSERT … SELECT …
ON CONFLICT (key) DO NOTHING`` per kind under the kernel's queueing lock:
a sweep run twice, or two at once, queue each reminder once; the kernel
then sends each row once. The selections use the partial indexes on
``next_step_due``, ``retirement_date`` and ``contract_end``.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction

from personnel import rules
from personnel.models import Reminder
from portal import outbox, roles, workdays

log = logging.getLogger(__name__)
KIND = Reminder.Kind

# The keepers of a file: users holding the personnel officer role (scope: their unit's subtree) or
# the Home Affairs role (scope: their city's tree), the nearest ones to the file's unit only.
_KEEPERS = """
    WITH keepers AS (
        SELECT u.id AS user_id, un.path AS scope_path
        FROM portal_user u
        JOIN portal_unit un ON un.id = u.unit_id
        JOIN portal_user_groups ug ON ug.user_id = u.id
        JOIN portal_role r ON r.group_id = ug.group_id AND r.code = %(officer)s
        WHERE u.is_active AND u.is_staff
        UNION
        SELECT u.id, '/' || split_part(un.path, '/', 2) || '/'
        FROM portal_user u
        JOIN portal_unit un ON un.id = u.unit_id
        JOIN portal_user_groups ug ON ug.user_id = u.id
        JOIN portal_role r ON r.group_id = ug.group_id AND r.code = %(home)s
        WHERE u.is_active AND u.is_staff
    ), due AS (
        SELECT f.id AS file_id, f.user_id AS owner_id, fu.path AS unit_path, {due_column} AS due_date
        FROM personnel_personnelfile f
        JOIN portal_unit fu ON fu.id = f.unit_id
        WHERE f.status = 'active' AND {condition}
    ), ranked AS (
        SELECT due.file_id, due.due_date, k.user_id,
               rank() OVER (PARTITION BY due.file_id ORDER BY length(k.scope_path) DESC) AS nearness
        FROM due JOIN keepers k ON due.unit_path LIKE k.scope_path || '%%'
        WHERE k.user_id IS DISTINCT FROM due.owner_id
    )
    INSERT INTO personnel_reminder
        (key, kind, recipient, recipient_user_id, created_at, attempts, last_error, file_id, due_date)
    SELECT %(prefix)s || ranked.file_id || ':' || ranked.user_id || ':' || to_char(ranked.due_date, 'YYYY-MM-DD'),
           %(kind)s, '', ranked.user_id, now(), 0, '', ranked.file_id, ranked.due_date
    FROM ranked
    WHERE ranked.nearness = 1
    ORDER BY ranked.due_date, ranked.file_id, ranked.user_id
    LIMIT %(limit)s
    ON CONFLICT (key) DO NOTHING
"""


def _insert(kind: str, due_column: str, condition: str, params: dict) -> int:
    sql = _KEEPERS.format(due_column=due_column, condition=condition)
    values = {
        "officer": roles.PERSONNEL_OFFICER,
        "home": roles.HOME_AFFAIRS,
        "prefix": f"{kind}:",
        "kind": kind,
        "limit": getattr(settings, "OUTBOX_QUEUE_LIMIT", 2000),
        **params,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [outbox.QUEUE_LOCK])
        cursor.execute(sql, values)
        return cursor.rowcount


def step_due(today: date) -> int:
    """(a) Regular steps due by ``today`` + the lead time (late ones included: once, until recorded)."""
    lead = rules.rule_value(rules.REMINDER_STEP_DAYS, today)
    return _insert(
        KIND.STEP_DUE,
        "f.next_step_due",
        "f.next_step_due IS NOT NULL AND f.next_step_due <= %(last)s",
        {"last": today + timedelta(days=lead)},
    )


def retirement(today: date, kind: str, rule: str) -> int:
    """(b, c) Retirement dates within the notice or decision lead time, not yet passed."""
    months = rules.rule_value(rule, today)
    return _insert(
        kind,
        "f.retirement_date",
        "f.retirement_date >= %(today)s AND f.retirement_date <= %(last)s",
        {"today": today, "last": rules.add_months(today, months)},
    )


def contract_end(today: date) -> int:
    """(d) Labour contracts ending within the lead time."""
    days = rules.rule_value(rules.REMINDER_CONTRACT_DAYS, today)
    return _insert(
        KIND.CONTRACT_END,
        "f.contract_end",
        "f.contract_end IS NOT NULL AND f.contract_end >= %(today)s AND f.contract_end <= %(last)s",
        {"today": today, "last": today + timedelta(days=days)},
    )


# --- (e) the signing certificate: a hook into the documents app's registry ----------------------


def certificate_source():
    """The officials' signing certificates expiring, read from the documents app's registry.

    Through ``documents.selectors`` (issue 8): its own definition of "expiring"
    (unrevoked, not renewed by a later certificate, within its reminder marks
    of 30, 7 and 1 days: ``expiring(today, mark)``), of which the personal
    certificates with a holder are kept. Returns a function ``(first, last)``
    giving ``(user_id, expires_on)`` pairs, or None when the documents app is
    not installed.
    """
    try:
        from documents import selectors as registry
        from documents.models import CertificateKind
    except ImportError:
        return None

    def expiring_personal(first: date, last: date):
        pairs = set()
        for mark in registry.REMINDER_MARKS:
            for certificate in registry.expiring(first, mark):
                if certificate.kind != CertificateKind.PERSONAL or certificate.owner_id is None:
                    continue
                expires_on = workdays.local(certificate.not_after).date()
                if first <= expires_on <= last:
                    pairs.add((certificate.owner_id, expires_on))
        return sorted(pairs)

    return expiring_personal


def certificate_expiry(today: date) -> int:
    source = certificate_source()
    if source is None:
        return 0
    days = rules.rule_value(rules.REMINDER_CERTIFICATE_DAYS, today)
    pairs = [(int(uid), day) for uid, day in source(today, today + timedelta(days=days))]
    if not pairs:
        return 0
    users = [uid for uid, _day in pairs]
    expiries = [day for _uid, day in pairs]
    condition = (
        "f.user_id = ANY(%(users)s) AND "
        "(SELECT min(e.day) FROM unnest(%(users)s::bigint[], %(days)s::date[]) AS e(uid, day) WHERE e.uid = f.user_id)"
        " IS NOT NULL"
    )
    due_column = "(SELECT min(e.day) FROM unnest(%(users)s::bigint[], %(days)s::date[]) AS e(uid, day) WHERE e.uid = f.user_id)"
    return _insert(KIND.CERTIFICATE_EXPIRY, due_column, condition, {"users": users, "days": expiries})


def queue_due(now) -> dict[str, int]:
    """Queue every staff-records reminder due at ``now``; returns how many new rows per kind."""
    today = workdays.local(now).date()
    result = {}
    for name, run in (
        ("personnel_step_due", lambda: step_due(today)),
        (
            "personnel_retirement_notice",
            lambda: retirement(today, KIND.RETIREMENT_NOTICE, rules.REMINDER_RETIREMENT_NOTICE),
        ),
        (
            "personnel_retirement_decision",
            lambda: retirement(today, KIND.RETIREMENT_DECISION, rules.REMINDER_RETIREMENT_DECISION),
        ),
        ("personnel_contract_end", lambda: contract_end(today)),
        ("personnel_certificate_expiry", lambda: certificate_expiry(today)),
    ):
        try:
            result[name] = run()
        except rules.RuleMissing as exc:  # the rule's data is missing: nothing to queue, say so
            log.warning("personnel reminders: rule %s has no row in force", exc)
            result[name] = 0
    return result
