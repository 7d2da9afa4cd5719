from django.contrib import admin
from django.urls import include, path

from portal import accounts, views

handler400 = "portal.views.error_400"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("admin/", admin.site.urls),
    path("", include("onestop.urls")),
    path("", include("feedback.urls")),
]
