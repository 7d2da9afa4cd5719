"""A tested restore: back up the database and files, restore into a second PostgreSQL server and a
fresh storage, and find every row and every file identical."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connections

from onestop.models import DossierStatus as S
from portal.backup import stored_names
from tests.onestop.factories import Cast, make_dossier

BASE = Path(__file__).resolve().parents[2]


def table_digests(**conn) -> dict[str, tuple[int, str]]:
    """Every public table: its row count and an MD5 of all its rows in a stable order."""
    db = psycopg2.connect(**conn, options="-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=3")
    with db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [name for (name,) in cursor.fetchall()]
        found = {}
        for name in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"{name}\" x"
            )
            found[name] = cursor.fetchone()
    db.close()
    return found


@pytest.fixture
def files_here(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


def test_backup_restores_every_row_and_file_byte_for_byte(
    transactional_db, second_postgres, files_here, tmp_path
):
    from portal import calendar_data
    from portal.models import CalendarDay
    from portal.roles import ensure_roles

    ensure_roles()
    calendar_data.load(CalendarDay)
    cast = Cast()
    for status in (S.SUBMITTED, S.PROCESSING, S.RESULT_READY):
        make_dossier(cast, status)  # dossiers with their uploads, and a result PDF for the finished one
    names = stored_names()
    assert len(names) >= 4

    call_command("backup", str(tmp_path / "backup"))

    port = second_postgres["port"]
    admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS restored")
        cursor.execute("CREATE DATABASE restored")
    admin.close()
    restored_files = tmp_path / "restored-files"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/restored",
        "PRIVATE_MEDIA_ROOT": str(restored_files),
    }
    env.pop("S3_BUCKET", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    primary = connections["default"].settings_dict
    source = table_digests(
        host=primary["HOST"] or "127.0.0.1",
        port=primary["PORT"] or 5432,
        user=primary["USER"],
        dbname=primary["NAME"],
    )
    target = table_digests(host="127.0.0.1", port=port, user="postgres", dbname="restored")
    assert source == target
    assert source["onestop_dossier"][0] == 3 and source["onestop_dossierfile"][0] >= 3
    for name in names:
        original = (files_here / name).read_bytes()
        assert (restored_files / name).read_bytes() == original, name
        assert hashlib.sha256(original).hexdigest()

    # Restoring over data is refused: a restore goes into a fresh database.
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode != 0 and "not empty" in again.stderr
