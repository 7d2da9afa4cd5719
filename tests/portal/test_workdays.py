"""The working-day calendar on real 2025-2026 cases (DOMAIN.md §4)."""

from datetime import date, datetime

import pytest

from portal import workdays
from portal.models import CalendarDay
from portal.workdays import TZ, add_working_days, due_date, is_working_day, transfer_date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 1), False),  # New Year
        (date(2025, 1, 27), False),  # Tết 2025 (Monday)
        (date(2025, 2, 3), True),  # first day back after Tết
        (date(2025, 4, 26), True),  # Saturday worked in exchange for 2 May
        (date(2025, 5, 2), False),
        (date(2025, 9, 1), False),
        (date(2026, 1, 2), False),  # Friday off …
        (date(2026, 1, 10), True),  # … worked back on Saturday 10 January
        (date(2026, 2, 16), False),  # Tết 2026
        (date(2026, 4, 27), False),  # Hùng Kings, moved from Sunday 26 April
        (date(2026, 4, 28), True),
        (date(2026, 8, 31), False),
        (date(2026, 11, 28), False),  # an ordinary Saturday
        (date(2026, 11, 30), True),  # an ordinary Monday
        (date(2027, 2, 10), False),  # 2027 statutory: Tết compensation
        (date(2027, 5, 3), False),  # 1 May 2027 is a Saturday: moved to Monday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_add_working_days_across_tet_2026():
    # Friday 13 Feb 2026 + 1 working day: Tết runs 14-22 Feb, so Monday 23 Feb.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)


def test_add_working_days_counts_swapped_saturday():
    # Thursday 8 Jan 2026 + 2: Friday 9, Saturday 10 (worked).
    assert add_working_days(date(2026, 1, 8), 2) == date(2026, 1, 10)
    # Wednesday 31 Dec 2025 + 1: 1-4 Jan off, so Monday 5 Jan.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_add_working_days_zero_and_backwards():
    assert add_working_days(date(2026, 4, 29), 0) == date(2026, 4, 29)
    # The last working day before Tuesday 28 April 2026 is Friday 24 April.
    assert add_working_days(date(2026, 4, 28), -1) == date(2026, 4, 24)


def test_cutoff_at_15h():
    before = datetime(2026, 4, 24, 14, 59, tzinfo=TZ)  # Friday
    at_cutoff = datetime(2026, 4, 24, 15, 0, 0, tzinfo=TZ)  # "after 15:00" means after: still Friday
    after = datetime(2026, 4, 24, 15, 0, 1, tzinfo=TZ)
    assert transfer_date(before) == date(2026, 4, 24) == transfer_date(at_cutoff)
    # After 15:00 on Friday: Monday 27 is Hùng Kings, so Tuesday 28.
    assert transfer_date(after) == date(2026, 4, 28)
    # Friday 24 April + 3: Tue 28, Wed 29, (30/4-3/5 off), Mon 4 May.
    assert due_date(before, 3) == date(2026, 5, 4)
    # From Tuesday 28: Wed 29, (30/4-3/5 off), Mon 4, Tue 5.
    assert due_date(after, 3) == date(2026, 5, 5)


def test_received_on_day_off_is_transferred_next_working_day():
    sunday = datetime(2026, 1, 4, 9, 0, tzinfo=TZ)
    assert transfer_date(sunday) == date(2026, 1, 5)


def test_calendar_is_data(django_assert_num_queries):
    # An administrator declares an extra day off: the calendar follows at once.
    day = date(2026, 12, 1)
    assert is_working_day(day)
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ đột xuất")
    assert not is_working_day(day)
    workdays.clear_cache()
    with django_assert_num_queries(1):  # one query per year, then cached
        is_working_day(date(2026, 3, 3))
        is_working_day(date(2026, 7, 7))


def test_working_days_between():
    assert workdays.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert workdays.working_days_between(date(2026, 2, 23), date(2026, 2, 13)) == -1


def test_saturday_22_august_2026_is_worked_for_monday_31():
    """The 2026 National Day swap, shipped as a data migration."""
    assert is_working_day(date(2026, 8, 22)) is True
    assert is_working_day(date(2026, 8, 31)) is False
    # Friday 21/8 + 1 working day: Saturday 22/8; Friday 28/8 + 1: Thursday 3/9.
    assert add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_2027_days_are_provisional_until_confirmed():
    assert set(CalendarDay.objects.filter(provisional=True).dates("date", "year")) == {date(2027, 1, 1)}
    assert CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2026, provisional=True).exists()


def test_admin_shows_provisional_days_and_confirms_them(client, ward_a, make_user):
    from django.urls import reverse

    from portal import roles

    client.force_login(make_user(unit=ward_a, role=roles.SYSADMIN))
    url = reverse("admin:portal_calendarday_changelist")
    page = client.get(url, {"provisional__exact": "1"}).content.decode()
    assert "Tạm tính: cần xác nhận" in page
    assert "Các ngày của năm 2027 là tạm tính" in page
    ids = list(CalendarDay.objects.filter(date__year=2027).values_list("pk", flat=True))
    client.post(url, {"action": "confirm_days", "_selected_action": ids})
    assert not CalendarDay.objects.filter(provisional=True).exists()
    after = client.get(url).content.decode()
    assert "Tạm tính: cần xác nhận" not in after and "là tạm tính" not in after
