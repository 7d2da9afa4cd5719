"""The back office speaks Vietnamese throughout, and greets an official by full name (issue 7, item 12)."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from portal import roles
from portal.vendor_messages import MESSAGES
from tests.factories import UnitFactory, UserFactory

# English that Django's admin and the third-party apps print when their Vietnamese is missing.
ENGLISH = (
    "Select all objects on this page for an action",
    "Filter navigation items",
    "Change or view list link",
    "Show counts",
    "Access logs",
    "Access attempts",
    "Attempt Time",
    "User Agent",
    "TOTP device",
    "Static device",
    "Can add ",
    "Can change ",
    "Can view ",
    "Otp_Totp",
    "Otp_Static",
    ">Axes<",
)


@pytest.fixture
def official(db):
    unit = UnitFactory(code="UBND", name="UBND thành phố", committee=True)
    return UserFactory(
        username="qtht", unit=unit, role=roles.SYSADMIN, is_superuser=True, full_name="Nguyễn Thị Lan"
    )


def test_every_string_the_apps_leave_in_english_has_vietnamese():
    with translation.override("vi"):
        untranslated = [m for m in MESSAGES if translation.gettext(m) == m and m != "HTTP Accept"]
    assert untranslated == []


def test_the_greeting_shows_the_officials_full_name(client, official):
    client.force_login(official)
    html = client.get(reverse("admin:index")).content.decode()
    assert re.search(r"<strong>Nguyễn Thị Lan</strong>", html), re.findall(r"user-tools.{0,400}", html, re.S)


def test_no_admin_page_shows_english(client, official, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(official)
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                pages.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"))
            except NoReverseMatch:
                continue
    found, shown = {}, 0
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue  # an add page nobody may use (the audit trail, the heartbeat)
        shown += 1
        html = response.content.decode()
        english = [phrase for phrase in ENGLISH if phrase in html]
        if english:
            found[url] = english
    assert found == {}
    assert shown > 40, shown
