import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from portal import tasks
from portal.models import Heartbeat

BASE = Path(__file__).resolve().parents[2]


def test_home_page_in_vietnamese(client, db):
    page = client.get("/")
    assert page.status_code == 200
    assert 'lang="vi"' in page.content.decode()
    assert "Tra cứu hồ sơ" in page.content.decode()


def test_no_link_of_the_home_page_is_broken_and_its_feedback_card_opens_the_form(client, db):
    """Issue 7, item 14: the feedback card promises online feedback and links to the form."""
    import re

    from portal.models import SiteProfile

    SiteProfile.objects.update_or_create(pk=1, defaults={"hotline": "1022"})
    html = client.get("/").content.decode()
    card = re.search(
        r'<h2 class="h5 card-title"><a href="([^"]+)">Phản ánh, kiến nghị</a></h2>(.*?)</div>', html, re.S
    )
    assert card is not None, html
    assert card.group(1) == reverse("feedback:form") and "1022" in card.group(2)
    form = client.get(card.group(1))
    assert form.status_code == 200 and 'name="description"' in form.content.decode()
    links = set(re.findall(r'href="(/[^"]*)"', html)) - {"/"}
    broken = {}
    for link in links:
        if link.startswith(("/static/", "/admin/")):
            continue
        status = client.get(link, follow=True).status_code
        if status != 200:
            broken[link] = status
    assert broken == {} and len(links) >= 5


def test_unknown_page_is_a_friendly_404(client, db):
    page = client.get("/khong-co-trang-nay/")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.content.decode()


TOKEN = "monitor-7f3a9c2e5b1d4a8f"


def test_healthz_tells_anonymous_callers_only_ok(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok" and response["Content-Type"].startswith("text/plain")


def test_healthz_reports_database_and_broker_to_a_monitor_with_the_token(client, db, settings):
    settings.HEALTHZ_TOKEN = TOKEN
    body = client.get(reverse("healthz"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"
    assert "last_beat" in body
    assert client.get(reverse("healthz"), HTTP_X_HEALTHZ_TOKEN=TOKEN).json()["database"] == "ok"


@pytest.mark.parametrize("token", ["", "wrong", TOKEN[:-1], TOKEN + "x"])
def test_healthz_details_need_the_exact_token(client, db, settings, token):
    settings.HEALTHZ_TOKEN = TOKEN
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.content == b"ok"


def test_healthz_without_a_configured_token_shows_no_details(client, db, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer ").content == b"ok"


def test_healthz_reports_details_to_staff(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("healthz")).json()["database"] == "ok"


def test_healthz_503_when_broker_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.content == b"unavailable"
    settings.HEALTHZ_TOKEN = TOKEN
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 503
    assert response.json()["broker"] != "ok"


def test_housekeeping_task_runs_and_is_idempotent(db):
    first = tasks.housekeeping()
    second = tasks.housekeeping()
    assert second == {"expired_sessions": 0, "old_access_attempts": 0, "stale_held_files": 0}
    assert isinstance(first, dict)
    assert Heartbeat.objects.filter(name="housekeeping").exists()


def test_beat_schedule_names_real_tasks():
    from portal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_check_deploy_is_clean_under_production_variables():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Zq8#x!Lm2$Vb7^Rt9&Wn4*Yp6(Hs3)Jd5-Gf1+Ca0" * 2,
        "ALLOWED_HOSTS": "portal.mytho.gov.vn",
        "ORG_SIGNING_KEY_SECRET": "o" * 16 + "Qw7#Er9!Ty2$Ui4^Op6&As8*Df0(Gh" * 2,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("HTTPS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_seed_demo_builds_the_city_of_the_article():
    from django.core.management import call_command

    from portal.models import Unit, UnitKind, User

    call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))
    call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))  # idempotent
    assert Unit.objects.count() == 68
    assert Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]).count() == 17
    assert User.objects.filter(is_active=True, is_staff=True).count() == 1082
    assert set(Unit.objects.filter(kind=UnitKind.WARD).values_list("admin_code", flat=True)) >= {
        "28261",
        "28279",
    }
    ward_officer = User.objects.get(username="p1.motcua")
    assert ward_officer.unit.name == "Phường 1" and ward_officer.check_password("demo-MyTho-2022")
    # The demo log-ins pass two-step verification with the published demo key.
    from django_otp import match_token

    from portal.demo_otp import current_code

    assert match_token(ward_officer, current_code()) is not None
    assert json.dumps(User.objects.get(username="tuphap.ld").has_role("leader")) == "true"


def test_check_deploy_errors_while_the_payment_sandbox_is_on():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Zq8#x!Lm2$Vb7^Rt9&Wn4*Yp6(Hs3)Jd5-Gf1+Ca0" * 2,
        "ALLOWED_HOSTS": "portal.mytho.gov.vn",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PAYMENT_SANDBOX": "true",
    }
    env.pop("HTTPS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "onestop.E001" in result.stdout + result.stderr
