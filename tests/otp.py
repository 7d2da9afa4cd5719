"""Logging staff in through the second factor, in tests (see portal/otp.py)."""

from __future__ import annotations

import base64
import secrets
import time

from django.test import Client as DjangoClient
from django.urls import reverse
from django_otp.oath import TOTP, hotp, totp

from portal import otp
from tests.factories import PASSWORD


def authenticator(user):
    """The user's confirmed authenticator-app device (created with a random key if missing)."""
    return otp.confirmed_app(user) or otp.give_authenticator(user, secrets.token_hex(20))


def current_code(device) -> str:
    """The six digits the user's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def code_for_key(base32_key: str) -> str:
    """What an authenticator app shows now for a key typed from the enrolment page."""
    text = base32_key.replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    return f"{totp(key):06d}"


def unused_code(device) -> str:
    """A code the device accepts now: each time step is accepted once, so a second
    sign-in within 30 seconds uses the next step (within the device's tolerance)."""
    device.refresh_from_db()
    while True:
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
        step = max(now, (device.last_t or -1) + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, device.digits):06d}"
        time.sleep(1)


class Client(DjangoClient):
    """The suite's test client: ``force_login`` of a member of staff also passes the second factor.

    It records the user's real (confirmed TOTP) device in the session, as
    ``django_otp.login`` does after a code is verified, so back-office tests
    run as an official who signed in with both factors. Tests of the log-in
    itself go through the pages with :func:`log_in`.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if otp.required_for(user):
            otp.mark_verified(self.session, user)


def log_in(client, user, password: str = PASSWORD, code: str | None = None, **extra):
    """Sign ``user`` in through the admin's two pages; returns the second page's response."""
    device = authenticator(user)
    first = client.post(
        reverse("admin:login"), {"username": user.get_username(), "password": password}, **extra
    )
    assert first.status_code == 302 and first["Location"] == reverse("admin:otp_verify"), first
    return client.post(reverse("admin:otp_verify"), {"otp_token": code or current_code(device)}, **extra)


def browser_sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign out whoever was signed in, then sign in through the admin's two steps in a real
    browser, typing a real TOTP code of the user's authenticator device."""
    import re

    from playwright.sync_api import expect

    from portal.models import User

    device = authenticator(User.objects.get(username=username))
    page.context.clear_cookies()
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(unused_code(device))
    page.get_by_role("button", name="Xác thực").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
