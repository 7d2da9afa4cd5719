"""Plumbing every app's benchmark command shares: honest timings, printed, never asserted.

- :func:`bench_database` makes the separate benchmark database on the same
  server and :func:`run_inner` re-runs a command inside it (the figures come
  back as one JSON line);
- :func:`timed` measures a page through Django's test client: p50, p95 and
  the most SQL queries it took. A response the benchmark did not expect (an
  error, a redirect to a log-in, a form that failed validation) stops the
  run with the page, the status and where it pointed: a figure from a
  request that failed is false;
- :class:`Gunicorn` serves the portal, or the bare baseline
  (:mod:`portal.bench_bare`, no middleware, one view), under the same
  gunicorn with the same workers, and :func:`wrk` measures throughput on
  127.0.0.1 (median of several runs; any non-2xx/3xx answer fails the run);
- :func:`ratio_table` prints each page's p50/p95 next to its throughput
  ratio to the bare view measured in the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

RESULT = "BENCHMARK-RESULT "


class BenchFailure(CommandError):
    """A measured request did not answer what the benchmark expected."""


# --- the benchmark database ------------------------------------------------------------


def bench_database(name: str) -> str:
    """Create database ``name`` on the configured server if missing; return its URL."""
    params = connection.get_connection_params()
    admin = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    with closing(psycopg2.connect(dbname="postgres", **admin)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cur.fetchone():
                cur.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(getattr(settings, "DATABASE_URL", None) or os.environ["DATABASE_URL"])
    return urlunsplit((url.scheme, url.netloc, "/" + name, url.query, ""))


def run_inner(command: str, database: str, args: Iterable[str], echo: Callable[[str], None]) -> dict:
    """Run ``manage.py <command> --inner <args>`` against ``database``; return its JSON result.

    The static files are collected first: the inner run renders pages through production's
    hashed-name storage, which knows only collected files.
    """
    _collect_static()
    env = {
        **os.environ,
        "DATABASE_URL": bench_database(database),
        "REDIS_URL": settings.REDIS_URL,
        "HTTPS": "false",
    }
    argv = [sys.executable, str(settings.BASE_DIR / "manage.py"), command, "--inner", *args]
    echo(f"== database {database}")
    proc = subprocess.run(argv, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    for line in lines:
        if not line.startswith(RESULT):
            echo(line)
    if proc.returncode:
        echo(proc.stderr[-4000:])
        raise CommandError(f"{command} failed in {database} ({proc.returncode})")
    return json.loads(next(ln for ln in lines if ln.startswith(RESULT))[len(RESULT) :])


def emit(result: dict, echo: Callable[[str], None]) -> None:
    """The inner run's last line: its figures for the outer run."""
    echo(RESULT + json.dumps(result, default=str))


# --- timing through the test client --------------------------------------------------------


@dataclass
class Timing:
    p50: float
    p95: float
    queries: int

    def as_tuple(self) -> tuple[float, float, int]:
        return (self.p50, self.p95, self.queries)


def check_response(label: str, response, expect: Iterable[int], check=None) -> None:
    """Fail the run unless ``response`` is what the page must answer."""
    expected = set(expect)
    where = response.get("Location", "")
    if response.status_code not in expected:
        raise BenchFailure(
            f"{label}: {response.status_code} (expected {sorted(expected)})"
            + (f" -> {where}" if where else "")
        )
    if check is not None:
        problem = check(response)
        if problem:
            raise BenchFailure(f"{label}: {problem}")


def timed(label: str, fn: Callable[[], object], samples: int, expect=(200,), check=None) -> Timing:
    """p50 / p95 in ms and the most queries of ``samples`` calls of ``fn`` (a client request)."""
    times: list[float] = []
    queries = 0
    for _ in range(samples):
        # The log keeps at most 9,000 queries: once full, CaptureQueriesContext counts none.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = fn()
            elapsed = (time.perf_counter() - started) * 1000
        check_response(label, response, expect, check)
        times.append(elapsed)
        queries = max(queries, len(ctx.captured_queries))
    times.sort()
    return Timing(statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries)


#: The label suffix of a page timed without the page cache.
RENDERED = " (rendered, no page cache)"


def timed_rendered(plan: dict[str, tuple[Callable[[], object], Callable | None]], samples: int) -> dict:
    """Each page of ``plan`` (label: (request, check)) timed again with the page cache off: as a
    visitor with a session, or the first one after a write, gets it."""
    from django.test.utils import override_settings

    with override_settings(PAGE_CACHE=False):
        return {
            label + RENDERED: timed(label, fn, samples, check=check) for label, (fn, check) in plan.items()
        }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


# --- gunicorn and wrk --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_static_collected = False


def _collect_static() -> None:
    """Production settings serve collectstatic's hashed files only: collect them once per run."""
    global _static_collected
    if not _static_collected:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        _static_collected = True


class Gunicorn:
    """``gunicorn <app>`` on a free port of 127.0.0.1 with ``workers`` sync workers, for a ``with`` block."""

    def __init__(self, app: str = "portal.wsgi:application", workers: int = 2, env: dict | None = None):
        self.app, self.workers = app, workers
        self.port = free_port()
        self.env = {
            **os.environ,
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        _collect_static()
        argv = [sys.executable, "-m", "gunicorn", self.app, "--bind", f"127.0.0.1:{self.port}"]
        argv += ["--workers", str(self.workers), "--log-level", "warning"]
        self.proc = subprocess.Popen(argv, cwd=settings.BASE_DIR, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CommandError(f"gunicorn {self.app} exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise CommandError(f"gunicorn {self.app} did not listen within 30 s")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def wrk(url: str, seconds: int, headers: Iterable[str] = (), runs: int = 3, connections: int = 8) -> float:
    """Median requests/s of ``runs`` wrk runs against ``url``; any non-2xx/3xx answer fails the run."""
    rates = []
    header_args = [arg for header in headers for arg in ("-H", header)]
    for _ in range(runs):
        # A request still unanswered after 10 s fails the run (wrk's default, 2 s, is hit
        # on a shared 2-core machine even by the bare view).
        cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", *header_args, url]
        text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        bad = [ln.strip() for ln in text.splitlines() if "Non-2xx" in ln or "Socket errors" in ln]
        if bad:
            raise BenchFailure(f"{url}: {bad[0]}")
        line = next(ln for ln in text.splitlines() if ln.startswith("Requests/sec"))
        rates.append(float(line.split()[1]))
    return statistics.median(rates)


def ratio_table(rows: list[tuple[str, Timing | None, float | None]], bare: float | None, echo) -> None:
    """Print ``(page, timing, req/s)`` rows with each throughput's ratio to the bare view."""
    echo(f"{'page':<44}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'req/s':>9}{'ratio':>8}")
    if bare:
        echo(f"{'bare Django view (no middleware)':<44}{'':>9}{'':>9}{'':>9}{bare:>9.0f}{1:>8.2f}")
    for label, timing, rate in rows:
        p50 = f"{timing.p50:.1f}" if timing else "—"
        p95 = f"{timing.p95:.1f}" if timing else "—"
        queries = str(timing.queries) if timing else "—"
        req = f"{rate:.0f}" if rate else "—"
        ratio = f"{rate / bare:.2f}" if rate and bare else "—"
        echo(f"{label:<44}{p50:>9}{p95:>9}{queries:>9}{req:>9}{ratio:>8}")
