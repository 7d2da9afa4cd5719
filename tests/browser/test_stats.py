"""The public statistics page in Chromium: the chart, the table, the period form, accessibility."""

from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from onestop import services
from onestop.models import DossierStatus
from portal.workdays import TZ
from tests.onestop.factories import Cast, make_dossier


@pytest.fixture
def first_quarter_2025(transactional_db):
    cache.clear()
    cast = Cast()
    with time_machine.travel(datetime(2025, 3, 3, 9, 0, tzinfo=TZ), tick=False):
        make_dossier(cast, DossierStatus.RETURNED)
        make_dossier(cast, DossierStatus.RETURNED)
        late = make_dossier(cast, DossierStatus.PROCESSING)
    with time_machine.travel(datetime(2025, 3, 12, 9, 0, tzinfo=TZ), tick=False):
        services.hand_over(late, cast.ward_specialist)
        services.submit_for_approval(late, cast.specialist)
        services.approve_dossier(late, cast.leader)
        services.return_result(late, cast.officer)
    return cast


def test_stats_page_shows_chart_and_table(page, live_server, first_quarter_2025):
    page.goto(live_server.url + "/thong-ke/")
    page.get_by_label("Năm", exact=True).select_option("2025")
    page.get_by_label("Kỳ thống kê", exact=True).select_option("q1")
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(live_server.url + "/thong-ke/?year=2025&period=q1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thống kê giải quyết hồ sơ một cửa")

    chart = page.get_by_role("img", name="Kết quả trả trước hạn, đúng hạn và quá hạn theo đơn vị")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(2)  # Ward 1: early and late
    expect(chart.locator("text", has_text="Phường 1")).to_be_visible()

    table = page.get_by_role("table", name="Hồ sơ theo đơn vị tiếp nhận")
    row = table.get_by_role("row", name="Phường 1")
    expect(row.get_by_role("cell")).to_have_text(
        ["3", "100,0", "3", "2", "0", "1", "0", "0", "0", "–", "6,7"]
    )
    expect(page.locator('[data-figure="resolved"]')).to_have_text("3")
    # Every returned dossier is scored, though none was rated: indicators 1-4 from the data.
    expect(page.locator('#evaluation tr[data-unit="P1"] [data-figure="unit-score"]')).to_have_text("6,7")


def test_stats_page_has_no_accessibility_violations(page, live_server, axe_violations, first_quarter_2025):
    page.goto(live_server.url + "/thong-ke/?year=2025&period=q1")
    expect(
        page.get_by_role("img", name="Kết quả trả trước hạn, đúng hạn và quá hạn theo đơn vị")
    ).to_be_visible()
    assert axe_violations(page) == []
