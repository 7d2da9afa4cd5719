"""Benchmark of the public website at city scale: ``python manage.py benchmark_website``.

Runs in its own database (``--database-name``, default ``portal_bench_website``
on the same server as DATABASE_URL): builds the news tree, loads the first
half of 2022 (``website.bulk.h1_2022``: 84,000 documents, the report's other
figures), ``--articles`` published articles (default 100,000) and
``--legal`` legal documents (default 1,000,000) in bulk, then prints:

- p50 / p95 through Django's test client and the most SQL queries of the
  home page (cached, and rebuilt after a publishing write), the news list and
  its next page, a section, an article, the legal library (newest, filtered,
  searched without accents, next page), a document's page and the site-wide
  search;
- under gunicorn (2 sync workers) with wrk on 127.0.0.1, the throughput of the
  home page, the news list and the library search as a ratio to a bare
  Django app in the same run;
- the time the half-year report takes to compute (goal <= 5 s) and to export
  as PDF and DOCX.

Every measured request must answer 200 with the content it should show
(``portal.bench.timed`` stops the run otherwise). Figures are printed, never
asserted.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from portal import bench, workdays

GOAL_MS = 100

LEGAL_SQL = """
INSERT INTO website_legaldocument
    (notation, doc_type, issuer_id, issuer_name, signer, summary, issued_on, effective_on, status,
     digitally_signed, withdrawn, published_at, signature_report, search_text)
SELECT
    g::text || '/' || (2000 + g %% 26)::text || '/QĐ-UBND',
    (ARRAY['Quyết định', 'Chỉ thị', 'Kế hoạch', 'Công văn', 'Thông báo'])[1 + g %% 5],
    %(issuer)s, %(issuer_name)s, 'Chủ tịch UBND',
    (ARRAY['Quyết định', 'Chỉ thị', 'Kế hoạch', 'Công văn', 'Thông báo'])[1 + g %% 5] || ' về ' ||
        (ARRAY['quản lý đô thị', 'giá nước sạch', 'cải cách hành chính', 'phòng chống dịch bệnh',
               'xây dựng nông thôn mới', 'bảo vệ môi trường', 'an toàn giao thông', 'chuyển đổi số',
               'quy hoạch sử dụng đất', 'giáo dục mầm non'])[1 + (g / 7) %% 10] || ' số ' || g::text,
    date '2000-01-01' + (g %% 9800),
    date '2000-01-01' + (g %% 9800),
    (ARRAY['in_force', 'in_force', 'in_force', 'amended', 'replaced', 'expired'])[1 + g %% 6],
    true, false, now() - (g || ' minutes')::interval, '{}'::jsonb,
    g::text || ' ' || (2000 + g %% 26)::text || ' qd ubnd ' ||
    (ARRAY['quyet dinh', 'chi thi', 'ke hoach', 'cong van', 'thong bao'])[1 + g %% 5] || ' ve ' ||
        (ARRAY['quan ly do thi', 'gia nuoc sach', 'cai cach hanh chinh', 'phong chong dich benh',
               'xay dung nong thon moi', 'bao ve moi truong', 'an toan giao thong', 'chuyen doi so',
               'quy hoach su dung dat', 'giao duc mam non'])[1 + (g / 7) %% 10] || ' so ' || g::text ||
        ' uy ban nhan dan thanh pho chu tich ubnd'
FROM generate_series(%(lo)s, %(hi)s) g
"""


class Command(BaseCommand):
    help = "Load city-scale news and legal documents into a separate database and print page timings."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--legal", type=int, default=1_000_000)
        parser.add_argument("--database-name", default="portal_bench_website")
        parser.add_argument("--samples", type=int, default=100, help="Requests per measured page.")
        parser.add_argument("--wrk-seconds", type=int, default=5)
        parser.add_argument(
            "--inner", action="store_true", help="(internal) run inside the benchmark database"
        )

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._inner(opts)
        args = [
            "--articles", str(opts["articles"]), "--legal", str(opts["legal"]),
            "--samples", str(opts["samples"]), "--wrk-seconds", str(opts["wrk_seconds"]),
        ]  # fmt: skip
        result = bench.run_inner("benchmark_website", opts["database_name"], args, self.stdout.write)
        out = self.stdout.write
        out("")
        out(
            f"Public website, {opts['articles']:,} articles, {opts['legal']:,} legal documents (p95 goal {GOAL_MS} ms):"
        )
        rows = [(label, bench.Timing(*v), result["rates"].get(label)) for label, v in result["pages"].items()]
        bench.ratio_table(rows, result["rates"].get("bare"), out)
        for label, seconds in result["report"].items():
            out(
                f"half-year report (H1 2022), {label}: {seconds:.2f} s"
                + (" [goal ≤ 5 s]" if label == "compute" else "")
            )

    # --- inside the benchmark database -------------------------------------------------

    def _inner(self, opts):
        out = self.stdout.write
        call_command("migrate", "--noinput", verbosity=0)
        self._load(opts, out)
        pages, paths = self._measure(opts["samples"])
        rates = {}
        if opts["wrk_seconds"] and bench.have_wrk():
            try:
                rates = self._throughput(opts["wrk_seconds"], paths)
            except bench.BenchFailure as exc:
                out(f"throughput not measured: {exc}")
        bench.emit(
            {"pages": {k: v.as_tuple() for k, v in pages.items()}, "rates": rates, "report": self._report()},
            out,
        )

    def _load(self, opts, out):
        from portal.models import Unit
        from website import bulk, setup
        from website.models import Article, LegalDocument, SectionPage

        started = time.monotonic()
        if not Unit.objects.filter(code="H1-UBND").exists():
            bulk.h1_2022(progress=lambda step: None)
            out(f"first half of 2022 loaded ({time.monotonic() - started:.0f} s)")
        setup.ensure_site()
        have = Article.objects.count()
        if have < opts["articles"]:
            sections = list(SectionPage.objects.filter(ward__isnull=True).exclude(slug="tin-phuong-xa"))
            sections += list(SectionPage.objects.filter(ward__isnull=False))
            lo = datetime(2015, 1, 1, tzinfo=workdays.TZ)
            hi = datetime(2026, 11, 1, tzinfo=workdays.TZ)
            todo = opts["articles"] - have
            share = todo // len(sections) + 1
            for i, section in enumerate(sections):
                n = min(share, todo - i * share)
                if n > 0:
                    bulk.articles(section, n, lo, hi, seed=i)
            out(f"{Article.objects.count():,} articles ({time.monotonic() - started:.0f} s)")
        have = LegalDocument.objects.count()
        if have < opts["legal"]:
            city = Unit.objects.get(code="H1-UBND")
            with connection.cursor() as cursor:
                step = 200_000
                for lo in range(have + 1, opts["legal"] + 1, step):
                    hi = min(opts["legal"], lo + step - 1)
                    cursor.execute(
                        LEGAL_SQL, {"issuer": city.pk, "issuer_name": city.name, "lo": lo, "hi": hi}
                    )
                    out(f"  {hi:,} legal documents ({time.monotonic() - started:.0f} s)")
        with connection.cursor() as cursor:
            for table in ("wagtailcore_page", "website_article", "website_legaldocument"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("ANALYZE")

    def _measure(self, samples):

        from website import selectors, services
        from website.models import Article, LegalDocument

        rng = random.Random(10)
        client = Client(HTTP_HOST="localhost")
        pages: dict[str, bench.Timing] = {}

        def contains(marker: bytes):
            return lambda r: None if marker in r.content else f"{marker!r} missing"

        newest = Article.objects.filter(published_at__isnull=False).order_by("-published_at", "-pk").first()
        cursor = selectors.news_page({}).next_cursor
        legal_cursor = selectors.library_page({}).next_cursor
        articles = list(Article.objects.order_by("?").values_list("url_path", flat=True)[:100])
        docs = list(LegalDocument.objects.order_by("?").values_list("pk", flat=True)[:100])
        words = ["gia nuoc sach", "quan ly do thi", "chuyen doi so", "cai cach hanh chinh", "moi truong"]

        def cold_home():
            services.bump_home()
            return client.get("/")

        plan = {
            "home page (cached)": (lambda: client.get("/"), newest.title.encode()),
            "home page (rebuilt after a write)": (cold_home, newest.title.encode()),
            "news list": (lambda: client.get("/tin-tuc/"), b'id="article-list"'),
            "news list, next page": (
                lambda: client.get("/tin-tuc/", {"truoc": cursor}),
                b'id="article-list"',
            ),
            "news section": (lambda: client.get("/tin-tuc/thong-bao/"), b'id="article-list"'),
            "news search": (lambda: client.get("/tin-tuc/", {"q": "chuyen doi so"}), b'id="article-list"'),
            "an article": (lambda: client.get(rng.choice(articles)), b"<article"),
            "legal library, newest": (lambda: client.get("/van-ban/"), b'id="legal-list"'),
            "legal library, search": (
                lambda: client.get("/van-ban/", {"q": rng.choice(words)}),
                b"news-item",
            ),
            "legal library, by type and status": (
                lambda: client.get("/van-ban/", {"loai": "Chỉ thị", "tinh_trang": "in_force"}),
                b"news-item",
            ),
            "legal library, next page": (
                lambda: client.get("/van-ban/", {"truoc": legal_cursor}),
                b"news-item",
            ),
            "a legal document": (lambda: client.get(f"/van-ban/{rng.choice(docs)}/"), b"legal-status"),
            "site-wide search": (
                lambda: client.get("/tim-kiem/", {"q": rng.choice(words)}),
                b"results-legal",
            ),
        }
        for label, (fn, marker) in plan.items():
            pages[label] = bench.timed(label, fn, samples, check=contains(marker))
        rendered = {
            label: (fn, contains(marker))
            for label, (fn, marker) in plan.items()
            if label != "home page (cached)"
        }
        pages.update(bench.timed_rendered(rendered, samples))
        paths = {
            "home page (cached)": "/",
            "news list": "/tin-tuc/",
            "legal library, search": "/van-ban/?q=gia+nuoc+sach",
        }
        return pages, paths

    def _throughput(self, seconds, paths) -> dict[str, float]:
        rates = {}
        with bench.Gunicorn("portal.bench_bare:application") as bare:
            rates["bare"] = bench.wrk(bare.base + "/", seconds)
        with bench.Gunicorn() as portal:
            import urllib.request

            for label, path in paths.items():
                with urllib.request.urlopen(portal.base + path, timeout=60) as answer:  # warm the caches
                    if answer.status != 200:
                        raise bench.BenchFailure(f"{label}: {answer.status}")
                rates[label] = bench.wrk(portal.base + path, seconds)
        return rates

    def _report(self) -> dict[str, float]:
        from portal.models import User
        from website import report

        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "bench.quantri", "bench@example.gov.vn", None
        )
        started = time.monotonic()
        result = report.build(admin, date(2022, 1, 1), date(2022, 6, 30))
        compute = time.monotonic() - started
        if result.figures["documents_received"] < 70800:
            raise bench.BenchFailure(f"report: {result.figures['documents_received']} documents received")
        started = time.monotonic()
        report.pdf(result)
        pdf = time.monotonic() - started
        started = time.monotonic()
        report.docx(result)
        docx = time.monotonic() - started
        return {"compute": compute, "PDF": pdf, "DOCX": docx}
