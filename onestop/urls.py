"""Citizen-facing pages of the one-stop desk; each views module owns its routes."""

from onestop.views import catalogue, filing, lookup, payment, stats

app_name = "onestop"

urlpatterns = [
    *catalogue.urlpatterns,
    *filing.urlpatterns,
    *lookup.urlpatterns,
    *payment.urlpatterns,
    *stats.urlpatterns,
]
