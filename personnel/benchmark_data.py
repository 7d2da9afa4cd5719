"""Bulk loading of staff records for the benchmark (SQL, no ORM loop).

``load(n)`` tops the personnel files up to ``n`` (the demo's 1,082 included)
with generated officials spread over every active unit: Vietnamese names
(their folded search text and sort key computed the same way as
``PersonnelFile.save``), birth dates, ranks and steps, next step and
retirement dates. One ``INSERT … SELECT generate_series`` per batch.
"""

from __future__ import annotations

import time

from django.db import connection

from personnel.models import sort_key
from portal import demo
from portal.text import fold

FAMILY = demo.FAMILY  # the demo's family names, one list for the city
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thanh", "Hữu", "Kim"]
GIVEN = [
    "Hùng",
    "Lan",
    "Dũng",
    "Mai",
    "Tuấn",
    "Hạnh",
    "Phúc",
    "Hoa",
    "Nam",
    "Thảo",
    "Bảo",
    "Trang",
    "Long",
    "Linh",
    "Khang",
    "Ngân",
    "Tài",
    "Yến",
    "Trí",
    "Nhung",
    "Hiếu",
    "Phương",
    "Thắng",
    "Diễm",
]

FILES_SQL = """
WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS idx FROM portal_unit WHERE active),
nu AS (SELECT count(*) AS c FROM u),
r AS (SELECT pr.id, (ps.coefficients ->> 0)::numeric AS coef, row_number() OVER (ORDER BY pr.id) - 1 AS idx
      FROM personnel_rank pr JOIN personnel_salaryscale ps ON ps.id = pr.scale_id),
nr AS (SELECT count(*) AS c FROM r),
g AS (
    SELECT i,
           %(fam)s::text[] AS fam, %(mid)s::text[] AS mid, %(giv)s::text[] AS giv,
           %(ffam)s::text[] AS ffam, %(fmid)s::text[] AS fmid, %(fgiv)s::text[] AS fgiv,
           1 + (hashtext(i::text || 'f') & 2147483647) %% 20 AS a,
           1 + (hashtext(i::text || 'm') & 2147483647) %% 8 AS b,
           1 + (hashtext(i::text || 'g') & 2147483647) %% 24 AS c,
           (hashtext(i::text || 'u') & 2147483647) %% (SELECT c FROM nu) AS unit_pick,
           (hashtext(i::text || 'r') & 2147483647) %% (SELECT c FROM nr) AS rank_pick,
           (hashtext(i::text || 'd') & 2147483647) %% 13000 AS age_days
    FROM generate_series(%(start)s, %(stop)s) AS i
)
INSERT INTO personnel_personnelfile (
    staff_number, full_name, other_name, sex, birth_date, birth_year_only, birth_place, hometown, ethnicity,
    religion, id_number, social_insurance_number, permanent_address, current_address, phone, personal_email,
    official_email, mailbox_in_use, category, status, recruiting_agency, occupation_before, main_duties,
    general_education, unit_id, position, rank_id, salary_step, coefficient, step_since, next_step_due,
    retirement_date, education, political_theory, state_management, sort_name, search_text, created_at, updated_at
)
SELECT 'B' || lpad(g.i::text, 7, '0'),
       g.fam[a] || ' ' || g.mid[b] || ' ' || g.giv[c], '',
       CASE WHEN b IN (2, 4, 8) THEN 'female' ELSE 'male' END,
       current_date - (8000 + age_days) * interval '1 day', false, 'Mỹ Tho', 'Tiền Giang', 'Kinh', 'Không', '', '',
       '', '', '', '', 'b' || g.i || '@bench.mytho.gov.vn', (g.i %% 20) <> 0, 'civil_servant', 'active', '', '', '',
       '12/12', u.id, 'Chuyên viên', r.id, 1, r.coef,
       current_date - ((g.i %% 1000) + 30) * interval '1 day',
       current_date + ((g.i %% 1100) - 100) * interval '1 day',
       current_date + ((g.i %% 12000) + 10) * interval '1 day',
       'university', 'none', 'none',
       left(g.fgiv[c] || ' ' || g.ffam[a] || ' ' || g.fmid[b] || ' ' || g.fgiv[c], 200),
       g.ffam[a] || ' ' || g.fmid[b] || ' ' || g.fgiv[c] || ' b' || lpad(g.i::text, 7, '0') || ' b' || g.i,
       now(), now()
FROM g JOIN u ON u.idx = g.unit_pick JOIN r ON r.idx = g.rank_pick
"""


def load(count: int, batch: int = 50_000, echo=print) -> float:
    """Top the files up to ``count``; returns seconds taken."""
    assert sort_key("Nguyễn Văn Hùng") == "hung nguyen van hung"  # the same key the SQL builds
    started = time.monotonic()
    arrays = {
        "fam": FAMILY,
        "mid": MIDDLE,
        "giv": GIVEN,
        "ffam": [fold(x) for x in FAMILY],
        "fmid": [fold(x) for x in MIDDLE],
        "fgiv": [fold(x) for x in GIVEN],
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM personnel_personnelfile")
        (present,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM personnel_personnelfile WHERE staff_number LIKE 'B%%'")
        (done,) = cursor.fetchone()
        target = count - (present - done)
        while done < target:
            stop = min(target, done + batch)
            cursor.execute(FILES_SQL, {**arrays, "start": done + 1, "stop": stop})
            done = stop
            echo(f"  generated files: {done:,} ({time.monotonic() - started:.0f} s)")
        cursor.execute("VACUUM (ANALYZE) personnel_personnelfile")
        cursor.execute("ANALYZE portal_unit")
    return time.monotonic() - started
