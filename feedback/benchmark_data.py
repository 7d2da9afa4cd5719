"""Bulk loading of a realistic feedback history for the benchmark (SQL, no ORM loop).

``load(n)`` inserts ``n`` reports spread over the last four years across the
categories and the wards: about 90 % answered and published (on time or
late, half of them rated, one in 200 reopened), the rest new, being handled (with an active
assignment due around today, so the queues and the reminders have work),
awaiting approval, not accepted or forwarded. Descriptions and answers come
from a few dozen realistic texts; their folded search text is computed in
Python once and passed in, as ``services.public_search_text`` would store it.
One ``INSERT … SELECT generate_series`` per table and batch.
"""

from __future__ import annotations

import time

from django.db import connection

from portal.text import fold

DESCRIPTIONS = [
    "Đèn đường không sáng nhiều đêm liền, hẻm rất tối",
    "Rác thải tồn đọng bốc mùi hôi gần chợ",
    "Mưa lớn ngập nước sâu, xe chết máy giữa đường",
    "Ổ gà lớn giữa đường nguy hiểm cho xe máy",
    "Quán ăn lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường",
    "Karaoke hát lớn sau 22 giờ ảnh hưởng giấc ngủ",
    "Cây xanh nghiêng sắp đổ trước trường học",
    "Nắp cống bị vỡ, nước thải tràn ra đường",
    "Biển báo giao thông bị che khuất bởi cây",
    "Chờ làm thủ tục chứng thực quá lâu",
    "Xe tải đổ xà bần trái phép ven sông Tiền",
    "Đường dây điện võng thấp gần nhà dân",
]
ANSWERS = [
    "Đã kiểm tra hiện trường và khắc phục xong",
    "Đã thu gom, tăng tần suất thu gom trong tuần",
    "Đã nạo vét cống, khơi thông dòng chảy",
    "Đã vá mặt đường và đặt biển cảnh báo",
    "Đã nhắc nhở, lập biên bản và yêu cầu chấm dứt vi phạm",
    "Đã mời chủ cơ sở làm việc, cam kết không tái phạm",
]
STREETS = [
    "Ấp Bắc",
    "Lê Lợi",
    "Hùng Vương",
    "Nguyễn Trãi",
    "30/4",
    "Trưng Trắc",
    "Lý Thường Kiệt",
    "Nam Kỳ Khởi Nghĩa",
]

REPORTS_SQL = """
WITH cat AS (
    SELECT c.id, c.default_unit_id, c.working_days, c.name,
           row_number() OVER (ORDER BY c.id) - 1 AS idx
    FROM feedback_category c WHERE c.active
), ward AS (
    SELECT u.id, row_number() OVER (ORDER BY u.id) - 1 AS idx
    FROM portal_unit u WHERE u.kind IN ('ward', 'commune') AND u.active
), gen AS (
    SELECT g AS i,
           (hashtext(g::text || 'c') & 2147483647) %% (SELECT count(*) FROM cat) AS c_pick,
           (hashtext(g::text || 'w') & 2147483647) %% (SELECT count(*) FROM ward) AS w_pick,
           (hashtext(g::text || 'd') & 2147483647) %% 1460 AS days_ago,
           (hashtext(g::text || 's') & 2147483647) %% 1000 AS roll
    FROM generate_series(%(start)s, %(stop)s) AS g
), rows AS (
    SELECT gen.*, cat.id AS category_id, cat.default_unit_id, cat.working_days, cat.name AS category_name,
           ward.id AS ward_id,
           now() - make_interval(days => gen.days_ago::int, mins => (gen.i %% 600)::int) AS received
    FROM gen JOIN cat ON cat.idx = gen.c_pick JOIN ward ON ward.idx = gen.w_pick
), shaped AS (
    SELECT rows.*,
        CASE WHEN roll < 900 THEN 'answered' WHEN roll < 930 THEN 'assigned' WHEN roll < 945 THEN 'approval'
             WHEN roll < 970 THEN 'new' WHEN roll < 990 THEN 'invalid' ELSE 'forwarded' END AS st,
        %(descriptions)s::text[] AS descriptions, %(answers)s::text[] AS answers,
        %(streets)s::text[] AS streets, %(folded)s::text[] AS folded
    FROM rows
)
INSERT INTO feedback_report (
    code, key_hash, submission_key, address, lat, lon, description, attributes, reporter_name,
    reporter_phone, reporter_email, name_public, channel, api_token, status, unit_ids, received_at,
    forward_due, due_date, updated_at, round, decision_note, forwarded_to, answer_draft, answer,
    answered_at, published_at, timeliness, reopened_at, search_text, answered_unit_id, api_client_id,
    category_id, duplicate_of_id, recorded_by_id, unit_id, ward_id
)
SELECT
    'PB-' || lpad(i::text, 9, '0'),
    md5(i::text) || md5(i::text || 'k'),
    NULL,
    'Số ' || (i %% 300) || ' đường ' || streets[1 + (i %% array_length(streets, 1))],
    CASE WHEN i %% 3 = 0 THEN round((10.30 + (i %% 1000) / 10000.0)::numeric, 6) END,
    CASE WHEN i %% 3 = 0 THEN round((106.30 + (i %% 997) / 10000.0)::numeric, 6) END,
    descriptions[1 + (i %% array_length(descriptions, 1))] || ' (mã ' || i || ')',
    '{}'::jsonb,
    'Người dân ' || i,
    '09' || lpad((i %% 100000000)::text, 8, '0'),
    '',
    i %% 3 = 0,
    CASE WHEN i %% 10 < 6 THEN 'web' WHEN i %% 10 < 9 THEN 'phone' ELSE 'api' END,
    NULL,
    st,
    ARRAY[%(intake)s, ward_id, default_unit_id]::bigint[],
    received,
    (received + interval '7 days')::date,
    CASE WHEN st IN ('answered', 'assigned', 'approval')
         THEN (received + make_interval(days => (working_days * 7 / 5 + 1)::int))::date END,
    received + interval '2 days',
    1,
    CASE WHEN st = 'invalid' THEN 'Nội dung không rõ ràng'
         WHEN st = 'forwarded' THEN 'Thuộc thẩm quyền ngành điện' ELSE '' END,
    CASE WHEN st = 'forwarded' THEN 'Điện lực Tiền Giang' ELSE '' END,
    CASE WHEN st IN ('answered', 'approval') THEN answers[1 + (i %% array_length(answers, 1))] ELSE '' END,
    CASE WHEN st = 'answered' THEN answers[1 + (i %% array_length(answers, 1))] ELSE '' END,
    CASE WHEN st = 'answered' THEN received + make_interval(days => (working_days + i %% 3)::int) END,
    CASE WHEN st = 'answered' THEN received + make_interval(days => (working_days + i %% 3)::int) END,
    CASE WHEN st = 'answered' THEN (CASE WHEN i %% 7 = 0 THEN 'late' ELSE 'on_time' END) ELSE '' END,
    NULL,
    CASE WHEN st = 'answered'
         THEN folded[1 + (i %% array_length(descriptions, 1)) + array_length(descriptions, 1)
                     * (i %% array_length(answers, 1))]
         ELSE '' END,
    CASE WHEN st = 'answered' THEN default_unit_id END,
    NULL,
    category_id, NULL, NULL,
    CASE WHEN st = 'new' THEN %(intake)s ELSE default_unit_id END,
    ward_id
FROM shaped
"""

ASSIGNMENTS_SQL = """
INSERT INTO feedback_assignment (
    report_id, parent_id, unit_id, handler_id, assigned_by_id, assigned_at, due_date, status,
    finished_at, timeliness, note
)
SELECT r.id, NULL, r.unit_id,
       CASE WHEN r.id %% 2 = 0 THEN (
           SELECT u.id FROM portal_user u WHERE u.unit_id = r.unit_id AND u.is_active ORDER BY u.id LIMIT 1) END,
       NULL, r.received_at,
       -- spread active assignments around today: some overdue, some due soon
       (now() + make_interval(days => ((r.id %% 15) - 5)::int))::date,
       'active', NULL, '', ''
FROM feedback_report r
WHERE r.id BETWEEN %(lo)s AND %(hi)s AND r.status IN ('assigned', 'approval')
"""

# One answered report in 200 was rated unhappy and reopened: handled again by the unit that answered.
REOPEN_SQL = """
WITH picked AS (
    UPDATE feedback_report r
    SET status = 'assigned', round = 2, reopened_at = r.answered_at + interval '2 days', timeliness = '',
        unit_id = r.answered_unit_id,
        due_date = (now() + make_interval(days => ((r.id %% 9) - 3)::int))::date
    WHERE r.code LIKE 'PB-%%' AND r.status = 'answered' AND r.id %% 200 = 0 AND r.reopened_at IS NULL
    RETURNING r.id, r.unit_id, r.due_date, r.reopened_at
)
INSERT INTO feedback_assignment (
    report_id, parent_id, unit_id, handler_id, assigned_by_id, assigned_at, due_date, status,
    finished_at, timeliness, note
)
SELECT id, NULL, unit_id, NULL, NULL, reopened_at, due_date, 'active', NULL, '', 'Mở lại'
FROM picked
"""

RATINGS_SQL = """
INSERT INTO feedback_rating (report_id, round, score, comment, created_at)
SELECT r.id, 1, 1 + (r.id %% 5), '', r.answered_at + interval '1 day'
FROM feedback_report r
WHERE r.id BETWEEN %(lo)s AND %(hi)s AND r.status = 'answered' AND r.id %% 2 = 0
"""


def _folded() -> list[str]:
    """Folded search text for every (description, answer) pair, indexed as the SQL picks them."""
    out = []
    for answer in ANSWERS:
        for description in DESCRIPTIONS:
            out.append(fold(f"{description} {answer}"))
    return out  # the SQL picks folded[1 + d + len(D) * a], 1-based: out[d + len(D) * a]


def load(count: int, batch: int = 100_000, echo=print) -> float:
    """Insert ``count`` reports (with assignments and ratings) in batches; returns seconds taken."""
    from feedback.models import Desk

    started = time.monotonic()
    intake = Desk.intake_unit().pk
    params = {
        "descriptions": DESCRIPTIONS,
        "answers": ANSWERS,
        "streets": STREETS,
        "folded": _folded(),
        "intake": intake,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_report WHERE code LIKE 'PB-%%'")
        (done,) = cursor.fetchone()
        while done < count:
            stop = min(count, done + batch)
            cursor.execute("SELECT coalesce(max(id), 0) FROM feedback_report")
            (before,) = cursor.fetchone()
            cursor.execute(REPORTS_SQL, {**params, "start": done + 1, "stop": stop})
            cursor.execute("SELECT max(id) FROM feedback_report")
            (after,) = cursor.fetchone()
            cursor.execute(ASSIGNMENTS_SQL, {"lo": before + 1, "hi": after})
            cursor.execute(RATINGS_SQL, {"lo": before + 1, "hi": after})
            done = stop
            echo(f"  loaded {done:,} / {count:,} reports ({time.monotonic() - started:.0f} s)")
        cursor.execute(REOPEN_SQL, {})
        for table in ("feedback_report", "feedback_assignment", "feedback_rating"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.monotonic() - started
