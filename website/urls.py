from django.urls import path, re_path
from wagtail import urls as wagtail_urls

from website import feeds, report_views, views

app_name = "website"

urlpatterns = [
    path("van-ban/", views.library, name="library"),
    path("van-ban/<int:pk>/", views.legal_detail, name="legal_detail"),
    path("van-ban/<int:pk>/ban-ky-so.pdf", views.legal_file, name="legal_file"),
    path("van-ban/rss.xml", feeds.LegalFeed(), name="legal_rss"),
    path("van-ban/atom.xml", feeds.LegalAtom(), name="legal_atom"),
    path("tin-tuc/rss.xml", feeds.NewsFeed(), name="news_rss"),
    path("tin-tuc/atom.xml", feeds.NewsAtom(), name="news_atom"),
    path("lich-cong-tac/", views.schedule, name="schedule"),
    path("lich-hop/", views.schedule, name="meetings"),
    path("tim-kiem/", views.search, name="search"),
    path("robots.txt", views.robots, name="robots"),
    path("media/<path:path>", views.media, name="media"),
    path("admin/bao-cao-chinh-phu-dien-tu/", report_views.report, name="report"),
]

#: Wagtail's front-end URLs (included at /tin-tuc/), its page view served from the page cache.
news_urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, views.news_page, name="wagtail_serve"),
]
