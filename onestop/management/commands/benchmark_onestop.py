"""Benchmark of the one-stop desk at city scale: ``python manage.py benchmark_onestop``.

Runs in its own database (``--database-name``, default ``portal_bench``, on the
same server as DATABASE_URL), loads the demo city, ``--dossiers`` dossiers of
history in bulk (default 1,000,000) and a few dossiers walked through the
real services (so the status page and the sweep meet real histories), then
prints for every page citizens and officials hit most:

- p50 / p95 through Django's test client and the most SQL queries, at a small
  data size and at full size (the count must not grow with the data);
- under gunicorn (2 sync workers) with wrk on 127.0.0.1, its throughput as a
  ratio to a bare Django app (no middleware, one view) started under the same
  gunicorn in the same run (median of three runs each);
- the reminder sweep run until nothing is left to queue or send, and its
  time per thousand reminders.

Every measured request must answer what it should (the look-up form POST a
302 to the status page with the session written, staff pages a 200, not a
redirect to the log-in): anything else stops the run. Figures are printed,
never asserted: speed goals live here, not in tests.
"""

from __future__ import annotations

import os
import random
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse

from portal import bench, otp

PAGES_STAFF = (
    "admin home (queue counts)",
    "dossier list: ward officer",
    "dossier list: ward officer, overdue",
    "dossier list: ward officer, mine",
    "dossier list: ward officer, due soon",
    "dossier list: ward officer, supplements",
)
QUEUES = {
    PAGES_STAFF[2]: "overdue",
    PAGES_STAFF[3]: "mine",
    PAGES_STAFF[4]: "due_soon",
    PAGES_STAFF[5]: "supplement",
}
#: Staff pages are kept per session until any data changes (portal.pagecache): the benchmark
#: also times them rendered (bench.RENDERED), as the first view after any action anywhere is.


class Command(BaseCommand):
    help = "Load a city-scale dossier history into a separate database and print page timings."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--database-name", default="portal_bench")
        parser.add_argument("--samples", type=int, default=200, help="Requests per measured page.")
        parser.add_argument("--wrk-seconds", type=int, default=5)
        parser.add_argument(
            "--inner", action="store_true", help="(internal) run inside the benchmark database"
        )

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._inner(opts)
        name = opts["database_name"]
        small_size = min(2_000, opts["dossiers"])
        common = ["--samples", str(opts["samples"])]
        small = bench.run_inner(
            "benchmark_onestop",
            f"{name}_small",
            [*common, "--dossiers", str(small_size), "--wrk-seconds", "0"],
            self.stdout.write,
        )
        full = bench.run_inner(
            "benchmark_onestop",
            name,
            [*common, "--dossiers", str(opts["dossiers"]), "--wrk-seconds", str(opts["wrk_seconds"])],
            self.stdout.write,
        )
        out = self.stdout.write
        out("")
        out(f"One-stop desk, {opts['dossiers']:,} dossiers (queries also at {small_size:,}):")
        rows = []
        for label, values in full["pages"].items():
            timing = bench.Timing(*values)
            small_queries = small["pages"][label][2]
            if small_queries != timing.queries:
                label = f"{label} [queries {small_queries} at {small_size:,}]"
            rows.append((label, timing, full["rates"].get(label.split(" [")[0])))
        bench.ratio_table(rows, full["rates"].get("bare"), out)
        sweep = full["sweep"]
        per_thousand = sweep["seconds"] / max(1, sweep["reminders"]) * 1000
        out(
            f"reminder sweep over {sweep['active']:,} dossiers in processing: {sweep['reminders']:,} reminders "
            f"queued and sent in {sweep['runs']} runs, {sweep['seconds']:.1f} s "
            f"({per_thousand:.2f} s per thousand); a further run queued {sweep['again']['queued']} "
            f"and sent {sweep['again']['sent']}"
        )

    # --- inside the benchmark database ---------------------------------------------------

    def _inner(self, opts):
        out = self.stdout.write
        call_command("migrate", "--noinput", verbosity=0)
        started = time.monotonic()
        call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))
        out(f"seed_demo: {time.monotonic() - started:.1f} s")

        from onestop import benchmark_data

        seconds = benchmark_data.load(opts["dossiers"], echo=out)
        out(f"{opts['dossiers']:,} dossiers present (bulk loading took {seconds:.0f} s)")
        walked = benchmark_data.walk_through_services()
        out(f"{len(walked)} dossiers walked through the services (with their histories)")
        pages, clients = self._measure(opts["samples"], walked)
        rates = {}
        if opts["wrk_seconds"] and bench.have_wrk():
            rates = self._throughput(opts["wrk_seconds"], clients)
        elif opts["wrk_seconds"]:
            out("throughput: not measured, wrk is not installed (apt-get install wrk)")
        result = {
            "pages": {k: v.as_tuple() for k, v in pages.items()},
            "rates": rates,
            "sweep": self._sweep() if opts["wrk_seconds"] else {},
        }
        bench.emit(result, out)

    def _measure(self, samples, walked):
        from onestop.models import Dossier, Service
        from portal.models import User

        rng = random.Random(7)
        codes = list(
            Dossier.objects.filter(code__contains="-B")
            .order_by("?")
            .values_list("code", "applicant_phone")[: samples * 2]
        )
        citizen = Client(HTTP_HOST="localhost")
        lookup = reverse("onestop:lookup")
        pages: dict[str, bench.Timing] = {}
        key = settings.SESSION_COOKIE_NAME

        def real_lookup():
            code, phone = rng.choice(codes)
            return citizen.post(
                lookup,
                {"code": code, "secret": phone},
                REMOTE_ADDR=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            )

        def found_and_remembered(response):
            target = reverse("onestop:lookup_detail", args=["X"]).rsplit("X", 1)[0]
            if not response["Location"].startswith(target):
                return f"the look-up did not lead to a status page ({response['Location']})"
            if key not in citizen.cookies:
                return "the look-up wrote no session"
            return None

        pages["look-up: form POST (real look-up)"] = bench.timed(
            "look-up POST", real_lookup, samples, expect=(302,), check=found_and_remembered
        )
        # The status page of a dossier with a history made through the services.
        shown = walked[0]
        response = citizen.post(
            lookup, {"code": shown.code, "secret": shown.applicant_phone}, REMOTE_ADDR="10.9.9.9"
        )
        bench.check_response("look-up of a walked dossier", response, (302,))
        status_page = reverse("onestop:lookup_detail", args=[shown.code])
        pages["look-up: status page"] = bench.timed("status page", lambda: citizen.get(status_page), samples)

        public = Client(HTTP_HOST="localhost")
        service = Service.objects.filter(active=True, level__gte=3).order_by("code").first()
        words = [
            "giay phep xay dung",
            "khai sinh",
            "dang ky ket hon",
            "chung thuc",
            "ho kinh doanh",
            "dat dai",
        ]
        catalogue = reverse("onestop:catalogue")
        public_pages = {
            "home": lambda: public.get("/"),
            "catalogue": lambda: public.get(catalogue),
            "catalogue search": lambda: public.get(catalogue, {"q": rng.choice(words)}),
            "a service's page": lambda: public.get(reverse("onestop:service", args=[service.code])),
            "look-up form": lambda: public.get(lookup),
            "statistics": lambda: public.get(reverse("onestop:stats")),
        }
        for label, fn in public_pages.items():
            pages[label] = bench.timed(label, fn, samples)

        officer = User.objects.get(username="p1.motcua")
        staff = Client(HTTP_HOST="localhost")
        staff.force_login(officer)
        otp.mark_verified(staff.session, officer)  # the back office asks for the second factor too
        changelist = reverse("admin:onestop_dossier_changelist")

        def not_the_login_page(response):
            if response.status_code == 302 and "/login/" in response.get("Location", ""):
                return "sent to the log-in page"
            return "answered the log-in page" if b'id="login-form"' in response.content else None

        staff_pages = {
            PAGES_STAFF[0]: lambda: staff.get(reverse("admin:index")),
            PAGES_STAFF[1]: lambda: staff.get(changelist),
            **{
                label: (lambda queue=queue: staff.get(changelist, {"queue": queue}))
                for label, queue in QUEUES.items()
            },
        }
        for label, fn in staff_pages.items():
            pages[label] = bench.timed(label, fn, max(20, samples // 4), check=not_the_login_page)
        rendered = {label: (fn, not_the_login_page) for label, fn in staff_pages.items()}
        pages.update(bench.timed_rendered(rendered, max(10, samples // 10)))
        leader = Client(HTTP_HOST="localhost")
        leader.force_login(User.objects.get(username="ubnd.lanhdao"))
        otp.mark_verified(leader.session, User.objects.get(username="ubnd.lanhdao"))
        pages["dossier list: city leader, due soon"] = bench.timed(
            "city leader due soon",
            lambda: leader.get(changelist, {"queue": "due_soon"}),
            max(20, samples // 4),
            check=not_the_login_page,
        )
        paths = {
            "home": "/",
            "catalogue": catalogue,
            "catalogue search": catalogue + "?q=khai+sinh",
            "a service's page": reverse("onestop:service", args=[service.code]),
            "look-up form": lookup,
            "statistics": reverse("onestop:stats"),
            "look-up: status page": (status_page, f"Cookie: {key}={citizen.cookies[key].value}"),
            PAGES_STAFF[0]: (reverse("admin:index"), f"Cookie: {key}={staff.cookies[key].value}"),
            PAGES_STAFF[1]: (changelist, f"Cookie: {key}={staff.cookies[key].value}"),
            **{
                label: (f"{changelist}?queue={queue}", f"Cookie: {key}={staff.cookies[key].value}")
                for label, queue in QUEUES.items()
            },
        }
        return pages, paths

    def _throughput(self, seconds, paths) -> dict[str, float]:
        rates = {}
        with bench.Gunicorn("portal.bench_bare:application") as bare:
            rates["bare"] = bench.wrk(bare.base + "/", seconds)
        with bench.Gunicorn() as portal:
            for label, target in paths.items():
                path, headers = (target, ()) if isinstance(target, str) else (target[0], (target[1],))
                rates[label] = bench.wrk(portal.base + path, seconds, headers)
        return rates

    def _sweep(self) -> dict:
        """The whole sweep: run until a run queues nothing and leaves nothing unsent."""
        from onestop.models import IN_PROCESS_STATUSES, Dossier, Notification
        from portal import outbox

        active = Dossier.objects.filter(status__in=IN_PROCESS_STATUSES).count()
        Notification.objects.all().delete()  # a reused benchmark database: start from an empty outbox
        before = 0
        with (
            tempfile.TemporaryDirectory() as mail_dir,
            self._settings(
                EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=mail_dir
            ),
        ):
            started, runs = time.monotonic(), 0
            while True:
                runs += 1
                result = outbox.sweep()
                queued = result["step_due"] + result["step_overdue"] + result["apology_due"]
                if queued == 0 and not result["more"] and result["sent"] == 0:
                    break
                while result.get("more"):
                    result = outbox.drain()
            seconds = time.monotonic() - started
            again = outbox.sweep()
        reminders = Notification.objects.count() - before
        return {
            "active": active,
            "reminders": reminders,
            "runs": runs,
            "seconds": seconds,
            "again": {
                "queued": again["step_due"] + again["step_overdue"] + again["apology_due"],
                "sent": again["sent"],
            },
        }

    @staticmethod
    def _settings(**values):
        from django.test.utils import override_settings

        return override_settings(**values)
