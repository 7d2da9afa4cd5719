"""Benchmark of the one-stop desk at city scale: ``python manage.py benchmark_onestop``.

Runs in its own database (``--database-name``, default ``portal_bench``, on the
same server as DATABASE_URL), loads the demo city and ``--dossiers`` dossiers
(default 1,000,000), then prints:

- p50 / p95 of the public look-up (form POST and status page), the catalogue
  search and an official's queue pages, each page's SQL query count at a small
  data size and at full size (it must not grow with the data);
- the reminder sweep's time;
- under gunicorn (2 sync workers) with wrk on 127.0.0.1, the look-up page's
  throughput as a ratio to a bare Django view measured in the same run
  (median of three runs each).

Figures are printed, never asserted: speed goals live here, not in tests.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
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

BASE_DIR = settings.BASE_DIR
RESULT = "BENCHMARK-RESULT "


class Command(BaseCommand):
    help = "Load a city-scale dossier history into a separate database and print page timings."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--database-name", default="portal_bench")
        parser.add_argument("--samples", type=int, default=200, help="Requests per measured page.")
        parser.add_argument("--wrk-seconds", type=int, default=8)
        parser.add_argument(
            "--inner", action="store_true", help="(internal) run inside the benchmark database"
        )

    # --- outer: make the database, re-run inside it -------------------------------------
    def handle(self, *args, **opts):
        if not opts["inner"]:
            return self._outer(opts)
        return self._inner(opts)

    def _outer(self, opts):
        name = opts["database_name"]
        small_size = min(2_000, opts["dossiers"])
        small = self._run_inner(f"{name}_small", small_size, opts, throughput=False)
        full = self._run_inner(name, opts["dossiers"], opts, throughput=True)
        out = self.stdout.write
        out("")
        header = f"queries at {small_size:,}"
        out(f"{'page':<34}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{header:>18}")
        for key, (p50, p95, queries) in full["pages"].items():
            out(f"{key:<34}{p50:>9.1f}{p95:>9.1f}{queries:>9}{small['pages'][key][2]:>18}")
        out(
            f"reminder sweep with {full['active']:,} dossiers in processing: first run {full['sweep'][0]:.2f} s "
            f"({full['sweep'][1]}), second run {full['sweep2'][0]:.2f} s ({full['sweep2'][1]})"
        )
        for line in full.get("throughput", []):
            out(line)

    def _run_inner(self, name, size, opts, throughput):
        """Run the measuring half in database ``name`` (made if missing) with ``size`` dossiers."""
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
            str(BASE_DIR / "manage.py"),
            "benchmark_onestop",
            "--inner",
            "--dossiers",
            str(size),
            "--samples",
            str(opts["samples"]),
            "--wrk-seconds",
            str(opts["wrk_seconds"] if throughput else 0),
        ]
        self.stdout.write(f"== database {name}: {size:,} dossiers")
        result = subprocess.run(argv, env=env, cwd=BASE_DIR, capture_output=True, text=True)
        lines = result.stdout.splitlines()
        for line in lines:
            if not line.startswith(RESULT):
                self.stdout.write(line)
        if result.returncode:
            self.stderr.write(result.stderr[-3000:])
            raise CommandError(f"benchmark failed ({result.returncode})")
        return json.loads(next(ln for ln in lines if ln.startswith(RESULT))[len(RESULT) :])

    # --- inner: runs against the benchmark database --------------------------------------
    def _inner(self, opts):
        out = self.stdout.write
        call_command("migrate", "--noinput", verbosity=0)
        started = time.monotonic()
        call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))
        out(f"seed_demo: {time.monotonic() - started:.1f} s")

        from onestop import benchmark_data

        seconds = benchmark_data.load(opts["dossiers"], echo=out)
        out(f"{opts['dossiers']:,} dossiers present (loading took {seconds:.0f} s)")
        result = self._measure(opts["samples"])
        lookup_url, cookie = result.pop("lookup_url"), result.pop("cookie")
        if opts["wrk_seconds"]:
            result["throughput"] = self._throughput(opts["wrk_seconds"], lookup_url, cookie)
        out(RESULT + json.dumps(result, default=str))

    def _timed(self, fn, samples):
        times, queries = [], None
        for _ in range(samples):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = fn()
                elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code >= 400:
                raise CommandError(f"{response.status_code} from {response.request['PATH_INFO']}")
            times.append(elapsed)
            queries = (
                len(ctx.captured_queries) if queries is None else max(queries, len(ctx.captured_queries))
            )
        times.sort()
        return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries

    def _measure(self, samples):
        from onestop import reminders
        from onestop.models import Dossier, DossierStatus
        from portal.models import User

        rng = random.Random(7)
        with connection.cursor() as cur:
            cur.execute("SELECT min(id), max(id) FROM onestop_dossier")
            low, top = cur.fetchone()
        ids = [rng.randint(low, top) for _ in range(samples * 2)]
        dossiers = list(Dossier.objects.filter(pk__in=ids).values_list("code", "applicant_phone"))
        client = Client(HTTP_HOST="localhost")
        lookup_url = reverse("onestop:lookup")
        pages = {}

        def lookup_post():
            code, phone = rng.choice(dossiers)
            return client.post(
                lookup_url,
                {"code": code, "contact": phone},
                REMOTE_ADDR=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )

        pages["look-up: form POST"] = self._timed(lookup_post, samples)
        code, phone = dossiers[0]
        response = client.post(lookup_url, {"code": code, "secret": phone}, REMOTE_ADDR="10.9.9.9")
        detail_url = reverse("onestop:lookup_detail", args=[code])
        pages["look-up: status page"] = self._timed(lambda: client.get(detail_url), samples)
        del response

        words = [
            "giay phep xay dung",
            "khai sinh",
            "dang ky ket hon",
            "chung thuc",
            "ho kinh doanh",
            "dat dai",
        ]
        catalogue = reverse("onestop:catalogue")
        pages["catalogue search"] = self._timed(
            lambda: client.get(catalogue, {"q": rng.choice(words)}), samples
        )

        officer = User.objects.get(username="p1.motcua")
        leader = User.objects.get(username="ubnd.lanhdao")
        staff = Client(HTTP_HOST="localhost")
        changelist = reverse("admin:onestop_dossier_changelist")
        staff.force_login(officer)
        pages["queue: ward officer, all"] = self._timed(lambda: staff.get(changelist), samples // 2)
        pages["queue: ward officer, overdue"] = self._timed(
            lambda: staff.get(changelist, {"queue": "overdue"}), samples // 2
        )
        staff.force_login(leader)
        pages["queue: city leader, all"] = self._timed(lambda: staff.get(changelist), samples // 2)
        pages["queue: city leader, due soon"] = self._timed(
            lambda: staff.get(changelist, {"queue": "due_soon"}), samples // 2
        )
        pages["admin home (queue counts)"] = self._timed(
            lambda: staff.get(reverse("admin:index")), samples // 4
        )

        t0 = time.monotonic()
        first = reminders.sweep()
        sweep = time.monotonic() - t0
        t0 = time.monotonic()
        second = reminders.sweep()
        sweep2 = time.monotonic() - t0
        active = Dossier.objects.filter(
            status__in=[DossierStatus.PROCESSING, DossierStatus.AWAITING_APPROVAL]
        ).count()
        return {
            "pages": pages,
            "sweep": (sweep, first),
            "sweep2": (sweep2, second),
            "active": active,
            "lookup_url": detail_url,
            "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        }

    # --- gunicorn + wrk -------------------------------------------------------------------
    def _throughput(self, seconds, lookup_path, cookie):
        lines = []
        out = lines.append
        if not shutil.which("wrk"):
            return ["throughput: not measured, wrk is not installed (apt-get install wrk)"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "HTTPS": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.1)

            def rate(path, *headers):
                runs = []
                for _ in range(3):
                    cmd = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", *headers, base + path]
                    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
                    line = next(ln for ln in text.splitlines() if ln.startswith("Requests/sec"))
                    non2xx = [ln for ln in text.splitlines() if "Non-2xx" in ln]
                    if non2xx:
                        raise CommandError(f"{path}: {non2xx[0].strip()}")
                    runs.append(float(line.split()[1]))
                return statistics.median(runs)

            bare = rate("/livez")
            form = rate(reverse("onestop:lookup"))
            lookup = rate(lookup_path, "-H", f"Cookie: {cookie}")
            out(f"gunicorn 2 workers, wrk -t2 -c8 -d{seconds}s, median of 3:")
            out(f"  bare Django view /livez:   {bare:9.0f} req/s")
            out(f"  look-up form page:         {form:9.0f} req/s   ratio to bare {form / bare:5.2f}")
            out(f"  look-up status page:       {lookup:9.0f} req/s   ratio to bare {lookup / bare:5.2f}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        return lines
