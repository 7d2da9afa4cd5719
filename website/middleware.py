"""Wagtail's admin (/cms/) behind the portal's own two-step staff log-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse


class CMSSecondFactorMiddleware:
    """Anyone reaching /cms/ without a verified second factor goes to the back office's log-in.

    Wagtail's own log-in and password pages are never shown: editors sign in
    like every official (password, then an authenticator code) and come back.
    """

    PREFIX = "/cms/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PREFIX):
            from portal import otp

            user = request.user
            ok = user.is_authenticated and user.is_active and user.is_staff
            if ok and otp.required_for(user) and not otp.verified(request):
                ok = False
            if not ok:
                target = (
                    request.path if request.method == "GET" and "/login" not in request.path else self.PREFIX
                )
                return HttpResponseRedirect(f"{reverse('admin:login')}?{urlencode({'next': target})}")
        return self.get_response(request)
