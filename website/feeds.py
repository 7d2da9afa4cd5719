"""RSS 2.0 and Atom 1.0 feeds of the news and the legal library (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from portal import links
from website import selectors

ITEMS = 30


class NewsFeed(Feed):
    title = _("City news")
    description = _("The newest articles and announcements of the city.")

    def link(self):
        return links.absolute_url("/tin-tuc/")

    def items(self):
        return selectors.latest_articles(ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return links.absolute_url(item.url_path_public)

    def item_pubdate(self, item):
        return item.published_at


class NewsAtom(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class LegalFeed(Feed):
    title = _("Legal documents")
    description = _("Legal and steering documents newly published by the city.")

    def link(self):
        return links.absolute_url("/van-ban/")

    def items(self):
        return list(
            selectors.legal_documents()
            .only("notation", "summary", "doc_type", "issued_on", "published_at")
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_title(self, item):
        return f"{item.doc_type} {item.notation}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return links.absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at


class LegalAtom(LegalFeed):
    feed_type = Atom1Feed
    subtitle = LegalFeed.description
