"""The website's fixtures: the news tree (as migrate leaves it), editors, a leader of the editorial board."""

from __future__ import annotations

import pytest

from portal import roles


@pytest.fixture
def news(db, city, ward_a, ward_b):
    from website import setup

    return setup.ensure_site()


@pytest.fixture
def sections(news):
    from website.models import SectionPage

    return {s.slug: s for s in SectionPage.objects.all()}


@pytest.fixture
def editor(make_user, city):
    return make_user(unit=city, role=roles.EDITOR, username="bt.viet", full_name="Biên tập viên")


@pytest.fixture
def chief(make_user, city):
    return make_user(
        unit=city, role=roles.EDITORIAL_LEADER, username="bt.lanhdao", full_name="Lãnh đạo ban biên tập"
    )


@pytest.fixture
def ward_editor(make_user, ward_a, news):
    from django.contrib.auth.models import Group

    from website.setup import ward_group_name

    user = make_user(unit=ward_a, username="pa.bientap")
    user.groups.add(Group.objects.get(name=ward_group_name(ward_a)))
    return user


def make_article(
    section,
    title="Khai trương bến phà",
    intro="Thành phố khai trương bến phà mới.",
    body="<p>Nội dung</p>",
    **kwargs,
):
    from website.models import Article

    article = Article(title=title, intro=intro, body=body, live=False, **kwargs)
    section.add_child(instance=article)
    return article


def publish(article, user=None):
    revision = article.save_revision(user=user)
    revision.publish(user=user)
    article.refresh_from_db()
    return article
