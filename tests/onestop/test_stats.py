"""Statistics per unit and period: figures, the public page, the officials' CSV, the report command.

The story, in the first quarter of 2025 at Ward 1 (service: the ward checks
in 1 working day, the department decides in 3; appointment 4 working days
after the transfer day):

- accepted Mon 3/3 (appointment Fri 7/3): one returned the same day (early),
  one returned on 7/3 (on time), one returned on 11/3 (late), one refused
  on 4/3, one still open (overdue from 8/3);
- walked in at the desk on Fri 28/3 (appointment Thu 3/4), still open;
- a dossier refused at reception (never received: not counted);
- Ward 2 received one dossier (for scoping).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onestop import services, stats
from onestop.models import DossierStatus
from onestop.workflow import Citizen
from portal import roles
from portal.workdays import TZ
from tests.factories import UserFactory
from tests.onestop.factories import applicant, make_dossier, pdf_upload


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public page and its figures are cached (until the next dossier event); each test starts afresh."""
    cache.clear()


MON_3_3 = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
APRIL_15 = datetime(2025, 4, 15, 10, 0, tzinfo=TZ)
Q1 = stats.Period.of(2025, "q1")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def hand_over(cast, dossier, when):
    with time_machine.travel(when, tick=False):
        services.hand_over(dossier, cast.ward_specialist, "Đủ điều kiện")


def decide_and_return(cast, dossier, when):
    with time_machine.travel(when, tick=False):
        services.submit_for_approval(dossier, cast.specialist)
        services.approve_dossier(dossier, cast.leader, "Đồng ý")
        services.return_result(dossier, cast.officer)


def rate(dossier, *scores):
    keys = ("attitude", "publication", "feedback")
    services.rate_dossier(dossier, Citizen(dossier.pk), dict(zip(keys, scores, strict=True)))


def received_elsewhere(cast):
    """A dossier received by Ward 2 (with its own code prefix: the factory's may repeat Ward 1's)."""
    cast.other_ward.agency_id = "000.02.26.H58"
    cast.other_ward.save()
    cast.service.receiving_units.add(cast.other_ward)
    dossier = services.create_draft(cast.service, cast.other_ward, applicant())
    document = cast.service.documents.get(order=1)
    services.attach_file(dossier, pdf_upload(), Citizen(dossier.pk), required_document=document)
    services.submit_dossier(dossier, Citizen(dossier.pk))
    return services.accept_dossier(dossier, cast.other_officer)


@pytest.fixture
def quarter(cast):
    with time_machine.travel(MON_3_3, tick=False):
        early = make_dossier(cast, DossierStatus.RETURNED)
        on_time = make_dossier(cast, DossierStatus.PROCESSING)
        late = make_dossier(cast, DossierStatus.PROCESSING)
        refused = make_dossier(cast, DossierStatus.PROCESSING)
        still_open = make_dossier(cast, DossierStatus.PROCESSING)
        make_dossier(cast, DossierStatus.REJECTED)
        elsewhere = received_elsewhere(cast)
    hand_over(cast, on_time, at(date(2025, 3, 4)))
    decide_and_return(cast, on_time, at(date(2025, 3, 7)))
    hand_over(cast, late, at(date(2025, 3, 3), 11))
    decide_and_return(cast, late, at(date(2025, 3, 11)))
    with time_machine.travel(at(date(2025, 3, 4)), tick=False):
        services.refuse_dossier(refused, cast.ward_specialist, "Không đủ điều kiện")
    with time_machine.travel(at(date(2025, 3, 28), 9), tick=False):
        scans = [(cast.service.documents.get(order=1), pdf_upload())]
        walk_in = services.register_walk_in(
            cast.service, cast.officer, applicant(applicant_email=""), scans=scans
        )
        services.accept_dossier(walk_in, cast.officer)
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        rate(early, 2, 2, 2)  # 2.0
        rate(on_time, 2, 2, 1)  # 1.7
    return {"early": early, "on_time": on_time, "late": late, "open": still_open, "elsewhere": elsewhere}


def row_of(rows, unit):
    (row,) = [r for r in rows if r.unit == unit]
    return row


# --- figures ---------------------------------------------------------------------------


def test_quarter_figures_per_receiving_unit(cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        report = stats.report(Q1)
    ward = row_of(report.units, cast.ward)
    assert (ward.received, ward.online) == (6, 5)
    assert ward.online_share == 83.3
    assert (ward.early, ward.on_time, ward.late, ward.refused, ward.resolved) == (1, 1, 1, 1, 4)
    assert (ward.in_progress, ward.overdue) == (2, 1)  # the walk-in is due 3/4, after the quarter
    # Every returned dossier is scored (3), two of them rated: (6 + 5) / 6 answers.
    assert (ward.evaluated, ward.rated, ward.rating) == (3, 2, 1.8)
    # Data: total time early 2, on time 1, late 0; the worst step early 2, on time 1, late 0;
    # nobody came back and nobody else asked for anything (2, 2). Answers: the two ratings.
    assert dict(ward.indicators) == {
        "total_time": 1.0,
        "unit_time": 1.0,
        "visits": 2.0,
        "agencies": 2.0,
        "publication": 2.0,
        "attitude": 2.0,
        "feedback": 1.5,
    }
    assert ward.score == 11.5
    # Decision 766 shares: the one walk-in dossier was scanned at the desk; no fee in the period.
    assert (ward.walk_in, ward.digitised, ward.digitised_share, ward.paid_online_share) == (1, 1, 100.0, None)
    other = row_of(report.units, cast.other_ward)
    assert (other.received, other.in_progress, other.resolved) == (1, 1, 0)
    city = report.city
    assert (city.received, city.resolved, city.in_progress, city.rating, city.score) == (7, 4, 3, 1.8, 11.5)


def test_per_processing_unit_counts_each_units_own_steps(cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        report = stats.report(Q1)
    ward = row_of(report.steps, cast.ward)
    # step 1 (due 4/3): early twice, on time twice (handed over 4/3, refused 4/3); two still open
    assert (ward.early, ward.on_time, ward.late, ward.in_progress, ward.overdue) == (2, 2, 0, 2, 2)
    dept = row_of(report.steps, cast.dept)
    assert (dept.early, dept.on_time, dept.late, dept.in_progress) == (1, 1, 1, 0)


def test_open_and_overdue_are_counted_at_today_for_a_running_period(cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        ward = row_of(stats.report(stats.Period.of(2025)).units, cast.ward)
    assert (ward.in_progress, ward.overdue) == (2, 2)  # the walk-in's 3/4 has passed too


def test_a_period_before_anything_happened_is_empty(cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        report = stats.report(stats.Period.of(2024))
    ward = row_of(report.units, cast.ward)  # a receiving unit is listed even with nothing
    assert (ward.received, ward.resolved, ward.in_progress, ward.online_share, ward.rating) == (
        0,
        0,
        0,
        None,
        None,
    )


def test_a_later_period_counts_what_was_closed_in_it(cast, quarter):
    with time_machine.travel(at(date(2025, 4, 20)), tick=False):
        services.hand_over(quarter["open"], cast.ward_specialist)
        services.submit_for_approval(quarter["open"], cast.specialist)
        services.approve_dossier(quarter["open"], cast.leader)
        services.return_result(quarter["open"], cast.officer)
    with time_machine.travel(at(date(2025, 4, 21)), tick=False):
        q2 = stats.report(stats.Period.of(2025, "q2"))
    ward = row_of(q2.units, cast.ward)
    assert (ward.received, ward.late, ward.resolved, ward.in_progress) == (0, 1, 1, 1)


def test_queries_do_not_grow_with_units_or_dossiers(cast, quarter, ward_a, ward_b):
    with time_machine.travel(APRIL_15, tick=False), CaptureQueriesContext(_conn()) as small:
        stats.report(Q1)
    cast.service.receiving_units.add(ward_a, ward_b)
    with time_machine.travel(MON_3_3, tick=False):
        for _ in range(3):
            make_dossier(cast, DossierStatus.RETURNED)
    with time_machine.travel(APRIL_15, tick=False), CaptureQueriesContext(_conn()) as large:
        stats.report(Q1)
    assert len(large.captured_queries) == len(small.captured_queries) <= 7


def _conn():
    from django.db import connection

    return connection


def test_periods_and_their_labels():
    assert (Q1.start, Q1.end) == (date(2025, 1, 1), date(2025, 3, 31))
    h2 = stats.Period.of(2022, "h2")
    assert (h2.start, h2.end) == (date(2022, 7, 1), date(2022, 12, 31))
    assert stats.Period.of(2024, "q1").end == date(2024, 3, 31)
    assert Q1.end_at == datetime(2025, 4, 1, 0, 0, tzinfo=TZ)


# --- the public page -------------------------------------------------------------------------


def test_public_page_shows_the_city_figures_table_and_chart(client, cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        page = client.get(reverse("onestop:stats"), {"year": 2025, "period": "q1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thống kê giải quyết hồ sơ một cửa" in html
    assert 'data-figure="received">7<' in html and 'data-figure="resolved">4<' in html
    assert 'data-figure="online-share">85,7%<' in html  # 6 of 7 filed online
    assert 'data-figure="score">11,5<' in html
    svg = html[html.index('<svg role="img"') : html.index("</svg>")]
    assert 'aria-labelledby="chart-title chart-desc"' in svg
    assert "<title>Phường 1: Trước hạn 1</title>" in svg
    assert "<title>Phường 1: Đúng hạn 1</title>" in svg and "<title>Phường 1: Quá hạn 1</title>" in svg
    assert re.search(r'<rect x="210(\.0)?" y="\d+" width="[\d.]+"', svg)  # coordinates never localised
    row = re.search(r"<th scope=\"row\">Phường 1</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["6", "83,3", "4", "1", "1", "1", "1", "2", "1", "1,8", "11,5"]
    # The Decree 61 indicators and the unit's score, and the Decision 766 shares, per unit.
    evaluation = html[html.index('id="evaluation"') : html.index('id="decision-766"')]
    row = re.search(r'<tr data-unit="P1">(.*?)</tr>', evaluation, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells == ["3", "2", "1,0", "1,0", "2,0", "2,0", "2,0", "2,0", "1,5", "11,5"]
    assert "3. Số lần đi lại" in evaluation
    shares = html[html.index('id="decision-766"') :]
    row = re.search(r'<tr data-unit="P1">(.*?)</tr>', shares, re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["66,7", "83,3", "–", "1,8", "100,0"]
    assert "Tải CSV" not in html  # the export link is for officials


def test_big_numbers_are_grouped_the_vietnamese_way():
    from django.utils import translation

    from onestop.templatetags.onestop_stats import grouped

    with translation.override("vi"):
        assert grouped(1234567) == "1.234.567"
    with translation.override("en"):
        assert grouped(1234567) == "1,234,567"


def test_public_page_defaults_to_this_year_and_survives_nonsense(client, cast, quarter):
    with time_machine.travel(APRIL_15, tick=False):
        default = client.get(reverse("onestop:stats"))
        nonsense = client.get(reverse("onestop:stats"), {"year": "x'; drop", "period": "q9"})
    assert "Năm 2025" in default.content.decode()
    assert nonsense.status_code == 200
    html = nonsense.content.decode()
    assert "Năm 2025" in html and "is-invalid" in html


def test_public_page_is_cached_until_the_next_dossier_event(client, cast, quarter, django_assert_num_queries):
    url = reverse("onestop:stats")
    with time_machine.travel(APRIL_15, tick=False):
        first = client.get(url, {"year": 2025, "period": "year"}).content.decode()
    with time_machine.travel(APRIL_15.replace(minute=5), tick=False):
        with django_assert_num_queries(0):  # served from the shared cache
            again = client.get(url, {"year": 2025, "period": "year"}).content.decode()
        services.refuse_dossier(quarter["open"], cast.ward_specialist, "Không đủ điều kiện")
    assert 'data-figure="in-progress">3<' in first and 'data-figure="in-progress">3<' in again
    with time_machine.travel(APRIL_15.replace(minute=10), tick=False):
        fresh = client.get(url, {"year": 2025, "period": "year"}).content.decode()
    assert 'data-figure="in-progress">2<' in fresh  # the refusal shows at once, no cache to expire


def test_public_page_without_results_says_so(client, db):
    page = client.get(reverse("onestop:stats"))
    assert page.status_code == 200
    assert "Không có hồ sơ nào được trả kết quả trong kỳ này." in page.content.decode()


# --- CSV for officials -----------------------------------------------------------------------


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_ward_officer_csv_has_only_their_ward(client, cast, quarter):
    client.force_login(cast.officer)
    with time_machine.travel(APRIL_15, tick=False):
        response = client.get(reverse("onestop:stats_csv"), {"year": 2025, "period": "q1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "thong-ke-mot-cua-20250101-20250331.csv" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:3] == ["Bảng", "Mã đơn vị", "Đơn vị"] and "Trước hạn" in header
    assert {row[2] for row in rows} == {"Phường 1"}
    receiving = next(r for r in rows if r[0] == "Đơn vị tiếp nhận")
    assert receiving[3:13] == ["2025-01-01", "2025-03-31", "6", "5", "83.3", "4", "1", "1", "1", "1"]


def test_city_leader_csv_has_every_unit_below(client, cast, quarter):
    leader = UserFactory(username="ubnd.ld", unit=cast.city, role=roles.LEADER)
    client.force_login(leader)
    with time_machine.travel(APRIL_15, tick=False):
        rows = read_csv(client.get(reverse("onestop:stats_csv"), {"year": 2025, "period": "q1"}))[1:]
    assert {(r[0], r[2]) for r in rows} == {
        ("Đơn vị tiếp nhận", "Phường 1"),
        ("Đơn vị tiếp nhận", "Phường 2"),
        ("Đơn vị xử lý (các bước)", "Phường 1"),
        ("Đơn vị xử lý (các bước)", "Phường 2"),
        ("Đơn vị xử lý (các bước)", "Phòng Quản lý đô thị"),
    }


def test_csv_is_for_staff_only(client, cast):
    url = reverse("onestop:stats_csv")
    assert client.get(url).status_code == 302
    citizen = UserFactory(username="cong.dan", citizen=True)
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_see_the_export_link_on_the_public_page(client, cast):
    client.force_login(cast.officer)
    html = client.get(reverse("onestop:stats"), {"year": 2025, "period": "h1"}).content.decode()
    assert "Tải CSV (cho cán bộ)" in html and "xuat.csv?year=2025&amp;period=h1" in html


# --- the periodic report -----------------------------------------------------------------------


def test_report_command_prints_the_figures(cast, quarter):
    out = io.StringIO()
    with time_machine.travel(APRIL_15, tick=False):
        call_command("onestop_report", "--from", "2025-01-01", "--to", "2025-03-31", "--units", stdout=out)
    text = out.getvalue()
    assert "Báo cáo một cửa điện tử từ 01/01/2025 đến 31/03/2025" in text
    assert "Dịch vụ công trực tuyến: 2 (mức độ 2: 0; mức độ 3: 1; mức độ 4: 1)" in text
    assert "Theo Nghị định 42/2022: toàn trình 1; một phần 1; không trực tuyến 0" in text
    assert "Hồ sơ tiếp nhận: 7, trong đó trực tuyến: 6 (85,7%)" in text
    assert "Hồ sơ đã giải quyết: 4 (trước hạn: 1; đúng hạn: 1; quá hạn: 1; từ chối: 1)" in text
    assert "Phường 2: tiếp nhận 1" in text


def test_report_command_rejects_a_bad_period(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không phải là ngày"):
        call_command("onestop_report", "--from", "2025-13-01", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="trước ngày bắt đầu"):
        call_command("onestop_report", "--from", "2025-03-31", "--to", "2025-01-01")
