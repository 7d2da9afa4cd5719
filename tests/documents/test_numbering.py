"""Numbers under concurrency: 20 clerks issuing at once get distinct, consecutive numbers; none lost."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from documents import services
from documents.models import Document, NumberCounter
from tests.documents import flows


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_issuers_get_gap_free_numbers(office):
    drafts = [flows.signed(office, summary=f"Văn bản số {i}", units=[]) for i in range(20)]
    for doc in drafts:  # a failed issue in the middle must not consume a number
        doc.recipients_text = "Lưu: VT."
        doc.save()
    barrier = threading.Barrier(20)
    errors = []

    def issue(doc):
        try:
            barrier.wait(timeout=30)
            services.issue_document(Document.objects.get(pk=doc.pk), office.clerk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(doc,)) for doc in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert not errors
    numbers = sorted(
        Document.objects.filter(unit=office.city, number__isnull=False).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 21))
    assert NumberCounter.objects.get(unit=office.city, series="normal").last == 20


def test_arrival_numbers_run_per_unit_and_year(office):
    first = flows.registered(office)
    second = flows.registered(office, summary="Thứ hai")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    doc = flows.issued(office)
    copy = Document.objects.get(source=doc, unit=office.ward_a)
    services.accept_arrived(copy, office.a_clerk)
    copy.refresh_from_db()
    assert copy.arrival_number == 1  # the ward's own series
