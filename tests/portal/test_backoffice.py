"""The admin as the staff back office: Vietnamese, scoped, throttled."""

from django.urls import reverse

from portal import roles
from portal.models import User


def test_admin_speaks_vietnamese_by_default(client, ward_a, make_user):
    client.force_login(make_user(unit=ward_a, role=roles.LEADER))
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Thoát" in page.content.decode()  # "Log out"


def test_english_on_request(client, ward_a, make_user):
    client.force_login(make_user(unit=ward_a, role=roles.LEADER))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("admin:index")).content.decode()


def test_user_list_is_scoped_by_ward(client, ward_a, ward_b, make_user):
    leader_a = make_user(unit=ward_a, role=roles.LEADER, username="lead-a")
    make_user(unit=ward_b, role=roles.SPECIALIST, username="staff-b")
    client.force_login(leader_a)
    page = client.get(reverse("admin:portal_user_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "lead-a" in body and "staff-b" not in body
    other = User.objects.get(username="staff-b")
    assert (
        client.get(reverse("admin:portal_user_change", args=[other.pk])).status_code == 302
    )  # not found → redirect


def test_sysadmin_manages_units_users_and_calendar(client, ward_a, make_user):
    client.force_login(make_user(unit=ward_a, role=roles.SYSADMIN))
    for name in ("portal_unit", "portal_user", "portal_calendarday", "auth_group"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    response = client.post(
        reverse("admin:portal_calendarday_add"),
        {"date": "2026-12-24", "kind": "off", "name": "Nghỉ đột xuất"},
    )
    assert response.status_code == 302
    from datetime import date

    from portal.models import AuditEvent
    from portal.workdays import is_working_day

    assert not is_working_day(date(2026, 12, 24))
    assert AuditEvent.objects.filter(action="calendarday.add", object_repr__contains="24/12/2026").exists()


def test_failed_logins_are_throttled_with_a_clear_message(client, ward_a, make_user, password):
    make_user(unit=ward_a, role=roles.SPECIALIST, username="target")
    login = reverse("admin:login")
    for _ in range(5):
        client.post(login, {"username": "target", "password": "nope"})
    locked = client.post(login, {"username": "target", "password": password})
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()


def test_vietnamese_even_for_an_english_browser(client, db):
    # The browser's Accept-Language does not switch the language; the switch does.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
