"""The home page: its blocks, its cache invalidated by the writes that change it, search, robots, sitemap."""

from __future__ import annotations

from tests.website.conftest import make_article, publish


def test_home_shows_search_boxes_lists_and_figures(sections, client):
    publish(make_article(sections["tin-thanh-pho"], title="Thành phố ra mắt cổng thông tin"))
    publish(make_article(sections["thong-bao"], title="Thông báo lịch cắt điện"))
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="home-service-q"' in html and 'id="home-site-q"' in html
    assert "Thành phố ra mắt cổng thông tin" in html.split('id="home-news"')[1].split("</ul>")[0]
    assert "Thông báo lịch cắt điện" in html.split('id="home-announcements"')[1].split("</ul>")[0]
    assert 'id="figure-on-time"' in html


def test_cached_home_changes_after_an_article_is_published(
    sections, client, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")
    with CaptureQueriesContext(connection) as cached:
        first = client.get("/").content.decode()
    assert "Lễ hội trái cây" not in first
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(sections["tin-thanh-pho"], title="Lễ hội trái cây"))
    after = client.get("/").content.decode()
    assert "Lễ hội trái cây" in after
    # The cached page asks the database for (almost) nothing.
    assert len(cached.captured_queries) <= 3


def test_site_search_groups_results_by_kind(sections, client):
    publish(make_article(sections["cai-cach-hanh-chinh"], title="Đẩy mạnh cải cách hành chính"))
    html = client.get("/tim-kiem/", {"q": "cai cach hanh chinh"}).content.decode()
    assert "Đẩy mạnh cải cách hành chính" in html.split('id="results-news"')[1].split("</ul>")[0]
    for kind in ("results-legal", "results-services", "results-feedback"):
        assert f'id="{kind}"' in html
    assert client.get("/tim-kiem/", {"q": "\u0301" * 300}).status_code == 200


def test_robots_sitemap_and_open_graph(sections, client):
    publish(make_article(sections["thong-bao"], title="Thông báo tuyển sinh", slug="tuyen-sinh"))
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/tin-tuc/thong-bao/tuyen-sinh/" in sitemap and "/van-ban/" in sitemap
    home = client.get("/").content.decode()
    assert 'property="og:title"' in home and 'property="og:url"' in home
