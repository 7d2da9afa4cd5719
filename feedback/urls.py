"""The feedback app's public pages and its Open311 GeoReport v2 API."""

from django.urls import path, re_path

from feedback.api import views as api
from feedback.views import public, stats

app_name = "feedback"

FMT = r"\.(?P<fmt>xml|json)"

urlpatterns = [
    path("phan-anh/", public.list_page, name="list"),
    path("phan-anh/gui/", public.report_form, name="form"),
    path("phan-anh/tra-cuu/", public.lookup, name="lookup"),
    path("phan-anh/thong-ke/", stats.stats_page, name="stats"),
    path("phan-anh/thong-ke/xuat.csv", stats.export_csv, name="stats_csv"),
    path("phan-anh/thong-ke/xuat.xlsx", stats.export_xlsx, name="stats_xlsx"),
    path("phan-anh/<str:code>/", public.report_page, name="report"),
    path("phan-anh/<str:code>/da-gui/", public.submitted, name="submitted"),
    path("phan-anh/<str:code>/danh-gia/", public.rate, name="rate"),
    path("phan-anh/<str:code>/mo-lai/", public.reopen, name="reopen"),
    path("phan-anh/<str:code>/anh/<int:photo_id>/", public.photo, name="photo"),
    # Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2)
    path("open311/v2/openapi.json", api.openapi, name="openapi"),
    re_path(rf"^open311/v2/discovery{FMT}$", api.discovery, name="discovery"),
    re_path(rf"^open311/v2/services{FMT}$", api.service_list, name="services"),
    re_path(
        rf"^open311/v2/services/(?P<service_code>[^/]{{1,100}}){FMT}$", api.service_definition, name="service"
    ),
    re_path(rf"^open311/v2/requests{FMT}$", api.request_list, name="requests"),
    re_path(rf"^open311/v2/requests/(?P<request_id>[^/]{{1,100}}){FMT}$", api.request_detail, name="request"),
    re_path(rf"^open311/v2/tokens/(?P<token>[^/]{{1,100}}){FMT}$", api.token, name="token"),
    re_path(r"^open311/v2/(?P<rest>.*)$", api.not_found, name="api_not_found"),
]
