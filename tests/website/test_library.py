"""The legal library: documents issued as public enter it through documents' services and signal."""

from __future__ import annotations

import pytest

from tests.documents.flows import Office, issued
from website.models import LegalDocument, LegalStatus


@pytest.fixture
def office(db):
    return Office()


@pytest.fixture(autouse=True)
def _org_secret(settings):
    settings.ORG_SIGNING_KEY_SECRET = "test-organisation-key-secret-0123456789abcdef"
    settings.TSA_URL = ""


def issue_public(office, capture, summary="Quyết định ban hành quy chế quản lý đô thị", **kwargs):
    with capture(execute=True):
        return issued(office, summary=summary, public=True, **kwargs)


def test_a_public_document_is_published_when_issued(office, django_capture_on_commit_callbacks, client):
    doc = issue_public(office, django_capture_on_commit_callbacks)
    entry = LegalDocument.objects.get(source_id=doc.pk)
    assert entry.notation == doc.notation and entry.issuer == office.city
    assert entry.doc_type == doc.doc_type.name and entry.signer == doc.signer_name
    assert entry.status == LegalStatus.IN_FORCE and entry.file_id is not None
    listing = client.get("/van-ban/").content.decode()
    assert doc.notation in listing
    page = client.get(entry.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "Quyết định ban hành quy chế quản lý đô thị" in html
    pdf = client.get(f"/van-ban/{entry.pk}/ban-ky-so.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_document_not_marked_public_stays_out(office, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        doc = issued(office, summary="Công văn nội bộ về nhân sự", public=False)
    assert not LegalDocument.objects.filter(source_id=doc.pk).exists()
    assert "nhân sự" not in client.get("/van-ban/").content.decode()


def test_citizen_finds_it_without_accents_and_filters_work(
    office, django_capture_on_commit_callbacks, client
):
    doc = issue_public(office, django_capture_on_commit_callbacks)
    found = client.get("/van-ban/", {"q": "quan ly do thi"}).content.decode()
    assert doc.notation in found
    assert doc.notation not in client.get("/van-ban/", {"q": "giao duc"}).content.decode()
    assert (
        doc.notation
        in client.get("/van-ban/", {"tinh_trang": "in_force", "co_quan": office.city.pk}).content.decode()
    )
    assert doc.notation not in client.get("/van-ban/", {"tinh_trang": "expired"}).content.decode()
    assert doc.notation in client.get("/tim-kiem/", {"q": "quy che quan ly"}).content.decode()
    # Bad input never breaks the page.
    for params in (
        {"co_quan": "abc"},
        {"tu_ngay": "2022-13-45"},
        {"truoc": "x_y"},
        {"q": "a" * 5000},
        {"linh_vuc": "-1"},
    ):
        assert client.get("/van-ban/", params).status_code == 200


def test_a_replacing_document_marks_the_old_one_replaced_with_a_link(
    office, django_capture_on_commit_callbacks, client
):
    old = issue_public(office, django_capture_on_commit_callbacks, summary="Quyết định về giá nước sạch")
    new = issue_public(
        office,
        django_capture_on_commit_callbacks,
        summary="Quyết định về giá nước sạch năm 2026",
        replaces=old,
    )
    old_entry = LegalDocument.objects.get(source_id=old.pk)
    new_entry = LegalDocument.objects.get(source_id=new.pk)
    assert old_entry.status == LegalStatus.REPLACED and old_entry.replaced_by == new_entry
    html = client.get(old_entry.get_absolute_url()).content.decode()
    assert new_entry.get_absolute_url() in html


def test_status_changes_go_through_the_service(office, django_capture_on_commit_callbacks, make_user):
    from django.core.exceptions import ValidationError

    from website import services

    entry = LegalDocument.objects.get(source_id=issue_public(office, django_capture_on_commit_callbacks).pk)
    with pytest.raises(ValidationError):
        services.set_legal_status(entry, LegalStatus.AMENDED, actor=office.clerk)
    services.set_legal_status(entry, LegalStatus.EXPIRED, actor=office.clerk)
    entry.refresh_from_db()
    assert entry.status == LegalStatus.EXPIRED


def test_legal_feeds(office, django_capture_on_commit_callbacks, client):
    doc = issue_public(office, django_capture_on_commit_callbacks)
    assert doc.notation in client.get("/van-ban/rss.xml").content.decode()
    assert doc.notation in client.get("/van-ban/atom.xml").content.decode()


def test_unknown_or_withdrawn_entries_are_404(office, django_capture_on_commit_callbacks, client):
    entry = LegalDocument.objects.get(source_id=issue_public(office, django_capture_on_commit_callbacks).pk)
    entry.withdrawn = True
    entry.save()
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert client.get(f"/van-ban/{entry.pk}/ban-ky-so.pdf").status_code == 404
    assert client.get("/van-ban/999999/").status_code == 404
