"""Citizen accounts on the public site: sign-in and sign-out (officials use the back office).

Accounts are optional: citizens may file and look up dossiers without one.
After signing in, a citizen lands on ``settings.CITIZEN_HOME_URL`` (a URL
name; the one-stop desk's "my dossiers" page), so the kernel names no app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext as _


class CitizenLoginForm(AuthenticationForm):
    """Sign-in for citizen accounts; officials use the back office."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff:
            raise ValidationError(_("Officials sign in to the back office, not here."), code="staff_account")


class CitizenLoginView(LoginView):
    form_class = CitizenLoginForm
    template_name = "portal/account/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse(getattr(settings, "CITIZEN_HOME_URL", "home"))


urlpatterns = [
    path("tai-khoan/dang-nhap/", CitizenLoginView.as_view(), name="citizen_login"),
    path("tai-khoan/dang-xuat/", LogoutView.as_view(next_page="citizen_login"), name="citizen_logout"),
]
