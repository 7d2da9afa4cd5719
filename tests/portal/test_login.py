"""Log-in: staff two-factor authentication, lock-outs, idle staff sessions, password reset."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import otp, roles
from portal.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.otp import authenticator, current_code, log_in

ADMIN = "/admin/"


@pytest.fixture
def official(ward_a):
    return UserFactory(username="p1.cv", unit=ward_a, role=roles.SPECIALIST)


def signed_in(client) -> bool:
    return client.get(ADMIN).status_code == 200


# --- two steps -----------------------------------------------------------------------------------


def test_a_password_alone_does_not_open_the_back_office(client, official):
    authenticator(official)
    response = client.post(reverse("admin:login"), {"username": "p1.cv", "password": PASSWORD})
    assert response["Location"] == reverse("admin:otp_verify")
    assert "_auth_user_id" not in client.session  # nobody is logged in between the steps
    assert client.get(ADMIN)["Location"].startswith(reverse("admin:login"))
    page = client.get(reverse("admin:otp_verify")).content.decode()
    assert "Xác thực hai bước" in page and "Mã xác thực" in page


def test_the_code_of_the_authenticator_app_opens_it(client, official):
    response = log_in(client, official)
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert signed_in(client)
    assert AuditEvent.objects.filter(action="login", actor=official).count() == 1


def test_a_wrong_code_is_refused_and_counted_as_a_failed_log_in(client, official):
    device = authenticator(official)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = log_in(client, official, code=wrong)
    assert response.status_code == 400
    assert "Mã xác thực không đúng" in response.content.decode()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="login_failed", actor_repr="p1.cv").exists()
    assert AccessAttempt.objects.filter(username="p1.cv").exists()


def test_a_backup_code_opens_it_once(client, official):
    authenticator(official)
    codes = otp.new_backup_codes(official)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert log_in(client, official, code=codes[0])["Location"] == ADMIN
    other = PlainClient()
    assert log_in(other, official, code=codes[0]).status_code == 400  # used up
    assert StaticToken.objects.filter(device__user=official).count() == 9


def test_the_first_log_in_sets_up_the_authenticator_and_shows_backup_codes(client, official):
    response = client.post(reverse("admin:login"), {"username": "p1.cv", "password": PASSWORD})
    assert response["Location"] == reverse("admin:otp_enrol")
    page = client.get(response["Location"]).content.decode()
    assert "Thiết lập xác thực hai bước" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=official)
    assert not device.confirmed
    key = re.search(r'data-testid="otp-key">([A-Z2-7 ]+)<', page).group(1)
    assert key.replace(" ", "") == otp.base32_key(device).replace(" ", "")
    done = client.post(response["Location"], {"otp_token": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in(client)
    assert log_in(PlainClient(), official, code=codes[3])["Location"] == ADMIN


def test_a_staff_session_without_the_second_factor_is_refused(official):
    client = PlainClient()  # Django's own client: force_login knows nothing of the second factor
    client.force_login(official)
    assert client.get(ADMIN)["Location"].startswith(reverse("admin:login"))


def test_the_second_step_waits_five_minutes_at_most(client, official):
    device = authenticator(official)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("admin:login"), {"username": "p1.cv", "password": PASSWORD})
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.post(reverse("admin:otp_verify"), {"otp_token": current_code(device)})
    assert response["Location"] == reverse("admin:login")
    assert not signed_in(client)


def test_without_staff_otp_required_the_password_is_enough(client, official, settings):
    settings.STAFF_OTP_REQUIRED = False
    response = client.post(reverse("admin:login"), {"username": "p1.cv", "password": PASSWORD})
    assert response["Location"] == ADMIN and signed_in(client)


# --- lock-outs ----------------------------------------------------------------------------------


def test_guesses_spread_over_accounts_from_one_address_are_locked(client, ward_a):
    """Before: 12 guesses over 3 accounts from one address all went through."""
    users = [UserFactory(username=f"cv{n}", unit=ward_a, role=roles.SPECIALIST) for n in range(4)]
    login = reverse("admin:login")
    answers = [
        client.post(
            login, {"username": f"cv{n % 3}", "password": f"sai-{n}"}, REMOTE_ADDR="203.0.113.5"
        ).status_code
        for n in range(12)
    ]
    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}  # the fifth failure locks
    # Even the right password of a fourth account is refused from that address now...
    right = client.post(login, {"username": "cv3", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert right.status_code == 429
    # ...but not from another one.
    authenticator(users[3])
    assert log_in(PlainClient(), users[3], REMOTE_ADDR="198.51.100.8")["Location"] == ADMIN


def test_one_account_guessed_from_many_addresses_is_locked(client, official):
    login = reverse("admin:login")
    for n in range(5):
        PlainClient().post(login, {"username": "p1.cv", "password": "sai"}, REMOTE_ADDR=f"192.0.2.{n}")
    locked = PlainClient().post(login, {"username": "p1.cv", "password": PASSWORD}, REMOTE_ADDR="192.0.2.99")
    assert locked.status_code == 429


# --- idle staff sessions ------------------------------------------------------------------------


def test_a_staff_session_ends_after_8_idle_hours(client, official, make_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(official)
        assert signed_in(client)
    with time_machine.travel(start + timedelta(hours=7, minutes=50), tick=False):
        assert signed_in(client)  # used: the 8 hours start again
    with time_machine.travel(start + timedelta(hours=15, minutes=40), tick=False):
        assert signed_in(client)
    with time_machine.travel(start + timedelta(hours=23, minutes=45), tick=False):
        assert not signed_in(client)
        assert "_auth_user_id" not in client.session


def test_a_citizen_session_is_not_cut_after_8_hours(client, make_user):
    citizen = make_user(citizen=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(citizen)
        assert client.get("/tai-khoan/ho-so/").status_code == 200
    with time_machine.travel(start + timedelta(hours=20), tick=False):
        assert client.get("/tai-khoan/ho-so/").status_code == 200


# --- password reset by e-mail -------------------------------------------------------------------


def test_password_reset_by_e_mail(client, official, settings):
    settings.PORTAL_BASE_URL = "https://dichvucong.mytho.gov.vn"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    login_page = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in login_page
    form = client.get(reverse("admin_password_reset"))
    assert "Quên mật khẩu" in form.content.decode()
    sent = client.post(reverse("admin_password_reset"), {"email": official.email}, HTTP_HOST="evil.example")
    assert sent["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [official.email] and "Đặt lại mật khẩu" in message.subject
    link = re.search(r"https://dichvucong\.mytho\.gov\.vn(/\S+)", message.body).group(1)
    assert "evil.example" not in message.body
    page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    official.refresh_from_db()
    assert official.check_password("Mat-khau-moi-2026")
    assert "Mật khẩu đã được đặt lại" in client.get(done["Location"]).content.decode()
    # The second factor is still asked.
    assert log_in(PlainClient(), official, password="Mat-khau-moi-2026")["Location"] == ADMIN


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, db):
    response = client.post(reverse("admin_password_reset"), {"email": "ai-do@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_back_office_lists_devices_but_never_shows_a_key(client, official, db):
    device = authenticator(official)
    root = UserFactory(username="root", unit=None, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert str(official) in listing
    i = page.find(device.key)
    assert i == -1, page[i - 300 : i + 50]
    assert otp.base32_key(device) not in page and "otpauth" not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code != 200
