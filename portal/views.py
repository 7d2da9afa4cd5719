from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.models import Heartbeat


def livez(request):
    """Liveness: the process answers (no database, no broker). Also the benchmarks' baseline view."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    return render(request, "portal/home.html")


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, exc.__class__.__name__


def _broker_ok() -> tuple[bool, str]:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    body = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": db_detail,
        "broker": broker_detail,
    }
    if db_ok:
        beat = Heartbeat.objects.filter(name="heartbeat").values_list("last_run", flat=True).first()
        body["last_beat"] = beat.isoformat() if beat else None
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
