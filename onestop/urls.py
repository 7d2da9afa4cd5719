"""Citizen-facing pages of the one-stop desk; each views module owns its routes."""

from onestop.views import account, catalogue, filing, lookup, payment, stats

app_name = "onestop"

urlpatterns = [
    *catalogue.urlpatterns,
    *filing.urlpatterns,
    *lookup.urlpatterns,
    *account.urlpatterns,
    *payment.urlpatterns,
    *stats.urlpatterns,
]
