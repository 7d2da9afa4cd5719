"""Time signing and validation per document: ``python manage.py benchmark_signatures``.

Prints figures, asserts nothing. Runs inside a transaction that is rolled
back, with its own throw-away authority and certificates, so it leaves the
database as it found it. Measures key generation (EC P-256 against RSA-2048),
opening a personal key (PBKDF2 at the configured count and at the demo's),
the signer's signature, the organisation's, validation of the doubly signed
document, and the demo seed's certificate issuing rate.
"""

from __future__ import annotations

import statistics
import time

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.management.base import BaseCommand
from django.db import transaction

from documents import ca, conf, demo, keys, signatures
from documents.models import CertificateKind
from portal import pdf as portal_pdf
from portal.models import Unit, UnitKind, User


class Rollback(Exception):
    pass


def _timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], result


class Command(BaseCommand):
    help = "Print how long signing and validating one PDF takes (median and p95, milliseconds)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--pages", type=int, default=3, help="pages of the test document")

    def line(self, label, median, p95):
        self.stdout.write(f"  {label:<58} {median:9.2f} ms   p95 {p95:9.2f} ms")

    def handle(self, *args, runs, pages, **options):
        if conf.org_secret_problem():
            self.stderr.write(conf.org_secret_problem())
            return
        runs = max(1, min(runs, 500))
        try:
            with transaction.atomic():
                self._run(runs, max(1, min(pages, 200)))
                raise Rollback
        except Rollback:
            pass

    def _run(self, runs, pages):
        story = portal_pdf.title("QUYẾT ĐỊNH", "Về việc đo thời gian ký số")
        story += [
            portal_pdf.para("Nội dung văn bản dùng để đo thời gian ký và kiểm tra chữ ký. " * 60)
        ] * pages
        document = portal_pdf.build(story, title="benchmark")
        self.stdout.write(f"Document: {pages} page(s), {len(document) / 1024:.0f} KB; {runs} runs each")

        self.stdout.write("Keys")
        self.line("EC P-256 key pair", *_timed(lambda: ec.generate_private_key(ec.SECP256R1()), runs)[:2])
        self.line(
            "RSA-2048 key pair", *_timed(lambda: rsa.generate_private_key(65537, 2048), max(3, runs // 4))[:2]
        )

        unit = Unit.objects.create(code="BENCH-SIG", name="Đơn vị đo", kind=UnitKind.DEPARTMENT)
        user = User.objects.create(
            username="bench.signer", full_name="Người Đo Thử", unit=unit, is_staff=True
        )
        authority = ca.create_authority("Benchmark CA")
        iterations = conf.kdf_iterations()
        median, p95, personal = _timed(
            lambda: ca.issue(
                authority,
                kind=CertificateKind.PERSONAL,
                common_name="Người Đo Thử",
                owner=user,
                unit=unit,
                passphrase="benchmark-passphrase",
                kdf_iterations=demo.DEMO_KDF_ITERATIONS,
                image=demo.signature_png("Người Đo Thử"),
            ),
            runs,
        )
        self.line("issue + register a demo personal certificate (with image)", median, p95)
        organisation = ca.issue(
            authority,
            kind=CertificateKind.ORGANISATION,
            common_name=unit.name,
            unit=unit,
            image=demo.seal_png(unit.name, "BENCH"),
        )
        strong = keys.encrypt_private_key(ec.generate_private_key(ec.SECP256R1()), "p", iterations=iterations)
        self.stdout.write("Opening a personal key (PBKDF2-HMAC-SHA256)")
        self.line(
            f"at {iterations:,} iterations (production)",
            *_timed(lambda: keys.decrypt_private_key(strong, "p"), max(3, runs // 4))[:2],
        )
        weak = bytes(personal.encrypted_key)
        self.line(
            f"at {demo.DEMO_KDF_ITERATIONS:,} iterations (demo keys)",
            *_timed(lambda: keys.decrypt_private_key(weak, "benchmark-passphrase"), runs)[:2],
        )

        self.stdout.write("Per document (no timestamp server)")
        median, p95, signed = _timed(
            lambda: signatures.sign_pdf(document, personal, "benchmark-passphrase", timestamp=False), runs
        )
        self.line("signer's signature (sign_pdf, demo key)", median, p95)
        median, p95, issued = _timed(
            lambda: signatures.sign_as_organisation(
                signed, organisation, number="01/QĐ-BENCH", timestamp=False
            ),
            runs,
        )
        self.line("organisation's seal (sign_as_organisation)", median, p95)
        median, p95, report = _timed(lambda: signatures.validate_pdf(issued), runs)
        self.line("validate_pdf of the document with both signatures", median, p95)
        assert report.ok, report.as_dict()
        self.line(
            "validate_pdf of an unsigned document",
            *_timed(lambda: signatures.validate_pdf(document), runs)[:2],
        )
        self.stdout.write(
            f"Signed document: {len(issued) / 1024:.0f} KB ({len(issued) - len(document):,} bytes added)"
        )
