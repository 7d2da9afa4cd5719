"""Benchmark of the staff records at scale: ``python manage.py benchmark_personnel``.

Runs in its own database (``--database-name``, default ``portal_bench``, on the
same server as DATABASE_URL, shared with the one-stop benchmark), loads the
demo city and tops the personnel files up to ``--files`` (default 100,000),
then prints p50 / p95 and SQL query counts of the unit list and the search as
a ward's personnel officer, the Home Affairs office (the whole city) and the
city's leader, and of a file page; query counts are compared with a small
database (``<name>_small``, 2,000 files): they must not grow with the data.
The goal is p95 <= 100 ms.

Figures are printed, never asserted: speed goals live here, not in tests.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import closing
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

RESULT = "BENCHMARK-RESULT "
GOAL_MS = 100


class Command(BaseCommand):
    help = "Load 100,000 personnel files into a separate database and print list and search timings."

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=100_000)
        parser.add_argument("--database-name", default="portal_bench")
        parser.add_argument("--samples", type=int, default=200, help="Requests per measured page.")
        parser.add_argument(
            "--inner", action="store_true", help="(internal) run inside the benchmark database"
        )

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._inner(opts)
        name = opts["database_name"]
        small_size = min(2_000, opts["files"])
        small = self._run_inner(f"{name}_small", small_size, opts)
        full = self._run_inner(name, opts["files"], opts)
        out = self.stdout.write
        out("")
        header = f"queries at {small_size:,}"
        out(f"{'page':<44}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{header:>18}")
        worst = 0.0
        for key, (p50, p95, queries) in full["pages"].items():
            worst = max(worst, p95)
            out(f"{key:<44}{p50:>9.1f}{p95:>9.1f}{queries:>9}{small['pages'][key][2]:>18}")
        verdict = "met" if worst <= GOAL_MS else "NOT met"
        out(f"{full['files']:,} files; worst p95 {worst:.1f} ms: goal p95 <= {GOAL_MS} ms {verdict}.")

    def _run_inner(self, name, size, opts):
        params = connection.get_connection_params()
        admin = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
        with closing(psycopg2.connect(dbname="postgres", **admin)) as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if not cur.fetchone():
                    cur.execute(f'CREATE DATABASE "{name}"')
        url = urlsplit(settings.DATABASE_URL)
        bench_url = urlunsplit((url.scheme, url.netloc, "/" + name, url.query, ""))
        env = {**os.environ, "DATABASE_URL": bench_url, "REDIS_URL": settings.REDIS_URL, "HTTPS": "false"}
        argv = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "benchmark_personnel",
            "--inner",
            "--files",
            str(size),
            "--samples",
            str(opts["samples"]),
        ]
        self.stdout.write(f"== database {name}: {size:,} files")
        result = subprocess.run(argv, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)
        lines = result.stdout.splitlines()
        for line in lines:
            if not line.startswith(RESULT):
                self.stdout.write(line)
        if result.returncode:
            self.stderr.write(result.stderr[-3000:])
            raise CommandError(f"benchmark failed ({result.returncode})")
        return json.loads(next(ln for ln in lines if ln.startswith(RESULT))[len(RESULT) :])

    def _inner(self, opts):
        out = self.stdout.write
        call_command("migrate", "--noinput", verbosity=0)
        started = time.monotonic()
        call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))
        out(f"seed_demo: {time.monotonic() - started:.1f} s")
        from personnel import benchmark_data
        from personnel.models import PersonnelFile

        seconds = benchmark_data.load(opts["files"], echo=out)
        files = PersonnelFile.objects.count()
        out(f"{files:,} personnel files present (loading took {seconds:.0f} s)")
        out(RESULT + json.dumps({"pages": self._measure(opts["samples"]), "files": files}))

    def _timed(self, client, url, params, samples):
        times, queries = [], None
        for _ in range(samples):
            query = params() if callable(params) else params
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, query)
                elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != 200:
                raise CommandError(f"{response.status_code} from {url} {query}")
            times.append(elapsed)
            queries = max(queries or 0, len(ctx.captured_queries))
        times.sort()
        return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries

    def _measure(self, samples):
        from personnel.benchmark_data import FAMILY, GIVEN, MIDDLE
        from personnel.models import PersonnelFile
        from portal.models import Unit, User

        rng = random.Random(13)
        changelist = reverse("admin:personnel_personnelfile_changelist")
        officer = User.objects.get(username="p1.007")
        home = User.objects.get(username="nv.004")
        leader = User.objects.get(username="ubnd.lanhdao")
        wards = list(Unit.objects.filter(kind__in=["ward", "commune"]).values_list("pk", flat=True))
        numbers = list(PersonnelFile.objects.order_by("?").values_list("staff_number", flat=True)[:200])

        def name():
            return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}".lower()

        def folded_name():
            from portal.text import fold

            return fold(name())

        pages = {}
        client = Client(HTTP_HOST="localhost")
        client.force_login(officer)
        pages["ward officer: unit list"] = self._timed(client, changelist, {}, samples)
        pages["ward officer: search by name"] = self._timed(
            client, changelist, lambda: {"q": name()}, samples
        )
        client.force_login(home)
        pages["home affairs: city list, page 1"] = self._timed(client, changelist, {}, samples)
        pages["home affairs: one unit's list"] = self._timed(
            client, changelist, lambda: {"unit": rng.choice(wards)}, samples
        )
        pages["home affairs: search by name (accents)"] = self._timed(
            client, changelist, lambda: {"q": name()}, samples
        )
        pages["home affairs: search without accents"] = self._timed(
            client, changelist, lambda: {"q": folded_name()}, samples
        )
        pages["home affairs: search by staff number"] = self._timed(
            client, changelist, lambda: {"q": rng.choice(numbers)}, samples
        )
        pages["home affairs: unit list + search"] = self._timed(
            client, changelist, lambda: {"unit": rng.choice(wards), "q": rng.choice(GIVEN)}, samples
        )
        client.force_login(leader)
        pages["city leader: city list, page 1"] = self._timed(client, changelist, {}, samples)
        client.force_login(home)
        detail_ids = list(
            PersonnelFile.objects.filter(staff_number__in=numbers[:20]).values_list("pk", flat=True)
        )
        pages["home affairs: file page"] = self._timed_detail(client, detail_ids, samples // 2)
        return pages

    def _timed_detail(self, client, ids, samples):
        rng = random.Random(5)
        times, queries = [], 0
        for _ in range(samples):
            url = reverse("admin:personnel_personnelfile_change", args=[rng.choice(ids)])
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{response.status_code} from {url}")
            queries = max(queries, len(ctx.captured_queries))
        times.sort()
        return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries
