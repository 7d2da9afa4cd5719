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
