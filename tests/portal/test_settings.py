"""Settings: importing them starts nothing; production values are required; shared state is in Redis."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

BASE = Path(__file__).resolve().parents[2]
IMPORT = "import portal.settings as s; print(s.DATABASE_URL); print(s.REDIS_URL)"


def _python(code: str, **env_changes) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_settings_fail_fast_without_a_required_value(tmp_path, missing):
    values = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/nothing",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
    }
    values.pop(missing)
    result = _python(IMPORT, PORTAL_VAR_DIR=str(tmp_path / "var"), **values)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} is not set." in result.stderr
    assert "make run" in result.stderr  # the message says how to get one
    assert not (tmp_path / "var").exists()  # nothing generated, nothing started


def test_importing_settings_starts_and_writes_nothing(tmp_path):
    """Under DEBUG with nothing configured: development defaults, no embedded server, no file."""
    var = tmp_path / "var"
    result = _python(IMPORT, DEBUG="true", PORTAL_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgres://postgres@127.0.0.1:5432/portal", "redis://127.0.0.1:6379/0"]
    assert not var.exists()  # no pgdata, no redis socket, no secret_key file


def test_launcher_passes_a_kept_secret_key_and_says_so(tmp_path):
    code = (
        "import os; from portal import launcher; s = launcher.Services(); s.up(); "
        "print('KEY=' + os.environ['SECRET_KEY'])"
    )
    env = {"PORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://x/y", "REDIS_URL": "redis://x/0"}
    first, second = _python(code, **env), _python(code, **env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert f"KEY={key}" in first.stdout and f"KEY={key}" in second.stdout  # kept, not regenerated
    assert f"using the key generated once into {tmp_path / 'secret_key'}" in first.stdout


def test_cache_is_redis_and_shared_by_every_process():
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("shared-by-processes", "set in the test process", 60)
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache.get('shared-by-processes'))"
    )
    result = _python(
        code,
        DJANGO_SETTINGS_MODULE="portal.test_settings",
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "set in the test process"


def test_sessions_survive_losing_the_redis_copy(client, make_user, password):
    """cached_db: a session is read from Redis but written to PostgreSQL too."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    user = make_user(citizen=True)
    client.force_login(user)
    assert client.get("/tai-khoan/ho-so/").status_code == 200
    cache.delete_pattern("*")  # Redis restarted empty
    assert client.get("/tai-khoan/ho-so/").status_code == 200  # still signed in


def test_a_redis_outage_is_a_cache_miss_not_an_error(client, db, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    assert client.get("/").status_code == 200
    assert client.get("/thong-ke/").status_code == 200


def test_code_only_commands_run_without_the_servers_settings():
    """``manage.py makemigrations --check`` reads the models only: no SECRET_KEY, database or Redis needed
    (a command that touches data still stops at once without them)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "No changes detected" in check.stdout
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (
        migrate.returncode != 0
        and "ImproperlyConfigured" in migrate.stderr
        and "is not set." in migrate.stderr
    )
