"""The public website's pages are kept whole for visitors without a session (portal.pagecache):
each is served from the cache without a query, and changes after the write that changes it."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import workdays
from tests.website.conftest import make_article, publish
from tests.website.test_library import issue_public
from website.models import LegalDocument, LegalStatus, Meeting


@pytest.fixture(autouse=True)
def _org_secret(settings):
    settings.ORG_SIGNING_KEY_SECRET = "test-organisation-key-secret-0123456789abcdef"
    settings.TSA_URL = ""


def served(url, params=None) -> tuple[int, str]:
    """A new visitor's page (no cookie at all) and the queries it cost."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response.content.decode()


def cached(url, params=None) -> str:
    """The page, shown to be answered from the cache: a second visitor costs no query."""
    served(url, params)
    queries, html = served(url, params)
    assert queries == 0, (url, queries)
    return html


def test_news_pages_change_after_an_article_is_published_edited_and_unpublished(
    sections, django_capture_on_commit_callbacks
):
    section = sections["tin-thanh-pho"]
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(make_article(section, title="Khánh thành cầu Rạch Miễu 2"))
    article_url = first.url
    for url in ("/tin-tuc/", section.url, article_url):
        assert "Khánh thành cầu Rạch Miễu 2" in cached(url)
    assert "Lễ hội trái cây" not in cached("/tin-tuc/", {"q": "le hoi"})

    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(section, title="Lễ hội trái cây Tiền Giang"))
    for url in ("/tin-tuc/", section.url):
        assert "Lễ hội trái cây Tiền Giang" in served(url)[1]
    assert "Lễ hội trái cây Tiền Giang" in served("/tin-tuc/", {"q": "le hoi"})[1]

    with django_capture_on_commit_callbacks(execute=True):
        first.title = "Khánh thành cầu Rạch Miễu 2 (cập nhật)"
        publish(first)
    assert "Khánh thành cầu Rạch Miễu 2 (cập nhật)" in served(article_url)[1]

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert Client().get(article_url).status_code == 404
    assert "Rạch Miễu" not in served("/tin-tuc/")[1]


def test_library_document_page_search_and_home_change_after_each_publishing_write(
    db, django_capture_on_commit_callbacks, make_user
):
    from tests.documents.flows import Office
    from website import services

    office = Office()
    assert "giá nước sạch" not in cached("/van-ban/")
    assert "giá nước sạch" not in cached("/tim-kiem/", {"q": "gia nuoc sach"})
    home = cached("/")
    assert "giá nước sạch" not in home

    doc = issue_public(office, django_capture_on_commit_callbacks, summary="Quyết định về giá nước sạch")
    entry = LegalDocument.objects.get(source_id=doc.pk)
    assert doc.notation in served("/van-ban/")[1]
    assert doc.notation in served("/tim-kiem/", {"q": "gia nuoc sach"})[1]
    assert doc.notation in served("/")[1]
    detail = cached(entry.get_absolute_url())
    assert "Còn hiệu lực" in detail

    with django_capture_on_commit_callbacks(execute=True):
        services.set_legal_status(entry, LegalStatus.EXPIRED, actor=office.clerk)
    assert "Hết hiệu lực" in served(entry.get_absolute_url())[1]
    assert doc.notation in served("/van-ban/", {"tinh_trang": "expired"})[1]


def test_schedule_changes_after_a_meeting_is_added(city, django_capture_on_commit_callbacks):
    week = {"tuan": "2026-12-02"}
    assert "Hội nghị tổng kết năm" not in cached("/lich-cong-tac/", week)
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.create(
            unit=city,
            title="Hội nghị tổng kết năm",
            chaired_by="Chủ tịch UBND thành phố",
            starts_at=timezone.make_aware(datetime(2026, 12, 3, 8, 0), workdays.TZ),
            location="Hội trường UBND thành phố",
        )
    assert "Hội nghị tổng kết năm" in served("/lich-cong-tac/", week)[1]


def test_a_signed_in_official_never_gets_nor_leaves_the_visitors_page(city, make_user, client):
    week = {"tuan": "2026-12-02"}
    Meeting.objects.create(
        unit=city,
        title="Họp giao ban nội bộ",
        chaired_by="Chánh Văn phòng",
        starts_at=timezone.make_aware(datetime(2026, 12, 3, 8, 0), workdays.TZ),
        location="Phòng họp số 2",
        internal=True,
    )
    assert "Họp giao ban nội bộ" not in cached("/lich-cong-tac/", week)
    client.force_login(make_user(unit=city))
    assert "Họp giao ban nội bộ" in client.get("/lich-cong-tac/", week).content.decode()
    assert "Họp giao ban nội bộ" not in served("/lich-cong-tac/", week)[1]
