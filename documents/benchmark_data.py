"""Bulk loading of a city-scale document history for ``benchmark_documents`` (SQL, no ORM loop).

``load(n)`` inserts ``n`` documents spread evenly over the last five years
(oldest first) across every active unit: about 84 % incoming and 16 %
outgoing, as in the city's 2022 report (70,800 received, 13,200 issued in
half a year). Each document has its file and the file's text (one of a few
dozen realistic paragraphs), and its folded search text is what
``documents.text.search_text`` would store: the number and symbol, the
summary, the sender, the unit, the type and the file's text, folded in
Python once (``portal.text.fold``) and picked by the SQL.

- Outgoing: issued (one in 300 withdrawn, voided) with their numbers and
  symbols (``05/QĐ-UBND``) per unit, year and series, continuing the
  counters (``NumberCounter``), which are moved on past them; the last five
  days also hold drafts at every step.
- Incoming: handled, or, in the last 45 days, being handled with an open
  lead assignment (deadlines from five days ago to ten days ahead, half of
  them to a named specialist), registered awaiting assignment, or arrived
  awaiting registration; arrival numbers per unit and year continue the
  counters too.

One ``INSERT … SELECT generate_series`` per table and batch, in one
transaction per batch; the GIN indexes are dropped while loading and built
once at the end (as for any bulk load). Resumable: documents already loaded
(their files are named ``bench/…``) are counted and skipped. No events,
recipients or status messages are loaded: no measured page reads them.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from portal.text import fold

SUMMARIES = [
    "Về việc triển khai kế hoạch chuyển đổi số năm",
    "Về việc báo cáo tình hình kinh tế - xã hội tháng",
    "Về việc phòng, chống dịch bệnh trên địa bàn thành phố",
    "Về việc tổ chức Lễ hội Nghinh Ông và các hoạt động văn hóa",
    "Về việc phê duyệt dự toán sửa chữa trụ sở làm việc",
    "Về việc tăng cường công tác quản lý trật tự đô thị, lấn chiếm vỉa hè",
    "Về việc thu hồi đất để thực hiện dự án nâng cấp đường Ấp Bắc",
    "Về việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình",
    "Về việc phòng chống lụt bão, giảm nhẹ thiên tai mùa mưa",
    "Về việc kiện toàn Ban chỉ đạo cải cách hành chính",
    "Về việc góp ý dự thảo quy chế làm việc của Ủy ban nhân dân",
    "Về việc tuyển dụng công chức cấp xã",
    "Về việc nâng bậc lương thường xuyên đối với cán bộ, công chức",
    "Về việc kiểm tra an toàn vệ sinh thực phẩm dịp Tết Nguyên đán",
    "Về việc xử lý phản ánh kiến nghị của người dân về ngập nước",
    "Về việc mời dự họp giao ban công tác quý",
    "Về việc thực hiện chính sách hỗ trợ hộ nghèo, hộ cận nghèo",
    "Về việc điều chỉnh quy hoạch sử dụng đất đến năm 2030",
    "Về việc tổng kết công tác thi đua khen thưởng",
    "Về việc đôn đốc giải ngân vốn đầu tư công",
    "Về việc bảo đảm an ninh trật tự, an toàn giao thông",
    "Về việc triển khai dịch vụ công trực tuyến toàn trình",
    "Về việc quản lý chất thải rắn sinh hoạt, thu gom rác",
    "Về việc hỗ trợ người lao động bị ảnh hưởng",
    "Về việc sáp nhập ấp, khu phố trên địa bàn phường",
    "Về việc phổ biến, giáo dục pháp luật cho thanh niên",
    "Về việc cho thuê mặt bằng kinh doanh tại chợ Mỹ Tho",
    "Về việc kiểm kê tài sản công và thanh lý tài sản",
    "Về việc chuẩn bị kỳ thi tốt nghiệp trung học phổ thông",
    "Về việc tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
]
TEXTS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; theo đề nghị của Trưởng phòng "
    "Nội vụ. Ủy ban nhân dân thành phố yêu cầu các cơ quan, đơn vị khẩn trương triển khai thực hiện, báo "
    "cáo kết quả trước ngày 25 hằng tháng.",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh Tiền Giang về việc đẩy mạnh cải cách thủ tục hành chính, "
    "các phòng ban chuyên môn rà soát quy trình nội bộ, công khai thủ tục trên Cổng dịch vụ công và số "
    "hóa hồ sơ, kết quả giải quyết.",
    "Tình hình mưa lớn kết hợp triều cường gây ngập úng cục bộ tại một số tuyến đường; đề nghị Phòng Quản "
    "lý đô thị phối hợp Công ty Công trình đô thị khơi thông cống rãnh, bố trí lực lượng ứng trực.",
    "Kinh phí thực hiện từ nguồn ngân sách thành phố năm hiện hành; Phòng Tài chính - Kế hoạch thẩm định "
    "dự toán, hướng dẫn thanh quyết toán theo đúng quy định của Luật Ngân sách nhà nước.",
    "Giao Ủy ban nhân dân các phường, xã tuyên truyền sâu rộng trong nhân dân, vận động hộ gia đình chấp "
    "hành nghiêm quy định về trật tự xây dựng, không lấn chiếm vỉa hè, lòng đường để kinh doanh.",
    "Trung tâm Y tế thành phố chủ trì tổ chức tiêm chủng, giám sát dịch bệnh, kiểm tra an toàn thực phẩm "
    "tại các cơ sở sản xuất, kinh doanh; báo cáo kết quả về Ủy ban nhân dân thành phố.",
    "Phòng Tài nguyên và Môi trường phối hợp Ủy ban nhân dân Phường 1 kiểm tra hiện trạng sử dụng đất, "
    "xác minh nguồn gốc đất, lập hồ sơ cấp giấy chứng nhận theo đúng trình tự, thủ tục.",
    "Thời gian tổ chức họp: 14 giờ 00, thứ Năm; địa điểm: hội trường Ủy ban nhân dân thành phố. Đề nghị "
    "thủ trưởng các đơn vị dự họp đúng thành phần, chuẩn bị báo cáo tham luận.",
    "Phòng Giáo dục và Đào tạo hướng dẫn các trường rà soát cơ sở vật chất, bố trí giáo viên, bảo đảm an "
    "toàn cho học sinh trong năm học mới và công tác tuyển sinh đầu cấp.",
    "Phòng Lao động - Thương binh và Xã hội tổng hợp danh sách hộ nghèo, hộ cận nghèo, đối tượng bảo trợ "
    "xã hội để chi trả trợ cấp kịp thời, đúng đối tượng, công khai minh bạch.",
    "Ban Quản lý dự án đầu tư xây dựng đẩy nhanh tiến độ thi công, giải ngân vốn đầu tư công, xử lý dứt "
    "điểm vướng mắc trong bồi thường, giải phóng mặt bằng.",
    "Công an thành phố tăng cường tuần tra kiểm soát, xử lý vi phạm trật tự an toàn giao thông, bảo đảm "
    "an ninh chính trị trong dịp lễ, Tết và các sự kiện lớn của thành phố.",
    "Văn phòng HĐND và UBND tổng hợp ý kiến góp ý của các đơn vị, hoàn chỉnh dự thảo quy chế làm việc, "
    "trình Ủy ban nhân dân thành phố xem xét ban hành trong tháng.",
    "Phòng Nội vụ hướng dẫn quy trình tuyển dụng, nâng ngạch, nâng bậc lương, đánh giá xếp loại chất "
    "lượng cán bộ, công chức, viên chức cuối năm theo quy định hiện hành.",
    "Phòng Văn hóa và Thông tin phối hợp các đơn vị tổ chức hoạt động văn hóa, thể thao, trang trí cổ "
    "động trực quan chào mừng ngày lễ lớn; bảo đảm tiết kiệm, an toàn.",
    "Đề nghị các đơn vị thực hiện nghiêm chế độ thông tin báo cáo; số liệu gửi qua hệ thống quản lý văn "
    "bản và điều hành, có chữ ký số của cơ quan, đơn vị theo quy định.",
]
SENDERS = [
    ("Ủy ban nhân dân tỉnh Tiền Giang", "UBND"),
    ("Sở Nội vụ tỉnh Tiền Giang", "SNV"),
    ("Sở Tài chính tỉnh Tiền Giang", "STC"),
    ("Sở Kế hoạch và Đầu tư tỉnh Tiền Giang", "SKHĐT"),
    ("Sở Tài nguyên và Môi trường tỉnh Tiền Giang", "STNMT"),
    ("Sở Y tế tỉnh Tiền Giang", "SYT"),
    ("Sở Giáo dục và Đào tạo tỉnh Tiền Giang", "SGDĐT"),
    ("Sở Xây dựng tỉnh Tiền Giang", "SXD"),
    ("Công an tỉnh Tiền Giang", "CAT"),
    ("Thành ủy Mỹ Tho", "TU"),
    ("Hội đồng nhân dân thành phố Mỹ Tho", "HĐND"),
    ("Bảo hiểm xã hội thành phố Mỹ Tho", "BHXH"),
]
# Type codes weighted as a city's registers are: công văn first, then decisions, notices, plans, reports.
TYPE_WEIGHTS = ["CV"] * 10 + ["QD"] * 4 + ["TB"] * 2 + ["KH", "BC", "GM", "TTR", "HD", "CT", "NQ"]
BASE_YEARS = 5
FILE_PREFIX = "bench/"

SETUP_SQL = """
CREATE TEMP TABLE IF NOT EXISTS bench_unit (
    idx int PRIMARY KEY, id bigint, name text, name_f text, short text, short_f text, handler_id bigint
);
CREATE TEMP TABLE IF NOT EXISTS bench_type (
    idx int PRIMARY KEY, id bigint, abbrev text, abbrev_f text, is_letter boolean, name_f text
);
"""

DOCUMENTS_SQL = """
WITH gen AS (
    SELECT g AS i,
           (hashtext(g::text || 'u') & 2147483647) %% %(n_units)s AS u_pick,
           (hashtext(g::text || 't') & 2147483647) %% %(n_types)s AS t_pick,
           (hashtext(g::text || 's') & 2147483647) %% %(n_summaries)s AS s_pick,
           (hashtext(g::text || 'x') & 2147483647) %% %(n_texts)s AS x_pick,
           (hashtext(g::text || 'e') & 2147483647) %% %(n_senders)s AS e_pick,
           (hashtext(g::text || 'r') & 2147483647) %% 1000 AS roll,
           now() - make_interval(secs => (%(span)s::float8 * (%(total)s - g) / %(total)s)) AS at
    FROM generate_series(%(start)s, %(stop)s) AS g
), shaped AS (
    SELECT gen.*, u.id AS unit_id, u.name_f AS unit_f, u.short, u.short_f, u.handler_id,
           t.id AS type_id, t.abbrev, t.abbrev_f, t.is_letter, t.name_f AS type_f,
           extract(year FROM gen.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS yr,
           extract(epoch FROM now() - gen.at) / 86400 AS age,
           CASE WHEN gen.roll < 160 THEN 'out' ELSE 'in' END AS dir
    FROM gen JOIN bench_unit u ON u.idx = gen.u_pick JOIN bench_type t ON t.idx = gen.t_pick
), statused AS (
    SELECT shaped.*,
        CASE
            WHEN dir = 'out' AND age < 5 AND roll %% 4 = 0 THEN 'draft'
            WHEN dir = 'out' AND age < 5 AND roll %% 4 = 1 THEN 'review'
            WHEN dir = 'out' AND age < 5 AND roll %% 4 = 2 THEN 'to_sign'
            WHEN dir = 'out' AND age < 2 AND roll %% 4 = 3 THEN 'signed'
            WHEN dir = 'out' AND i %% 300 = 0 THEN 'withdrawn'
            WHEN dir = 'out' THEN 'issued'
            WHEN age < 2 AND roll %% 20 = 0 THEN 'arrived'
            WHEN age < 3 AND roll %% 10 = 1 THEN 'registered'
            WHEN age < 45 AND roll %% 5 <> 0 THEN 'in_progress'
            ELSE 'done'
        END AS st
    FROM shaped
), numbered AS (
    SELECT statused.*,
        (st IN ('issued', 'withdrawn') OR (dir = 'in' AND st <> 'arrived')) AS has_number,
        row_number() OVER (
            PARTITION BY (st IN ('issued', 'withdrawn') OR (dir = 'in' AND st <> 'arrived')), dir, unit_id, yr
            ORDER BY at, i
        ) AS rn
    FROM statused
), final AS (
    SELECT numbered.*,
        CASE WHEN has_number THEN coalesce(c.last, 0) + rn END AS num,
        CASE
            WHEN dir = 'out' AND has_number THEN lpad((coalesce(c.last, 0) + rn)::text, 2, '0') || '/'
                 || CASE WHEN is_letter THEN short ELSE abbrev || '-' || short END
            WHEN dir = 'out' THEN ''
            ELSE lpad((1 + i %% 900)::text, 2, '0') || '/' || (%(sender_symbols)s::text[])[1 + e_pick]
                 || CASE WHEN i %% 2 = 0 THEN '-VP' ELSE '' END
        END AS nota,
        CASE
            WHEN dir = 'out' AND has_number THEN lpad((coalesce(c.last, 0) + rn)::text, 2, '0') || '/'
                 || CASE WHEN is_letter THEN short_f ELSE abbrev_f || '-' || short_f END
            WHEN dir = 'out' THEN ''
            ELSE lpad((1 + i %% 900)::text, 2, '0') || '/' || (%(sender_symbols_f)s::text[])[1 + e_pick]
                 || CASE WHEN i %% 2 = 0 THEN '-vp' ELSE '' END
        END AS nota_f
    FROM numbered
    LEFT JOIN documents_numbercounter c
        ON c.unit_id = numbered.unit_id AND c.year = numbered.yr
       AND c.series = CASE WHEN numbered.dir = 'out' THEN 'normal' ELSE 'arrival' END
)
INSERT INTO documents_document (
    id, direction, status, summary, urgency, secrecy, medium, pages, unit_ids, number, year, series,
    notation, document_date, signer_title, signer_name, signed_at, issued_at, digitally_signed,
    recipients_text, copies, public, voided_at, void_reason, sender_name, sender_agency_id,
    arrival_number, arrived_at, registered_at, deadline, closed_at, timeliness, signature_report,
    created_at, updated_at, search_text, drafted_by_id, drafting_unit_id, issued_by_id, lead_unit_id,
    lead_user_id, replaces_id, reply_id, reviewer_id, signer_id, source_id, unit_id, doc_type_id,
    signing_authority_id
)
SELECT
    %(base)s + (i - %(start)s + 1),
    dir,
    st,
    (%(summaries)s::text[])[1 + s_pick] || ' ' || yr,
    CASE WHEN roll %% 17 = 0 THEN 'urgent' WHEN roll %% 97 = 0 THEN 'flash' ELSE 'normal' END,
    'none',
    CASE WHEN roll %% 6 = 0 THEN 'paper' ELSE 'electronic' END,
    1 + roll %% 9,
    ARRAY[unit_id]::bigint[],
    CASE WHEN has_number AND dir = 'out' THEN num END,
    CASE WHEN has_number THEN yr END,
    CASE WHEN has_number AND dir = 'out' THEN 'normal' ELSE '' END,
    nota,
    CASE WHEN dir = 'out' THEN CASE WHEN has_number THEN (at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END
         ELSE (at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 2 END,
    '',
    CASE WHEN dir = 'out' AND st NOT IN ('draft', 'review', 'to_sign') THEN 'Lãnh đạo ' || short ELSE '' END,
    CASE WHEN dir = 'out' AND st NOT IN ('draft', 'review', 'to_sign') THEN at END,
    CASE WHEN has_number AND dir = 'out' THEN at END,
    has_number AND dir = 'out',
    CASE WHEN dir = 'out' THEN 'Như trên; Lưu: VT.' ELSE '' END,
    1,
    dir = 'out' AND has_number AND type_id = %(public_type)s,
    CASE WHEN st = 'withdrawn' THEN at + interval '3 days' END,
    CASE WHEN st = 'withdrawn' THEN 'Ban hành sai thể thức' ELSE '' END,
    CASE WHEN dir = 'in' THEN (%(sender_names)s::text[])[1 + e_pick] ELSE '' END,
    '',
    CASE WHEN has_number AND dir = 'in' THEN num END,
    CASE WHEN dir = 'in' THEN at END,
    CASE WHEN dir = 'in' AND st <> 'arrived' THEN at + interval '1 hour' END,
    CASE WHEN st = 'in_progress' THEN (now() + make_interval(days => ((i %% 16) - 5)::int))::date
         WHEN st = 'done' THEN (at + interval '10 days')::date END,
    CASE WHEN st = 'done' THEN at + make_interval(days => (3 + i %% 10)::int) END,
    CASE WHEN st = 'done' THEN CASE WHEN i %% 9 = 0 THEN 'late' ELSE 'on_time' END ELSE '' END,
    '{}'::jsonb,
    at,
    at,
    nota_f || ' ' || translate(nota_f, '/-', '  ') || ' '
        || (%(summaries_f)s::text[])[1 + s_pick] || ' ' || yr || ' '
        || CASE WHEN dir = 'in' THEN (%(sender_names_f)s::text[])[1 + e_pick] || ' ' ELSE '' END
        || unit_f || ' ' || type_f || ' ' || (%(texts_f)s::text[])[1 + x_pick],
    CASE WHEN dir = 'out' THEN handler_id END,
    CASE WHEN dir = 'out' THEN unit_id END,
    NULL,
    CASE WHEN st IN ('in_progress', 'done') THEN unit_id END,
    CASE WHEN st IN ('in_progress', 'done') AND i %% 2 = 0 THEN handler_id END,
    NULL, NULL, NULL, NULL, NULL,
    unit_id,
    type_id,
    NULL
FROM final
"""

FILES_SQL = """
INSERT INTO documents_documentfile (
    original_name, content_type, size, sha256, uploaded_at, kind, version, file, note, text,
    text_state, document_id, uploaded_by_id
)
SELECT 'van-ban.pdf', 'application/pdf', 40000 + (d.id %% 90000), md5(d.id::text) || md5(d.id::text || 'f'),
       d.created_at, CASE WHEN d.direction = 'out' AND d.number IS NOT NULL THEN 'signed'
                          WHEN d.direction = 'out' THEN 'draft' ELSE 'main' END,
       1, %(prefix)s || d.id || '.pdf', '',
       (%(texts)s::text[])[1 + (hashtext((d.id - %(base)s + %(start)s - 1)::text || 'x') & 2147483647) %% %(n_texts)s],
       'done', d.id, NULL
FROM documents_document d WHERE d.id > %(base)s AND d.id <= %(base)s + (%(stop)s - %(start)s + 1)
"""

ASSIGNMENTS_SQL = """
INSERT INTO documents_assignment (
    role, deadline, status, note, created_at, done_at, timeliness, created_by_id, from_unit_id, parent_id,
    unit_id, user_id, document_id
)
SELECT 'lead', d.deadline, 'open', '', d.registered_at, NULL, '', NULL, d.unit_id, NULL, d.lead_unit_id,
       d.lead_user_id, d.id
FROM documents_document d
WHERE d.id > %(base)s AND d.id <= %(base)s + (%(stop)s - %(start)s + 1) AND d.status = 'in_progress'
"""

COUNTERS_SQL = """
INSERT INTO documents_numbercounter (unit_id, year, series, last)
SELECT d.unit_id, d.year, CASE WHEN d.direction = 'out' THEN 'normal' ELSE 'arrival' END,
       max(coalesce(d.number, d.arrival_number))
FROM documents_document d
WHERE d.id > %(base)s AND d.id <= %(base)s + (%(stop)s - %(start)s + 1)
  AND (d.number IS NOT NULL OR d.arrival_number IS NOT NULL)
GROUP BY 1, 2, 3
ON CONFLICT (unit_id, year, series)
DO UPDATE SET last = GREATEST(documents_numbercounter.last, EXCLUDED.last)
"""

GIN_INDEXES = {
    "document_search": "CREATE INDEX IF NOT EXISTS document_search ON documents_document USING gin (search_vector)",
    "document_units": "CREATE INDEX IF NOT EXISTS document_units ON documents_document USING gin (unit_ids)",
}


def _setup(cursor) -> dict:
    """Fill the temporary look-up tables (units with a handler, types by weight); return the SQL parameters."""
    from documents.models import DocumentType
    from portal import roles
    from portal.models import Unit, User

    cursor.execute(SETUP_SQL)
    cursor.execute("TRUNCATE bench_unit, bench_type")
    units = list(Unit.objects.filter(active=True).order_by("path"))
    handlers = dict(
        User.objects.filter(roles.has_role_q(roles.SPECIALIST), is_active=True, unit__isnull=False)
        .order_by("unit_id", "-id")
        .values_list("unit_id", "id")
    )
    for idx, unit in enumerate(units):
        short = (unit.short_name or unit.code).replace(" ", "")
        cursor.execute(
            "INSERT INTO bench_unit VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [idx, unit.pk, unit.name, fold(unit.name), short, fold(short), handlers.get(unit.pk)],
        )
    types = {t.code: t for t in DocumentType.objects.all()}
    for idx, code in enumerate(TYPE_WEIGHTS):
        t = types[code]
        cursor.execute(
            "INSERT INTO bench_type VALUES (%s, %s, %s, %s, %s, %s)",
            [
                idx,
                t.pk,
                t.abbreviation,
                fold(t.abbreviation),
                t.is_letter or not t.abbreviation,
                fold(t.name),
            ],
        )
    return {
        "n_units": len(units),
        "n_types": len(TYPE_WEIGHTS),
        "n_summaries": len(SUMMARIES),
        "n_texts": len(TEXTS),
        "n_senders": len(SENDERS),
        "span": BASE_YEARS * 365 * 86400,
        "summaries": SUMMARIES,
        "summaries_f": [fold(s) for s in SUMMARIES],
        "texts": TEXTS,
        "texts_f": [fold(t) for t in TEXTS],
        "sender_names": [name for name, _symbol in SENDERS],
        "sender_names_f": [fold(name) for name, _symbol in SENDERS],
        "sender_symbols": [symbol for _name, symbol in SENDERS],
        "sender_symbols_f": [fold(symbol) for _name, symbol in SENDERS],
        "public_type": types["QD"].pk,
        "prefix": FILE_PREFIX,
    }


def loaded() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM documents_documentfile WHERE file LIKE %s", [FILE_PREFIX + "%"])
        return cursor.fetchone()[0]


def load(count: int, batch: int = 100_000, echo=print) -> float:
    """Insert ``count`` documents (with their files, text and open assignments) in batches; seconds taken."""
    started = time.monotonic()
    done = loaded()
    with connection.cursor() as cursor:
        if done < count:
            params = _setup(cursor)
            params["total"] = count
            if count - done > 20_000:  # bulk: build the GIN indexes once at the end
                for name in GIN_INDEXES:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
            while done < count:
                stop = min(count, done + batch)
                with transaction.atomic():
                    cursor.execute("SELECT coalesce(max(id), 0) FROM documents_document")
                    (base,) = cursor.fetchone()
                    step = {**params, "start": done + 1, "stop": stop, "base": base}
                    cursor.execute(DOCUMENTS_SQL, step)
                    cursor.execute(FILES_SQL, step)
                    cursor.execute(ASSIGNMENTS_SQL, step)
                    cursor.execute(COUNTERS_SQL, step)
                done = stop
                echo(f"  loaded {done:,} / {count:,} documents ({time.monotonic() - started:.0f} s)")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('documents_document', 'id'), "
                "(SELECT max(id) FROM documents_document))"
            )
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in GIN_INDEXES.values():
            cursor.execute(sql)
        for table in ("documents_document", "documents_documentfile", "documents_assignment"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return time.monotonic() - started
