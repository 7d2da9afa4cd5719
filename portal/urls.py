from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import accounts, views
from website import urls as website_urls
from website import views as website_views
from website.sitemaps import SITEMAPS

handler400 = "portal.views.error_400"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

urlpatterns = [
    path("", website_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/<str:code>/", views.switch_language, name="switch_language"),
    # Password reset by e-mail, for officials and citizens alike (the admin's
    # log-in page links to "admin_password_reset").
    path("tai-khoan/quen-mat-khau/", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", views.password_reset_done, name="password_reset_done"),
    path(
        "tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("tai-khoan/dat-lai-mat-khau/xong/", views.password_reset_complete, name="password_reset_complete"),
    *accounts.urlpatterns,
    # The website (website/): its pages, the report in the back office, then Wagtail's admin for
    # the editorial team (its own log-in is the back office's two-step one), attachments, news pages.
    path("", include("website.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("cms/login/", lambda request: redirect("admin:login"), name="cms_login"),
    path("cms/", include(wagtailadmin_urls)),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("tin-tuc/", include(website_urls.news_urlpatterns)),
    path("", include("onestop.urls")),
    path("", include("feedback.urls")),
]
