"""What a second node would break, each fixed: client addresses behind proxies, caches,
beat, keys and embedded servers, mail, compression, connections."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.test import Client as PlainClient
from django.test import RequestFactory
from django.urls import reverse

from portal import roles, workdays
from portal.audit import client_ip
from portal.models import CalendarDay, SiteProfile
from portal.versioned import Versioned
from tests.factories import PASSWORD, UserFactory
from tests.otp import authenticator, log_in

BASE = Path(__file__).resolve().parents[2]
BALANCER = "10.0.0.2"


# --- the client's address behind the balancer ---------------------------------------------------


def _ip(settings, remote, forwarded=None, trusted=(), hops=0):
    settings.TRUSTED_PROXIES, settings.NUM_PROXIES = list(trusted), hops
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_the_client_address_is_read_through_trusted_proxies_only(settings):
    # No proxy configured: the header is the client's word, ignored.
    assert _ip(settings, "203.0.113.9", "1.2.3.4") == "203.0.113.9"
    # Behind the balancer (a trusted network): the address it saw.
    assert _ip(settings, BALANCER, "198.51.100.7", trusted=["10.0.0.0/8"]) == "198.51.100.7"
    # A client forging the header in front: only the entry the balancer added counts.
    assert _ip(settings, BALANCER, "6.6.6.6, 198.51.100.7", trusted=["10.0.0.0/8"]) == "198.51.100.7"
    # Two trusted hops (CDN then balancer).
    assert _ip(settings, BALANCER, "198.51.100.7, 10.1.1.1", trusted=["10.0.0.0/8"]) == "198.51.100.7"
    # A request reaching the node directly, not through a proxy: its header is ignored.
    assert _ip(settings, "198.51.100.50", "6.6.6.6", trusted=["10.0.0.0/8"]) == "198.51.100.50"
    # By count: one proxy in front.
    assert _ip(settings, BALANCER, "6.6.6.6, 198.51.100.7", hops=1) == "198.51.100.7"
    # Garbage in the header never becomes an address.
    assert _ip(settings, BALANCER, "not-an-ip", trusted=["10.0.0.0/8"]) == BALANCER


def test_one_guesser_behind_the_balancer_does_not_lock_out_the_city(settings, ward_a):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    users = [UserFactory(username=f"cv{n}", unit=ward_a, role=roles.SPECIALIST) for n in range(4)]
    login = reverse("admin:login")
    attacker = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    answers = [
        PlainClient().post(login, {"username": f"cv{n % 3}", "password": "sai"}, **attacker).status_code
        for n in range(6)
    ]
    assert answers[-1] == 429  # the guesser's own address is locked (django-axes)
    authenticator(users[3])
    colleague = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert log_in(PlainClient(), users[3], **colleague)["Location"] == "/admin/"
    assert PASSWORD  # the colleague's right password worked through the same balancer


def test_the_lookup_throttle_counts_per_client_behind_the_balancer(client, settings, db):
    from portal import ratelimit

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.ONESTOP_LOOKUP_LIMIT = 3
    ratelimit.clear("lookup")
    url = reverse("onestop:lookup")
    guesser = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for n in range(4):
        last = PlainClient().post(url, {"code": f"X{n:05d}", "secret": "0900000000"}, **guesser)
    assert last.status_code == 429
    other = {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert PlainClient().post(url, {"code": "X00001", "secret": "0900000000"}, **other).status_code != 429
    ratelimit.clear("lookup")


# --- per-process copies kept in step across processes -------------------------------------------


def test_a_calendar_edit_on_one_node_is_seen_at_once_by_the_others(db, django_assert_num_queries):
    day = date(2026, 12, 7)  # a Monday
    assert workdays.is_working_day(day)  # this process now holds 2026
    with django_assert_num_queries(0):
        assert workdays.is_working_day(day)
    # Another node's process (its own copy, the same Redis) saves a day off: it bumps the version.
    CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ đột xuất")
    other_node = Versioned("calendar")
    other_node.bump()
    with django_assert_num_queries(1):  # re-read once, not after a minute
        assert not workdays.is_working_day(day)


def test_the_site_profile_is_shared_through_the_version(db):
    first = SiteProfile.current()
    assert first.hotline == ""
    SiteProfile.objects.bulk_create([SiteProfile(pk=1, hotline="1900 1234")])  # bulk: no save()
    assert SiteProfile.current().hotline == ""  # this process's copy, version unchanged…
    Versioned("site-profile").bump()  # …until a save anywhere bumps it
    assert SiteProfile.current().hotline == "1900 1234"
    profile = SiteProfile.objects.get(pk=1)
    profile.hotline = "1900 5678"
    profile.save()
    assert SiteProfile.current().hotline == "1900 5678"


def test_without_redis_the_table_is_read_every_time_never_stale(db, settings, django_assert_num_queries):
    from portal import redis_client, versioned

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        workdays.is_working_day(date(2026, 3, 3))
        with django_assert_num_queries(1):
            workdays.is_working_day(date(2026, 3, 3))
    finally:
        redis_client._clients.clear()
        versioned._redis_down_until = 0.0


# --- one beat however many start ------------------------------------------------------------------


def test_of_two_beats_one_sends_and_the_other_takes_over_when_it_stops(settings):
    from portal import redis_client
    from portal.beat import LOCK_KEY, BeatLock

    client = redis_client.client()
    client.delete(LOCK_KEY)
    node_a, node_b = BeatLock(client, 30), BeatLock(client, 30)
    assert node_a.acquire_or_renew() is True
    assert node_b.acquire_or_renew() is False
    assert node_a.acquire_or_renew() is True  # renewed, still the one
    assert 25 < client.ttl(LOCK_KEY) <= 30
    node_a.release()  # stopped (or its lock expired)
    assert node_b.acquire_or_renew() is True
    assert node_a.acquire_or_renew() is False
    node_b.release()


def test_a_standby_beat_sends_nothing(settings, tmp_path):
    from portal import redis_client
    from portal.beat import LOCK_KEY, BeatLock, LockedScheduler
    from portal.celery import app

    client = redis_client.client()
    client.delete(LOCK_KEY)
    owner = BeatLock(client, 30)
    assert owner.acquire_or_renew()
    sent = []
    standby = LockedScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=True)
    standby.apply_async = lambda entry, *a, **k: sent.append(entry.name)
    standby.setup_schedule()
    for entry in standby.schedule.values():
        entry.last_run_at = entry.last_run_at.replace(year=2000)  # everything is due
    wait = standby.tick()
    assert sent == [] and 0 < wait <= 10
    owner.release()
    standby.tick()
    assert sent  # once the lock is free it sends
    standby.lock.release()


# --- keys, embedded servers, mail: per node only in the demo ------------------------------------


def _settings_of(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PORTAL_DEMO", "EMAIL_HOST", "EMAIL_BACKEND"}
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_node_without_a_shared_key_or_servers_refuses_to_start():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "PORTAL_DEMO", "SECRET_KEY", "DATABASE_URL"}
    }
    for kind in ("web", "worker", "beat", "release"):
        done = subprocess.run(
            [sys.executable, "-m", "portal.launcher", kind],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "SECRET_KEY, DATABASE_URL not set" in done.stderr + done.stdout
    no_key = _settings_of({"SECRET_KEY": ""})
    assert no_key.returncode != 0 and "SECRET_KEY is not set" in no_key.stderr


def test_mail_goes_to_files_only_in_the_demo():
    assert _settings_of({}).stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    assert (
        _settings_of({"PORTAL_DEMO": "true"}).stdout.strip()
        == "django.core.mail.backends.filebased.EmailBackend"
    )
    assert (
        _settings_of({"PORTAL_DEMO": "true", "EMAIL_HOST": "relay"})
        .stdout.strip()
        .endswith("smtp.EmailBackend")
    )


# --- compression, connections -------------------------------------------------------------------


def test_html_is_compressed_and_stored_files_are_not(client, db):
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.content)
    plain = client.get("/")
    assert "Content-Encoding" not in plain and b"<html" in plain.content


def test_no_health_check_query_per_request_and_one_redis_client_per_process(client, settings, db):
    from django.db import connection

    from portal import redis_client

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is False
    assert redis_client.client(1.0) is redis_client.client(1.0)
    settings.HEALTHZ_TOKEN = "t"
    for _ in range(3):
        assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer t").json()["broker"] == "ok"
    pool = redis_client.client(1.0).connection_pool
    assert len(pool._available_connections) + len(pool._in_use_connections) == 1  # reused, not reopened
