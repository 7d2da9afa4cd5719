"""The demo documents ``seed_demo`` loads, and the documents benchmark run small in the test database."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents import ca, selectors, signatures
from documents.demo import DEMO_MARK, seal_png, signature_png
from documents.models import (
    CertificateKind,
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    NumberCounter,
    StatusCode,
)
from portal import bench, roles
from portal.models import User
from tests.documents.conftest import PASSPHRASE

S = DocumentStatus


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-progress", stdout=io.StringIO())


def test_seed_demo_fills_the_back_office_through_the_services(seeded):
    demo = Document.objects.filter(summary__contains=DEMO_MARK)
    decision = demo.get(direction=Direction.OUTGOING, status=S.ISSUED)
    assert decision.notation == "01/QĐ-UBND" and decision.public and decision.digitally_signed
    signed = decision.files.filter(kind=DocumentFile.Kind.SIGNED).order_by("-version").first()
    with signed.file.open("rb") as handle:
        report = signatures.validate_pdf(handle.read())
    assert report.ok, report.as_dict()
    statuses = {r.unit.code: r.status for r in decision.recipients.select_related("unit")}
    assert statuses == {"P1": StatusCode.ASSIGNED, "P2": StatusCode.ARRIVED}
    assert demo.filter(direction=Direction.OUTGOING, status=S.IN_REVIEW).count() == 1
    assert demo.filter(direction=Direction.INCOMING, status=S.REGISTERED).count() == 1
    closed = demo.get(direction=Direction.INCOMING, status=S.DONE)
    assert closed.reply_id == decision.pk
    handled = demo.get(direction=Direction.INCOMING, status=S.IN_PROGRESS, unit__code="UBND")
    # The lead, the coordinating part and the hand-down to the specialist.
    assert handled.lead_unit.code == "TP" and handled.assignments.count() == 3
    # Every official has something in their queues on the first look.
    assert selectors.queue_counts(User.objects.get(username="ubnd.lanhdao"))["to_assign"] == 1
    assert selectors.queue_counts(User.objects.get(username="tuphap.cv"))["mine"] == 1
    # The urban management leader: the draft to review and the coordinating part of the letter.
    assert selectors.queue_counts(User.objects.get(username="qldt.ld"))["mine"] == 2
    p2_clerk = User.objects.filter(roles.has_role_q(roles.CLERK), unit__code="P2").get()
    assert selectors.queue_counts(p2_clerk)["to_register"] == 1
    # A second run creates nothing.
    before = Document.objects.count()
    call_command("seed_demo", "--no-progress", stdout=io.StringIO())
    assert Document.objects.count() == before


@pytest.fixture
def benchmark_city(transactional_db):
    from documents import catalogue
    from tests.documents.flows import Office

    catalogue.ensure_catalogue()
    office = Office()
    authority = ca.create_authority("Benchmark test CA")
    ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name=office.leader.full_name,
        owner=office.leader,
        unit=office.city,
        passphrase=PASSPHRASE,
        kdf_iterations=2000,
        image=signature_png(office.leader.full_name),
    )
    ca.issue(
        authority,
        kind=CertificateKind.ORGANISATION,
        common_name=office.city.name,
        unit=office.city,
        image=seal_png(office.city.name, "UBND"),
    )
    return office


def test_the_benchmark_runs_small_and_checks_what_it_measures(benchmark_city):
    office = benchmark_city
    out = io.StringIO()
    call_command(
        "benchmark_documents",
        "--inner",
        "--no-seed",
        "--documents",
        "400",
        "--samples",
        "2",
        "--issuers",
        "20",
        "--sign-runs",
        "1",
        "--passphrase",
        PASSPHRASE,
        stdout=out,
    )
    text = out.getvalue()
    result = json.loads(
        next(ln for ln in text.splitlines() if ln.startswith(bench.RESULT))[len(bench.RESULT) :]
    )
    assert len(result["pages"]) >= 18
    assert all(queries > 0 for _p50, _p95, queries in result["pages"].values())
    # 400 bulk documents with their files' text, searchable without accents.
    bulk = Document.objects.filter(files__file__startswith="bench/")
    assert bulk.count() == 400
    assert Document.objects.filter(search_vector="hoach").exists()
    # 20 issuers at once: 20 consecutive numbers of the year after the loaded ones, each once;
    # the counter moved on to the last.
    issued = Document.objects.filter(
        direction=Direction.OUTGOING, summary__startswith="Quyết định đo thử cấp số song song"
    )
    numbers = sorted(issued.values_list("number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 20))
    loaded = issued.first().year
    before = Document.objects.filter(unit=office.city, year=loaded, number__lt=numbers[0], series="normal")
    assert before.count() == numbers[0] - 1  # no gap before them either
    assert "20 parallel issuers" in text and "distinct and consecutive" in text
    assert NumberCounter.objects.get(unit=office.city, year=loaded, series="normal").last == numbers[-1]
    # Each ward received its copy of each, at once.
    assert Document.objects.filter(direction=Direction.INCOMING, source__in=issued).count() == 20
    assert "validation of both signatures" in text
    # A second run loads nothing more.
    out2 = io.StringIO()
    call_command(
        "benchmark_documents", "--inner", "--no-seed", "--documents", "400", "--samples", "2",
        "--issuers", "0", "--sign-runs", "0", stdout=out2,
    )  # fmt: skip
    assert bulk.count() == 400


def test_the_outer_run_fails_when_query_counts_grow_with_the_data():
    from documents.management.commands.benchmark_documents import Command

    small = {
        "pages": {"search": (10.0, 12.0, 15), "queue": (10.0, 12.0, 20)},
        "app": {"search": 4, "queue": 7},
    }
    same = {
        "pages": {"search": (50.0, 60.0, 16), "queue": (40.0, 200.0, 21)},  # a session save: not the data
        "app": {"search": 4, "queue": 7},
        "lines": [],
    }
    command = Command(stdout=io.StringIO())
    command._report(same, small, 1000, 10)
    assert "queue (7 on documents) [goal missed]" in command.stdout._out.getvalue()
    grown = {**same, "app": {"search": 5, "queue": 7}}
    with pytest.raises(CommandError, match="search: 4 queries on the documents tables at 10, 5 at 1,000"):
        command._report(grown, small, 1000, 10)
