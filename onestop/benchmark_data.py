"""Bulk loading of a realistic dossier history for the benchmark (SQL, no ORM loop).

``load(n)`` inserts ``n`` dossiers spread over the last four years across the
services and their receiving units: 97 % returned (early / on time, a few
late), the rest active (submitted, processing, awaiting approval or
supplements), each active one with its processing steps, some assigned,
some overdue. One ``INSERT … SELECT generate_series`` per table, so a million
rows take well under a minute on a small machine.
"""

from __future__ import annotations

import time

from django.db import connection

DOSSIERS_SQL = """
WITH svc AS (
    SELECT s.id AS service_id, s.processing_days, s.fee, s.level, ru.unit_id,
           u.agency_id, u.code AS unit_code,
           row_number() OVER (ORDER BY s.id, ru.unit_id) - 1 AS idx
    FROM onestop_service s
    JOIN onestop_service_receiving_units ru ON ru.service_id = s.id
    JOIN portal_unit u ON u.id = ru.unit_id
    WHERE s.level >= 2
), total AS (SELECT count(*) AS n FROM svc),
gen AS (
    SELECT g AS i,
           (hashtext(g::text || 'svc') & 2147483647) %% (SELECT n FROM total) AS pick,
           (hashtext(g::text || 'day') & 2147483647) %% 1460 AS days_ago,
           (hashtext(g::text || 'st') & 2147483647) %% 1000 AS roll
    FROM generate_series(%(start)s, %(stop)s) AS g
), rows AS (
    SELECT gen.i, svc.*, gen.roll,
           (now() - make_interval(days => gen.days_ago::int)
                  - make_interval(mins => (gen.i %% 480)::int)) AS submitted
    FROM gen JOIN svc ON svc.idx = gen.pick
)
INSERT INTO onestop_dossier (
    code, unit_ids, channel, status, applicant_name, applicant_id_number, applicant_birth_date,
    applicant_address, applicant_phone, applicant_email, request_summary, consent_at, draft_token,
    created_at, submitted_at, received_at, processing_started_at, due_date, original_due_date,
    rescheduled, decided_at, returned_at, timeliness, visits, fee_amount, payment_status, result_note,
    receiving_unit_id, service_id
)
SELECT
    coalesce(nullif(agency_id, ''), unit_code) || '-B' || lpad(i::text, 9, '0'),
    ARRAY[unit_id],
    CASE WHEN level >= 3 AND roll %% 10 < 6 THEN 'online' ELSE 'desk' END,
    CASE WHEN roll < 970 THEN 'returned'
         WHEN roll < 975 THEN 'submitted'
         WHEN roll < 980 THEN 'supplement'
         WHEN roll < 995 THEN 'processing'
         ELSE 'approval' END,
    'Công dân ' || i,
    '082' || (CASE WHEN i %% 2 = 0 THEN '0' ELSE '1' END) || lpad(((i %% 60) + 40)::text, 2, '0')
        || lpad((i %% 1000000)::text, 6, '0'),
    make_date(1940 + (i %% 60)::int, 1 + (i %% 12)::int, 1 + (i %% 28)::int),
    'Số ' || (i %% 300) || ' đường Ấp Bắc, Mỹ Tho',
    '09' || lpad((i %% 100000000)::text, 8, '0'),
    '', '', submitted, '',
    submitted, submitted, submitted, submitted,
    (submitted + make_interval(days => (processing_days * 7 / 5 + 1)::int))::date,
    (submitted + make_interval(days => (processing_days * 7 / 5 + 1)::int))::date,
    false,
    CASE WHEN roll < 970 THEN submitted + make_interval(days => (processing_days * 7 / 5)::int) END,
    CASE WHEN roll < 970 THEN submitted + make_interval(days => (processing_days * 7 / 5)::int) END,
    CASE WHEN roll < 970 THEN (CASE WHEN roll %% 3 = 0 THEN 'on_time' ELSE 'early' END) ELSE '' END,
    1, fee,
    CASE WHEN level = 4 AND fee > 0 THEN 'paid' ELSE 'none' END,
    '',
    unit_id, service_id
FROM rows
"""

STEPS_SQL = """
INSERT INTO onestop_dossierstep (
    dossier_id, "order", name, working_days, status, started_at, due_date, finished_at, timeliness,
    assignee_id, unit_id
)
SELECT d.id, 1, 'Xử lý', s.processing_days,
       CASE WHEN d.status IN ('processing', 'approval', 'supplement') THEN 'active' ELSE 'done' END,
       d.received_at,
       CASE WHEN d.status IN ('processing', 'approval', 'supplement')
            -- spread active steps around today: some overdue, some due soon
            THEN (now() + make_interval(days => ((d.id %% 15) - 5)::int))::date
            ELSE d.due_date END,
       CASE WHEN d.status = 'returned' THEN d.returned_at END,
       CASE WHEN d.status = 'returned' THEN d.timeliness ELSE '' END,
       CASE WHEN d.id %% 2 = 0 THEN (
           SELECT u.id FROM portal_user u WHERE u.unit_id = d.receiving_unit_id AND u.is_active
           ORDER BY u.id LIMIT 1) END,
       d.receiving_unit_id
FROM onestop_dossier d JOIN onestop_service s ON s.id = d.service_id
WHERE d.id BETWEEN %(lo)s AND %(hi)s
"""


def load(count: int, batch: int = 100_000, echo=print) -> float:
    """Insert ``count`` dossiers (and their steps) in batches; returns seconds taken."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM onestop_dossier")
        (first_id,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM onestop_dossier WHERE code LIKE %s", ["%-B%"])
        (already,) = cursor.fetchone()
        done = already
        while done < count:
            stop = min(count, done + batch)
            cursor.execute(DOSSIERS_SQL, {"start": done + 1, "stop": stop})
            cursor.execute("SELECT min(id), max(id) FROM onestop_dossier WHERE id > %s", [first_id])
            lo, hi = cursor.fetchone()
            cursor.execute(STEPS_SQL, {"lo": lo, "hi": hi})
            first_id = hi
            done = stop
            echo(f"  loaded {done:,} / {count:,} dossiers ({time.monotonic() - started:.0f} s)")
        # As autovacuum would in production: statistics and the visibility map
        # (without which index-only scans still visit the table).
        cursor.execute("VACUUM (ANALYZE) onestop_dossier")
        cursor.execute("VACUUM (ANALYZE) onestop_dossierstep")
        cursor.execute("ANALYZE")  # the small tables too (units, services), as autovacuum would
    # Raw SQL sends no signals: move the cached pages' versions on by hand (portal.pagecache).
    from onestop.models import Dossier
    from portal import pagecache
    from portal.cases import case_version

    pagecache.bump(case_version(Dossier), pagecache.DATA)
    return time.monotonic() - started


def walk_through_services(count: int = 12) -> list:
    """Dossiers made the way production makes them, for the pages that show a history.

    Walk-in dossiers at Ward 1's desk, each taken through the real services by
    the demo officials (accepted, assigned, supplements asked and given,
    submitted, approved, returned, rated), stopping at different states. The
    first one is left in processing with the longest history.
    """
    from onestop import services
    from onestop.models import Dossier, ScanExemption, Service
    from portal.models import User
    from portal.workflow import Citizen

    officer = User.objects.get(username="p1.motcua")
    leader = User.objects.get(username="p1.lanhdao")
    specialist = User.objects.get(username="p1.cv")
    existing = list(Dossier.objects.filter(applicant_name__startswith="Người thử ").order_by("pk"))
    if len(existing) >= count:
        return existing[:count]
    service = (
        Service.objects.filter(active=True, level__gte=3, receiving_units=officer.unit)
        .exclude(steps__unit__isnull=False)
        .order_by("code")
        .first()
    )
    shown_only = ScanExemption.objects.get(code="shown-only")
    walked = []
    for n in range(count):
        data = {
            "applicant_name": f"Người thử {n + 1}",
            "applicant_id_number": f"0820850{n:05d}",
            "applicant_address": "12 Lê Lợi, Phường 1, Mỹ Tho",
            "applicant_phone": f"0912{n:06d}",
            "applicant_email": f"nguoithu{n + 1}@example.com",
            "request_summary": "Hồ sơ đi qua các bước thật",
            "consent": True,
        }
        dossier = services.register_walk_in(service, officer, data, scan_exemption=shown_only)
        services.accept_dossier(dossier, officer, "Hồ sơ đầy đủ")
        services.assign_step(dossier, leader, specialist)
        if n == 0 or n % 3 == 1:
            services.request_supplement(
                dossier, specialist, [{"name": "Bản sao giấy tờ", "reason": "Bản chụp bị mờ"}]
            )
            services.provide_supplement(dossier, Citizen(dossier.pk), note="Đã gửi lại bản rõ")
        if n == 0:
            walked.append(Dossier.objects.get(pk=dossier.pk))
            continue
        services.submit_for_approval(dossier, specialist, "Đủ điều kiện")
        if n % 3 == 2:
            walked.append(Dossier.objects.get(pk=dossier.pk))
            continue
        services.approve_dossier(dossier, leader, "Đồng ý")
        services.return_result(dossier, officer)
        services.rate_dossier(
            dossier,
            Citizen(dossier.pk),
            {"visits": 2, "agencies": 2, "attitude": 2, "publication": 1, "feedback": 2},
        )
        walked.append(Dossier.objects.get(pk=dossier.pk))
    return walked
