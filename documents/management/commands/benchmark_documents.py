"""Benchmark of official documents at city scale: ``python manage.py benchmark_documents``.

Runs in its own database (``--database-name``, default ``portal_bench`` on
the same server as DATABASE_URL, shared with the other apps' benchmarks),
loads the demo city and ``--documents`` documents with their text in bulk
(default 1,000,000; ``documents.benchmark_data``), then prints:

- p50 / p95 through Django's test client and the most SQL queries of the
  search (common and rare words, without accents, with filters, as a city
  leader, a ward's clerk and a department's specialist), the registers
  (outgoing and incoming, first and next keyset page) and the queues of the
  back office (every queue, as the officials who work them), each checked to
  answer the page it must (the results, the register, the list: never a
  log-in page or an error). Queue counts are recomputed for every request
  (the cache of counts is emptied before each), so the figures are the cold
  ones;
- the same query counts at a small size (``min(10,000, --documents)``) in a
  second database: the command fails if any page's count differs;
- ``--issuers`` (20) threads, each with its own database connection, issuing
  signed documents of the city committee at the same moment through
  ``documents.services.issue_document``: the numbers must be distinct and
  consecutive, following the counter (the command fails otherwise);
- signing and validation time per document with the demo certificates: the
  leader's PAdES signature (``sign_pdf``), the organisation's
  (``sign_as_organisation``) and ``validate_pdf``.

Goals (issue 8): search, register and queue pages p95 <= 150 ms; they are
printed beside the figures. ``--inner --no-seed`` runs the measuring part in
the current database (the test suite runs it on a few hundred documents).
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import bench, otp

GOAL_MS = 150
SMALL = 10_000  # the second size at which query counts are taken


def simple_pdf(text: str) -> bytes:
    """A real one-page PDF in the Decree 30 layout (the kernel's builder)."""
    from portal import pdf as portal_pdf

    return portal_pdf.build(portal_pdf.title("QUYẾT ĐỊNH", text), title=text)


class Command(BaseCommand):
    help = "Load a city-scale document history into a separate database and print timings."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=1_000_000)
        parser.add_argument("--database-name", default="portal_bench")
        parser.add_argument("--samples", type=int, default=100, help="Requests per measured page.")
        parser.add_argument("--issuers", type=int, default=20, help="Parallel issuing threads.")
        parser.add_argument("--sign-runs", type=int, default=10)
        parser.add_argument("--passphrase", default="", help="Personal keys' passphrase (demo's by default).")
        parser.add_argument("--inner", action="store_true", help="(internal) measure in this database")
        parser.add_argument("--no-seed", action="store_true", help="(with --inner) no migrate nor seed_demo")

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._inner(opts)
        name = opts["database_name"]
        size = opts["documents"]
        small_size = min(SMALL, size)
        common = ["--samples", str(opts["samples"])]
        small = bench.run_inner(
            "benchmark_documents",
            f"{name}_docs_small",
            [*common, "--documents", str(small_size), "--issuers", "0", "--sign-runs", "0"],
            self.stdout.write,
        )
        full = bench.run_inner(
            "benchmark_documents",
            name,
            [
                *common,
                "--documents",
                str(size),
                "--issuers",
                str(opts["issuers"]),
                "--sign-runs",
                str(opts["sign_runs"]),
            ],
            self.stdout.write,
        )
        self._report(full, small, size, small_size)

    def _report(self, full, small, size, small_size):
        out = self.stdout.write
        out("")
        out(
            f"Official documents, {size:,} documents (queries also at {small_size:,}; p95 goal ≤{GOAL_MS} ms):"
        )
        rows, changed, missed = [], [], []
        for label, values in full["pages"].items():
            timing = bench.Timing(*values)
            shown = f"{label} ({full['app'][label]} on documents)"
            small_queries, full_queries = small["app"][label], full["app"][label]
            if small_queries != full_queries:
                changed.append(
                    f"{label}: {small_queries} queries on the documents tables at {small_size:,}, "
                    f"{full_queries} at {size:,}"
                )
            if timing.p95 > GOAL_MS:
                shown += " [goal missed]"
                missed.append(label)
            rows.append((shown, timing, None))
        bench.ratio_table(rows, None, out)
        for line in full.get("lines", []):
            out(line)
        out(f"pages over the {GOAL_MS} ms goal at p95: {', '.join(missed) if missed else 'none'}")
        if changed:
            raise CommandError("query counts grow with the data:\n" + "\n".join(changed))
        out(
            f"queries on the documents tables: the same at {small_size:,} and {size:,} documents on every "
            "page (the queries column: the most of any request, session and log-in included)"
        )

    # --- inside the benchmark database ----------------------------------------------------

    def _inner(self, opts):
        out = self.stdout.write
        if not opts["no_seed"]:
            call_command("migrate", "--noinput", verbosity=0)
            started = time.monotonic()
            call_command("seed_demo", "--no-progress", stdout=open(os.devnull, "w"))
            out(f"seed_demo: {time.monotonic() - started:.1f} s")
        from documents import benchmark_data

        seconds = benchmark_data.load(opts["documents"], echo=out)
        out(f"{benchmark_data.loaded():,} documents present (bulk loading took {seconds:.0f} s)")
        lines: list[str] = []
        self.app_queries: dict[str, int] = {}
        from django.core.cache import cache

        # The portal's cache keys only (its prefix): counts cached by a run in another database
        # under the same keys would hide queries from this one.
        cache.delete_pattern("*")
        pages = self._measure(max(2, opts["samples"]))
        if opts["issuers"]:
            lines += self._issuers(opts["issuers"])
        if opts["sign_runs"]:
            lines += self._signing(opts["sign_runs"], opts["passphrase"])
        lines.append(
            "load average during the run (1, 5, 15 min; 2 cores shared): "
            + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        )
        for line in lines:
            out(line)
        bench.emit(
            {"pages": {k: v.as_tuple() for k, v in pages.items()}, "app": self.app_queries, "lines": lines},
            out,
        )

    # --- who works the pages --------------------------------------------------------------

    @staticmethod
    def _cast() -> dict:
        """The officials whose pages are measured, found by role and unit (the demo's, or a test's)."""
        from portal import roles
        from portal.models import Unit, UnitKind, User

        def one(role, units):
            user = (
                User.objects.filter(roles.has_role_q(role), unit__in=units, is_active=True, is_staff=True)
                .select_related("unit")
                .order_by("unit__path", "username")
                .first()
            )
            if user is None:
                raise CommandError(f"no active {role} in {[u.code for u in units]}: load the demo city first")
            return user

        top = Unit.objects.filter(parent__isnull=True, active=True).order_by("path").first()
        if top is None:
            raise CommandError("no units: load the demo city first")
        wards = list(
            Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE], active=True).order_by("path")[:1]
        )
        departments = list(
            Unit.objects.filter(parent=top, active=True)
            .exclude(kind__in=[UnitKind.WARD, UnitKind.COMMUNE])
            .order_by("path")
        )
        return {
            "city leader": one(roles.LEADER, [top]),
            "city clerk": one(roles.CLERK, [top]),
            "ward clerk": one(roles.CLERK, wards),
            "ward leader": one(roles.LEADER, wards),
            "department specialist": one(roles.SPECIALIST, departments),
            "department leader": one(roles.LEADER, departments),
        }

    def _measure(self, samples):
        from django.core.cache import cache

        rng = random.Random(8)
        cast = self._cast()
        clients = {}
        for role, user in cast.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            otp.mark_verified(client.session, user)  # the back office asks for the second factor too
            clients[role] = client
        pages: dict[str, bench.Timing] = {}

        def marker(text: bytes, problem: str):
            def check(response):
                body = response.content
                if b'id="login-form"' in body:
                    return "answered the log-in page"
                return None if text in body else problem

            return check

        search = reverse("admin:documents_document_search")
        common_words = ["ke hoach", "bao cao tinh hinh", "uy ban nhan dan", "chuyen doi so", "ngap"]
        rare_words = ["nghinh ong", "sap nhap ap", "tiem chung mo rong", "le hoi", "ho can ngheo"]
        last_year = str(time.localtime().tm_year - 1)
        one_year = {"direction": "out", "from": f"{last_year}-01-01", "to": f"{last_year}-12-31"}
        searches = {
            "search: common words, city leader": ("city leader", [{"q": w} for w in common_words]),
            "search: rare words, city leader": ("city leader", [{"q": w} for w in rare_words]),
            "search: common words, ward clerk": ("ward clerk", [{"q": w} for w in common_words]),
            "search: rare words, ward clerk": ("ward clerk", [{"q": w} for w in rare_words]),
            "search: department specialist, incoming": (
                "department specialist",
                [{"q": w, "direction": "in"} for w in common_words + rare_words],
            ),
            "search: city leader, outgoing, one year": (
                "city leader",
                [{"q": w, **one_year} for w in common_words],
            ),
            "search: city leader, page 3": ("city leader", [{"q": "ke hoach", "page": "3"}]),
        }
        for label, (role, choices) in searches.items():
            client, user = clients[role], cast[role]
            expected = [self._expected_hits(user, params) for params in choices]
            last = {}

            def request(c=client, choices=choices, last=last):
                last["i"] = rng.randrange(len(choices))
                return c.get(search, choices[last["i"]])

            def check(response, expected=expected, last=last):
                body = response.content
                if b'id="search-results"' not in body:
                    return "not the search page"
                shown = body.count(b'class="result"')
                want = expected[last["i"]]
                return None if shown == want else f"{shown} results shown, the database holds {want}"

            pages[label] = bench.timed(label, request, samples, check=check)
            self.app_queries[label] = self._app_queries(lambda c=client, p=choices[0]: c.get(search, p))

        registers = reverse("admin:documents_document_registers")
        city = cast["city clerk"].unit
        ward = cast["ward clerk"].unit
        year = time.localtime().tm_year
        period = {"from": f"{year - 1}-01-01", "to": f"{year}-12-31"}
        register_pages = {
            "register: outgoing, city, two years": (
                "city clerk",
                {"unit": city.pk, "direction": "out", **period},
            ),
            "register: incoming, city, two years": (
                "city clerk",
                {"unit": city.pk, "direction": "in", **period},
            ),
            "register: incoming, ward, two years": (
                "ward clerk",
                {"unit": ward.pk, "direction": "in", **period},
            ),
        }
        for label, (role, params) in register_pages.items():
            client = clients[role]
            first = client.get(registers, params)
            bench.check_response(label, first, (200,), marker(b'id="register"', "not the register"))
            after = first.context.get("next_after") if first.context else None
            self.app_queries[label] = self._app_queries(lambda c=client, p=params: c.get(registers, p))
            pages[label] = bench.timed(
                label,
                lambda c=client, p=params: c.get(registers, p),
                samples,
                check=marker(b"<td>", "an empty register"),
            )
            if after:
                next_label = label + ", next page"
                self.app_queries[next_label] = self._app_queries(
                    lambda c=client, p=params, a=after: c.get(registers, {**p, "after": a})
                )
                pages[next_label] = bench.timed(
                    next_label,
                    lambda c=client, p=params, a=after: c.get(registers, {**p, "after": a}),
                    samples,
                    check=marker(b"<td>", "an empty register page"),
                )

        changelist = reverse("admin:documents_document_changelist")
        queue_pages = {
            "queue: to register, ward clerk": ("ward clerk", {"queue": "to_register"}),
            "queue: to assign, city leader": ("city leader", {"queue": "to_assign"}),
            "queue: mine, department specialist": ("department specialist", {"queue": "mine"}),
            "queue: mine, ward leader": ("ward leader", {"queue": "mine"}),
            "queue: due soon, department leader": ("department leader", {"queue": "due_soon"}),
            "queue: overdue, city leader": ("city leader", {"queue": "overdue"}),
            "queue: waiting on others, city leader": ("city leader", {"queue": "waiting"}),
            "list: every document, ward clerk": ("ward clerk", {}),
            "list: every document, city leader": ("city leader", {}),
            "admin home with the queue counts, city clerk": ("city clerk", None),
        }
        for label, (role, params) in queue_pages.items():
            client = clients[role]
            if params is None:
                target, check = reverse("admin:index"), marker(b"data-doc-queue", "no queue counts")
            else:
                target, check = changelist, self._rows_check(cast[role], params.get("queue"))

            def request(c=client, t=target, p=params):
                cache.delete_pattern("documents:queues:*")  # cold counts: as after any change anywhere
                return c.get(t, p or {})

            pages[label] = bench.timed(label, request, samples, check=check)
            self.app_queries[label] = self._app_queries(request)
        return pages

    @staticmethod
    def _app_queries(request) -> int:
        """The fewest queries on the documents app's tables of three requests of the page.

        What must not grow with the data; the session, log-in and other apps' cards add a few
        queries now and then (a session saved every few minutes), whatever the data size.
        """
        counts = []
        for _ in range(3):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                request()
            counts.append(sum(1 for q in ctx.captured_queries if "documents_" in q["sql"]))
        return min(counts)

    @staticmethod
    def _rows_check(user, queue):
        """The list must show as many rows as the queue holds (at most a page of 50)."""
        from documents import selectors

        rows = selectors.documents_for(user)
        if queue:
            rows = selectors.in_queue(rows, queue, user)
        want = len(rows.values("pk")[:50])

        def check(response):
            body = response.content
            if b'id="login-form"' in body:
                return "answered the log-in page"
            shown = body.count(b'class="field-title"')
            return None if shown == want else f"{shown} rows shown, the queue holds {want} for the page"

        return check

    @staticmethod
    def _expected_hits(user, params) -> int:
        """How many results the search page must show for ``params`` (read through the selector)."""
        from datetime import date

        from documents import selectors, views

        page = int(params.get("page", 1))
        found = selectors.search(
            user,
            params["q"],
            direction=params.get("direction", ""),
            start=date.fromisoformat(params["from"]) if "from" in params else None,
            end=date.fromisoformat(params["to"]) if "to" in params else None,
        )
        return len(found[(page - 1) * views.PAGE : page * views.PAGE])

    # --- 20 issuers at once -----------------------------------------------------------------

    def _issuers(self, count: int) -> list[str]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from documents import services
        from documents.models import Document, DocumentType
        from documents.services import S_NORMAL
        from portal import workdays

        cast = self._cast()
        leader, clerk = cast["city leader"], cast["city clerk"]
        drafter = cast["department specialist"]
        reviewer = cast["department leader"]
        city = clerk.unit
        kind = DocumentType.objects.get(code="QD")
        drafts = []
        for index in range(count):
            doc = services.create_draft(
                drafter,
                {
                    "doc_type": kind,
                    "summary": f"Quyết định đo thử cấp số song song, bản {index + 1}",
                    "issuing_unit": city,
                    "recipient_units": [cast["ward clerk"].unit],
                },
                SimpleUploadedFile("du-thao.pdf", simple_pdf(f"Du thao {index + 1}")),
            )
            services.submit_draft(doc, drafter)
            services.approve_draft(doc, reviewer)
            services.sign_document(
                doc, leader, signed_file=SimpleUploadedFile("ban-ky.pdf", simple_pdf(f"Ban ky {index + 1}"))
            )
            drafts.append(doc.pk)
        year = workdays.today().year
        from documents.models import NumberCounter

        before = NumberCounter.objects.filter(unit=city, year=year, series=S_NORMAL).values_list(
            "last", flat=True
        )
        start = before.first() or 0
        barrier = threading.Barrier(count)
        numbers: dict[int, int] = {}
        seconds: list[float] = []
        errors: list[str] = []

        def issue(doc_id: int) -> None:
            try:
                doc = Document.objects.get(pk=doc_id)
                barrier.wait(timeout=60)
                began = time.perf_counter()
                issued = services.issue_document(doc, clerk)
                seconds.append(time.perf_counter() - began)
                numbers[doc_id] = issued.number
            except Exception as exc:  # noqa: BLE001 - reported below, fails the run
                errors.append(f"{doc_id}: {exc!r}")
            finally:
                connection.close()  # each thread had its own connection

        threads = [threading.Thread(target=issue, args=(pk,)) for pk in drafts]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        if errors:
            raise CommandError("parallel issue failed:\n" + "\n".join(errors))
        got = sorted(numbers.values())
        expected = list(range(start + 1, start + count + 1))
        if got != expected:
            raise CommandError(f"parallel issuers got {got}, expected {expected}")
        stored = sorted(Document.objects.filter(pk__in=drafts).values_list("number", flat=True))
        if stored != expected:
            raise CommandError(f"stored numbers {stored}, expected {expected}")
        return [
            f"{count} parallel issuers (threads, own connections): numbers {start + 1}-{start + count}, "
            f"distinct and consecutive; {wall:.2f} s in all, each issue p50 "
            f"{statistics.median(seconds) * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms "
            "(the counter row serialises them; the organisation's signature is applied inside)"
        ]

    # --- signing and validation per document -------------------------------------------------

    def _signing(self, runs: int, passphrase: str) -> list[str]:
        from documents import demo, selectors, signatures
        from portal import pdf as portal_pdf

        cast = self._cast()
        leader = cast["city leader"]
        personal = selectors.personal_certificate(leader)
        organisation = selectors.organisation_certificate(leader.unit)
        if personal is None or organisation is None:
            return ["signing not measured: the city leader or the city committee has no usable certificate"]
        story = portal_pdf.title("QUYẾT ĐỊNH", "Về việc đo thời gian ký số")
        story += [portal_pdf.para("Nội dung văn bản dùng để đo thời gian ký và kiểm tra chữ ký. " * 60)] * 3
        document = portal_pdf.build(story, title="benchmark")
        secret = passphrase or demo.DEMO_PASSPHRASE

        def timed(fn):
            samples, result = [], None
            for _ in range(runs):
                began = time.perf_counter()
                result = fn()
                samples.append((time.perf_counter() - began) * 1000)
            return statistics.median(samples), bench.percentile(samples, 0.95), result

        lines = [f"signing and validation per document (3 pages, {runs} runs, no timestamp server):"]
        p50, p95, signed = timed(
            lambda: signatures.sign_pdf(document, personal, secret, reason="Duyệt", timestamp=False)
        )
        lines.append(
            f"  signer's signature (sign_pdf, key opened with the passphrase): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )
        p50, p95, issued = timed(
            lambda: signatures.sign_as_organisation(
                signed, organisation, number="01/QĐ-UBND", timestamp=False
            )
        )
        lines.append(
            f"  organisation's signature with the number (sign_as_organisation): p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )
        p50, p95, report = timed(lambda: signatures.validate_pdf(issued))
        if not report.ok:
            raise CommandError(f"the benchmark's own signed PDF does not validate: {report.as_dict()}")
        lines.append(f"  validation of both signatures (validate_pdf): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        return lines
