"""sitemap.xml: the static public pages, the newest articles and legal documents (bounded)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from website import selectors

LIMIT = 5000


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "website:library", "website:schedule", "onestop:catalogue", "feedback:list"]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return list(
            selectors.articles()
            .only("url_path", "last_published_at", "published_at")
            .order_by("-published_at")[:LIMIT]
        )

    def location(self, item):
        return item.url_path_public

    def lastmod(self, item):
        return item.last_published_at or item.published_at


class LegalSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(selectors.legal_documents().only("id", "published_at").order_by("-published_at")[:LIMIT])

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {"pages": StaticSitemap, "news": NewsSitemap, "legal": LegalSitemap}
