from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import BadRequest

from portal.audit import RequestInfo, client_ip, current_request


class RequestContextMiddleware:
    """Makes the client's address available to services writing the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(
            RequestInfo(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:255])
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def language_of(request) -> str:
    """The language a request is answered in: the language cookie's, if it names one of
    ``LANGUAGES``, else the city's (``LANGUAGE_CODE``)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code and any(code == known for known, _name in settings.LANGUAGES):
        return code
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Vietnamese by default, English on request.

    Unlike Django's LocaleMiddleware this ignores the browser's
    Accept-Language: a citizen sees the city's working language until they
    choose another with the language switch (which sets the language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        code = language_of(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


NUL = "\x00"


def _has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in str(value) for value in values) for key, values in querydict.lists())


class RejectNulMiddleware:
    """A NUL byte anywhere in the request's path, query, form, file names or cookies is a 400.

    No page needs one, and PostgreSQL refuses NUL in text: left to the views,
    every lookup with one would be a 500. Fixed here once, at the root, for
    every URL (forms also refuse NUL, with Django's own validator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.bad(request):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)

    @staticmethod
    def bad(request) -> bool:
        if NUL in request.path_info or NUL in request.path:
            return True
        if _has_nul(request.GET):
            return True
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_nul(request.POST):
                return True
            return any(NUL in key or NUL in (upload.name or "") for key, upload in request.FILES.items())
        return False


class StaffSessionMiddleware:
    """A member of staff's session ends after ``STAFF_SESSION_IDLE_HOURS`` idle hours.

    The time of the last request is kept in the session (rewritten at most
    once a minute) and checked here, whatever the session backend; the
    session's own expiry follows it so the store forgets idle sessions too.
    Citizens' sessions keep Django's default age.
    """

    KEY = "portal_staff_seen"
    REFRESH = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import logout
        from django.utils import timezone

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            idle = int(getattr(settings, "STAFF_SESSION_IDLE_HOURS", 8)) * 3600
            now = timezone.now().timestamp()
            seen = request.session.get(self.KEY)
            if isinstance(seen, int | float) and now - seen > idle:
                logout(request)
            elif not isinstance(seen, int | float) or now - seen > self.REFRESH:
                request.session[self.KEY] = now
                request.session.set_expiry(idle)
        return self.get_response(request)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's policy (``CONTENT_SECURITY_POLICY``), with inline styles allowed in the back office.

    Django's admin and the back office's templates use ``style`` attributes;
    inline scripts stay forbidden there as everywhere.
    """

    # The Django admin and Wagtail's editorial admin (website/, at /cms/).
    ADMIN_PREFIX = ("/admin/", "/cms/")

    #: Response attributes by which a view changes its policy (django-csp's decorators).
    PER_VIEW = (
        "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
        "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
    )  # fmt: skip

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: dict[tuple[bool, int], str] = {}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(self.ADMIN_PREFIX) and parts.update is None:
            parts.update = {"style-src": ["'unsafe-inline'"]}
        return parts

    def process_response(self, request, response):
        """The policy is the same for every page of a kind (no nonce, no report-only policy):
        built once per process for the public site and once for the back office, not per
        request. A view that changes it, or a request that used a nonce, gets django-csp's
        own processing."""
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.PER_VIEW)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        kind = (request.path.startswith(self.ADMIN_PREFIX), id(settings.CONTENT_SECURITY_POLICY))
        policy = self._built.get(kind)
        if policy is None:
            policy = self._built[kind] = build_policy(**asdict(self.get_policy_parts(request, response)))
        if policy and HEADER not in response:
            response[HEADER] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class TextGZipMiddleware:
    """Django's GZip for text (HTML, JSON, CSV, XML): files already compressed pass as they are.

    Only where the reverse proxy does not compress (HTML_GZIP, on by default).
    Stored files (PDF, images, Office documents) and static files (WhiteNoise
    serves its own compressed copies) are left alone. Django's GZip adds
    random padding against BREACH, and CSRF tokens are masked per request.
    """

    TEXT = ("text/", "application/json", "application/xml", "application/javascript")

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith(self.TEXT):
            return self.gzip.process_response(request, response)
        return response
