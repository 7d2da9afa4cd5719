"""Staff records in Chromium: a personnel officer records a transfer and a step raise, the official sees them
and asks for a correction, the officer accepts it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from personnel.models import PersonnelFile
from portal import roles
from tests.factories import UnitFactory, UserFactory
from tests.otp import browser_sign_in
from tests.personnel.factories import make_file


def sign_in(page, base_url, username):
    """Through the admin's two steps, typing a real TOTP code (tests/otp.py)."""
    browser_sign_in(page, base_url, username)


@pytest.fixture
def staff():
    # Live-server tests flush the database: the law's data (a migration's rows) is loaded again.
    from personnel import law_data
    from personnel.models import LegalRule, Rank, RetirementAge, SalaryScale

    law_data.load(LegalRule, RetirementAge, SalaryScale, Rank)
    city = UnitFactory(code="CITY", name="UBND thành phố", committee=True)
    ward = UnitFactory(code="P1", name="Phường 1", ward=True, parent=city)
    quarter = UnitFactory(code="P1-VP", name="Văn phòng UBND Phường 1", parent=ward)
    officer = UserFactory(
        username="p1.tccb", unit=ward, role=roles.PERSONNEL_OFFICER, full_name="Trương Ngọc Hân"
    )
    official = UserFactory(username="p1.cv", unit=ward, role=roles.SPECIALIST, full_name="Bùi Văn Nam")
    file = make_file(
        officer,
        ward,
        user=official,
        full_name="Bùi Văn Nam",
        phone="0912345678",
        rank="01.003",
        step=2,
        step_from=date(2022, 1, 1),
        start=date(2016, 3, 1),
    )
    return {"officer": officer, "official": official, "file": file, "quarter": quarter}


def test_transfer_raise_correction_journey(page, live_server, staff, axe_violations):
    base = live_server.url
    file = staff["file"]

    # The personnel officer opens the file from the unit's list, records a transfer and a step raise.
    sign_in(page, base, "p1.tccb")
    page.goto(f"{base}/admin/personnel/personnelfile/")
    page.get_by_role("link", name="Bùi Văn Nam").click()
    expect(page.locator("#file-staff-number")).to_have_text(file.staff_number)
    page.locator('[data-section="position"]').click()
    page.locator("#id_kind").select_option("transfer")
    page.locator("#id_unit").select_option(str(staff["quarter"].pk))
    page.locator("#id_position").fill("Công chức Văn phòng - Thống kê")
    page.locator("#id_start_date").fill("2025-07-01")
    page.locator("#id_decision_number").fill("45/QĐ-UBND")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#file-unit")).to_have_text("Văn phòng UBND Phường 1")

    page.locator('[data-section="salary"]').click()
    page.locator("#id_kind").select_option("regular")
    page.locator("#id_start_date").fill("2024-12-01")  # before 01/01/2025: refused with the reason
    page.locator("input[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text("01/01/2025")
    page.locator("#id_start_date").fill("2025-01-01")
    page.locator("#id_decision_number").fill("12/QĐ-UBND")
    page.locator("input[type=submit]").click()
    expect(page.locator("#file-salary")).to_contain_text("3,00")
    expect(page.locator("#file-next-step")).to_have_text("01/01/2028")

    # The official sees both on their own file, on a phone-sized screen, and asks for a correction.
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, base, "p1.cv")
    page.goto(f"{base}/admin/personnel/personnelfile/mine/")
    expect(page.locator("#file-unit")).to_have_text("Văn phòng UBND Phường 1")
    expect(page.locator("#file-positions")).to_contain_text("45/QĐ-UBND")
    expect(page.locator("#file-salaries")).to_contain_text("12/QĐ-UBND")
    assert axe_violations(page) == []
    page.locator("#request-correction").click()
    page.locator("#id_target").select_option("phone")
    page.locator("#id_proposed_value").fill("0987654321")
    page.locator("#id_reason").fill("Tôi đã đổi số điện thoại.")
    page.locator("input[type=submit]").click()
    expect(page.locator("#correction-status")).to_be_visible()
    status_waiting = page.locator("#correction-status").inner_text()

    # The officer accepts it; the file now holds the corrected number.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "p1.tccb")
    page.goto(f"{base}/admin/personnel/correctionrequest/")
    page.get_by_role("link", name=re.compile("Bùi Văn Nam")).first.click()
    page.locator('[data-action="accept"]').click()
    page.locator("#id_note").fill("Đã đối chiếu.")
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#correction-status")).not_to_have_text(status_waiting)

    sign_in(page, base, "p1.cv")
    page.goto(f"{base}/admin/personnel/personnelfile/mine/")
    expect(page.locator("#file-phone")).to_have_text("0987654321")
    assert PersonnelFile.objects.get(pk=file.pk).phone == "0987654321"
