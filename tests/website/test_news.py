"""News on Wagtail: the editorial workflow, revisions, scheduled publishing, ward sections, sanitised text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.website.conftest import make_article, publish
from website.models import Article, Category


def test_migrate_builds_the_news_tree_with_a_section_per_category_and_per_ward(news, ward_a, ward_b):
    from wagtail.models import Site

    from website.models import SectionPage

    assert Site.objects.get(is_default_site=True).root_page_id == news.pk
    assert news.url_path == "/tin-tuc/"
    categories = set(SectionPage.objects.filter(ward__isnull=True).values_list("category", flat=True))
    assert categories == set(Category.values)
    assert set(SectionPage.objects.filter(ward__isnull=False).values_list("ward_id", flat=True)) == {
        ward_a.pk,
        ward_b.pk,
    }


def test_editor_draft_waits_for_the_editorial_leader_then_is_published(news, sections, editor, chief, client):
    from wagtail.models import Workflow

    article = make_article(sections["tin-thanh-pho"], title="Hội nghị chuyển đổi số")
    article.save_revision(user=editor)
    workflow = article.get_workflow()
    assert workflow == Workflow.objects.get(name="Duyệt tin bài")
    state = workflow.start(article, editor)
    article.refresh_from_db()
    assert not article.live
    assert client.get("/tin-tuc/tin-thanh-pho/").content.decode().count("Hội nghị chuyển đổi số") == 0

    # The editor cannot approve; the leader of the editorial board can.
    task_state = state.current_task_state
    assert not task_state.task.specific.user_can_access_editor(article, editor) or not any(
        a[0] == "approve" for a in task_state.task.specific.get_actions(article, editor)
    )
    assert any(a[0] == "approve" for a in task_state.task.specific.get_actions(article, chief))
    task_state.task.specific.on_action(task_state, chief, "approve")
    article.refresh_from_db()
    assert article.live and article.published_at is not None
    page = client.get("/tin-tuc/tin-thanh-pho/").content.decode()
    assert "Hội nghị chuyển đổi số" in page


def test_every_revision_is_kept_and_comparable(sections, editor):
    article = make_article(sections["thong-bao"], title="Thông báo lịch tiếp dân")
    article.save_revision(user=editor)
    article.title = "Thông báo lịch tiếp công dân tháng 12"
    article.save_revision(user=editor)
    revisions = list(article.revisions.order_by("created_at"))
    assert len(revisions) == 2
    assert [r.as_object().title for r in revisions] == [
        "Thông báo lịch tiếp dân",
        "Thông báo lịch tiếp công dân tháng 12",
    ]


def test_scheduled_article_goes_live_at_its_time(sections, chief, client):
    article = make_article(sections["thong-bao"], title="Thông báo nghỉ Tết")
    article.go_live_at = timezone.now() + timedelta(hours=2)
    revision = article.save_revision(user=chief, approved_go_live_at=article.go_live_at)
    revision.publish(user=chief)
    article.refresh_from_db()
    assert not article.live
    assert "Thông báo nghỉ Tết" not in client.get("/tin-tuc/").content.decode()
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live and article.published_at is not None


def test_ward_staff_write_only_in_their_wards_section(sections, ward_editor, ward_a):
    from website.models import SectionPage

    mine = SectionPage.objects.get(ward=ward_a)
    other = SectionPage.objects.exclude(ward=ward_a).filter(ward__isnull=False).first()
    assert mine.permissions_for_user(ward_editor).can_add_subpage()
    assert not other.permissions_for_user(ward_editor).can_add_subpage()
    assert not sections["tin-thanh-pho"].permissions_for_user(ward_editor).can_add_subpage()
    assert not mine.permissions_for_user(ward_editor).can_publish()


def test_article_body_is_sanitised(sections):
    article = make_article(
        sections["tin-thanh-pho"],
        body='<p onclick="x()">An toàn<script>alert(1)</script><a href="javascript:alert(1)">link</a>'
        '<iframe src="https://evil"></iframe><b style="color:red">đậm</b></p>',
    )
    article.refresh_from_db()
    assert "script" not in article.body and "onclick" not in article.body and "iframe" not in article.body
    assert "javascript:" not in article.body and "style=" not in article.body
    assert "<b>đậm</b>" in article.body


def test_published_article_page_renders_lead_image_renditions_and_og_tags(sections, client):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (1600, 900), "red").save(buffer, format="JPEG")
    image = Image.objects.create(
        title="Bến phà", file=ImageFile(BytesIO(buffer.getvalue()), name="ben-pha.jpg")
    )
    article = publish(
        make_article(
            sections["tin-thanh-pho"], title="Bến phà mới", lead_image=image, lead_image_alt="Bến phà Mỹ Tho"
        )
    )
    page = client.get(article.url_path_public)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'alt="Bến phà Mỹ Tho"' in html and "360w" in html and "720w" in html
    assert 'property="og:title" content="Bến phà mới"' in html and 'property="og:image"' in html
    src = html.split('srcset="')[1].split(" ")[0]
    assert client.get(src).status_code == 200
    assert client.get("/media/../private/x").status_code == 404


def test_news_list_keyset_pages_and_accent_free_search(sections, client):
    for i in range(23):
        publish(make_article(sections["tin-thanh-pho"], title=f"Tin số {i}", slug=f"tin-so-{i}"))
    publish(make_article(sections["cai-cach-hanh-chinh"], title="Cải cách thủ tục hành chính", slug="cchc"))
    first = client.get("/tin-tuc/")
    assert first.status_code == 200
    assert first.content.decode().count('class="news-item') == 20
    cursor = first.context["page_of_articles"].next_cursor
    second = client.get("/tin-tuc/", {"truoc": cursor})
    assert second.content.decode().count('class="news-item') == 4
    found = client.get("/tin-tuc/", {"q": "cai cach thu tuc"}).content.decode()
    assert "Cải cách thủ tục hành chính" in found and "Tin số 1<" not in found
    assert client.get("/tin-tuc/", {"truoc": "rác_x"}).status_code == 200


def test_feeds_list_the_newest_articles(sections, client):
    publish(make_article(sections["thong-bao"], title="Thông báo tuyển dụng"))
    rss = client.get("/tin-tuc/rss.xml")
    atom = client.get("/tin-tuc/atom.xml")
    assert rss.status_code == 200 and "Thông báo tuyển dụng" in rss.content.decode()
    assert "<rss" in rss.content.decode() and "http://www.w3.org/2005/Atom" in atom.content.decode()
    assert "Thông báo tuyển dụng" in atom.content.decode()


def test_unpublished_article_leaves_the_lists(sections, client):
    article = publish(make_article(sections["thong-bao"], title="Tin sẽ gỡ"))
    assert "Tin sẽ gỡ" in client.get("/tin-tuc/").content.decode()
    article.unpublish()
    assert Article.objects.get(pk=article.pk).published_at is None
    assert "Tin sẽ gỡ" not in client.get("/tin-tuc/").content.decode()


@pytest.mark.parametrize("path", ["/cms/", "/cms/pages/"])
def test_cms_needs_the_portal_two_step_log_in(path, news, editor, client):
    from django.test import Client as Plain

    anonymous = Plain().get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    half = Plain()
    half.force_login(editor)  # password only: no second factor
    assert half.get(path)["Location"].startswith("/admin/login/")
    client.force_login(editor)  # with the second factor
    inside = client.get(path, follow=True)
    assert inside.status_code == 200 and inside.redirect_chain[-1:] != [("/admin/login/", 302)]
    assert "unsafe-inline" not in inside["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_the_beat_task_publishes_due_articles(sections, chief):
    import time_machine

    from website.tasks import publish_scheduled

    article = make_article(sections["thong-bao"], title="Thông báo hẹn giờ")
    article.go_live_at = timezone.now() + timedelta(minutes=30)
    article.save_revision(user=chief, approved_go_live_at=article.go_live_at).publish(user=chief)
    publish_scheduled()
    assert not Article.objects.get(pk=article.pk).live
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        publish_scheduled()
    assert Article.objects.get(pk=article.pk).live


def test_an_attachment_is_public_once_its_article_is_live(sections, client, chief):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from website.models import ArticleAttachment

    document = get_document_model().objects.create(
        title="ke-hoach", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="ke-hoach.pdf")
    )
    article = make_article(sections["thong-bao"], title="Kế hoạch tiếp công dân")
    ArticleAttachment.objects.create(page=article, document=document, title="Kế hoạch")
    assert client.get(document.url).status_code == 404  # a draft's file is not out before the draft
    publish(article, chief)
    assert client.get(document.url).status_code == 200
