"""The benchmarks' baseline: a bare Django app, no middleware, one view.

``gunicorn portal.bench_bare:application`` serves ``GET /`` with a few bytes,
through Django's request handling and URL resolving and nothing else. The
benchmarks start it under the same gunicorn, with the same workers, in the
same run as the portal, and report each page's throughput as a ratio to it.
"""

from __future__ import annotations

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-not-secret",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )
    django.setup()


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings.configure

application = get_wsgi_application()
