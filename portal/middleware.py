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


class LanguageMiddleware:
    """Vietnamese by default, English on request.

    Unlike Django's LocaleMiddleware this ignores the browser's
    Accept-Language: a citizen sees the city's working language until they
    choose another with the language switch (which sets the language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
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
        if self._bad(request):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)

    @staticmethod
    def _bad(request) -> bool:
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
