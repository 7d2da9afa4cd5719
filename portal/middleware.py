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
