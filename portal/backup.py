"""Backup and restore of a whole installation: the database and every stored file.

``manage.py backup DIR`` writes ``DIR/database.dump`` (``pg_dump -Fc`` of the
default database), ``DIR/files/…`` (every object of the default storage,
a private directory or the S3 bucket) and ``DIR/manifest.json`` (each file's
size and SHA-256). ``manage.py restore DIR`` loads them into the database and
storage the environment points at, which must be empty (a fresh database, a
fresh directory or bucket), and checks every file against the manifest.
docs/deploy.md says when to use these and when base backups and bucket
versioning do better; tests/cluster/test_backup.py restores into a second
PostgreSQL server and compares every row and every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: PG_BIN's, else the newest installed, else the one on PATH."""
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    return str(found[-1]) if found else (shutil.which(name) or name)


def _conn_args(alias: str = "default") -> tuple[list[str], dict]:
    db = connections[alias].settings_dict
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def stored_names(storage=None, folder: str = "") -> list[str]:
    """Every file's name in the storage, recursively."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{f}" if folder else f for f in files]
    for sub in dirs:
        names += stored_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def backup(target: Path) -> dict:
    target.mkdir(parents=True, exist_ok=True)
    args, env = _conn_args()
    subprocess.run(
        [pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(target / "database.dump"), *args],
        check=True,
        env=env,
    )
    manifest = {}
    for name in stored_names():
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        path = target / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        manifest[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (target / "manifest.json").write_text(json.dumps({"files": manifest}, indent=1, sort_keys=True))
    return {"files": len(manifest), "database": (target / "database.dump").stat().st_size}


def restore(source: Path) -> dict:
    manifest = json.loads((source / "manifest.json").read_text())["files"]
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if cursor.fetchone()[0]:
            raise RuntimeError("the target database is not empty: restore into a fresh database")
    if stored_names():
        raise RuntimeError("the target storage is not empty: restore into a fresh directory or bucket")
    connections["default"].close()
    args, env = _conn_args()
    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args, str(source / "database.dump")],
        check=True,
        env=env,
    )
    for name, expected in manifest.items():
        data = (source / "files" / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != expected["sha256"]:
            raise RuntimeError(f"{name}: the backup's copy does not match its manifest")
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            raise RuntimeError(f"{name} was stored as {saved}")
    return {"files": len(manifest)}
