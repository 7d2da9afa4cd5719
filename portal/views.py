from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.models import Heartbeat


def livez(request):
    """Liveness: the process answers (no database, no broker). Also the benchmarks' baseline view."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def switch_language(request, code: str):
    """The public site's language links ("Tiếng Việt", "English"): set the language cookie, go back.

    Links, not Django's POST form: a public page then carries no CSRF token
    unless it has a form of its own, so it is served from the page cache
    without minting a token and a cookie for every visitor. A forged link
    can do nothing but change a visitor's language (the back office keeps
    Django's ``set_language`` form).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")[:2000]
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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
        from portal import redis_client

        redis_client.client(1.0).ping()  # the process's client, reused (no new connection per check)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__


def _monitoring_token(request) -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[len("Bearer ") :].strip()
    return request.headers.get("X-Healthz-Token", "")


def may_see_health_details(request) -> bool:
    """Staff, or a monitor presenting HEALTHZ_TOKEN (compared in constant time)."""
    expected = getattr(settings, "HEALTHZ_TOKEN", "")
    given = _monitoring_token(request)
    if expected and given and constant_time_compare(given, expected):
        return True
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff and _second_factor_ok(request))


def _second_factor_ok(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return is_verified() if callable(is_verified) else True


@never_cache
@require_GET
def healthz(request):
    """``ok`` or HTTP 503 for anyone; the database, broker and last beat for staff or a monitor.

    Anonymous callers (load balancers) learn only up or down: the names of
    failing parts and the beat's timing are for operators.
    """
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    if not may_see_health_details(request):
        return HttpResponse(
            "ok" if healthy else "unavailable", content_type="text/plain", status=200 if healthy else 503
        )
    body = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": db_detail,
        "broker": broker_detail,
    }
    if db_ok:
        beat = Heartbeat.objects.filter(name="heartbeat").values_list("last_run", flat=True).first()
        body["last_beat"] = beat.isoformat() if beat else None
    return JsonResponse(body, status=200 if healthy else 503)


def error_400(request, exception):
    from portal import errors

    return errors.render(request, 400) or render(request, "400.html", status=400)


def error_404(request, exception):
    from portal import errors

    return errors.render(request, 404) or render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


# --- password reset by e-mail (Django's views, the portal's templates) ------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form; the e-mailed link is on PORTAL_BASE_URL, never the request's Host."""

    template_name = "portal/password/reset_form.html"
    email_template_name = "portal/password/reset_email.txt"
    subject_template_name = "portal/password/reset_subject.txt"

    def form_valid(self, form):
        from urllib.parse import urlsplit

        from portal.links import base_url

        base = urlsplit(base_url())
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={"base_url": base_url()},
        )
        return HttpResponseRedirect(self.get_success_url())


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="portal/password/reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="portal/password/reset_confirm.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/password/reset_complete.html"
)
