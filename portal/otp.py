"""Two-factor log-in of officials to the back office (django-otp: TOTP, with backup codes).

The admin's log-in takes two steps and logs nobody in before both pass:

1. username and password (django-axes counts the failures), then, for staff
   while ``STAFF_OTP_REQUIRED`` is on (the default),
2. a six-digit code from an authenticator app (TOTP, RFC 6238), or one of the
   ten single-use backup codes. An official without a device enrols at this
   step: the page shows a QR code and the key, the first code confirms the
   device, and the backup codes are shown once.

Between the steps the session holds only who passed the password, for
``PENDING_SECONDS``; ``django.contrib.auth.login`` runs after the second step,
which also records the device in the session (``django_otp.login``), so
``request.user.is_verified()`` is true. The admin site lets in only verified
staff (``PortalAdminSite.has_permission``). A wrong code counts as a failed
log-in (audit trail, django-axes) and each device slows repeated wrong codes
down (django-otp's throttling).
"""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING = "portal_otp_pending"
PENDING_SECONDS = 300
BACKUP_CODES = 10
BACKUP_DEVICE = "backup"
APP_DEVICE = "authenticator"


def required_for(user) -> bool:
    """Whether ``user`` must pass a second factor to enter the back office."""
    return bool(user.is_staff and getattr(settings, "STAFF_OTP_REQUIRED", True))


def verified(request) -> bool:
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


# --- devices ---------------------------------------------------------------------------------


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_backup_codes(user) -> list[str]:
    """Ten fresh single-use backup codes for ``user`` (the old ones stop working)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def give_authenticator(user, key_hex: str) -> TOTPDevice:
    """A confirmed TOTP device with the given key (the demo accounts, tests)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=APP_DEVICE, defaults={"key": key_hex, "confirmed": True}
    )
    return device


def mark_verified(session, user) -> None:
    """Record ``user``'s confirmed device in ``session``, as a verified log-in does.

    For clients that sign in with ``force_login`` (the test suite, benchmarks):
    the user gets an authenticator device with a random key if they have none.
    """
    import secrets

    from django_otp import DEVICE_ID_SESSION_KEY

    device = confirmed_app(user) or give_authenticator(user, secrets.token_hex(20))
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def base32_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(data: str) -> str:
    """An inline SVG QR code of ``data`` (no image request, no script)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


# --- the pending log-in between the two steps -------------------------------------------------


def _set_pending(request, user, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def _pending(request):
    """(user, backend, next) of the log-in waiting for its second factor, or None."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = auth.get_user_model().objects.filter(pk=data.get("user"), is_active=True, is_staff=True).first()
    if user is None:
        return None
    return user, data.get("backend"), data.get("next") or reverse("admin:index")


def _finish(request, user, backend, device, next_url):
    request.session.pop(PENDING, None)
    auth.login(request, user, backend=backend)
    otp_login(request, device)
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    return next_url


def _failed(request, user) -> None:
    """A wrong code is a failed log-in: the audit trail and django-axes count it."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


# --- step 1: the password ---------------------------------------------------------------------


class StaffLoginView(LoginView):
    """The admin's log-in form; a member of staff goes on to the second step, not logged in yet."""

    def get_default_redirect_url(self):
        return self.next_page or reverse("admin:index")

    def form_valid(self, form):
        user = form.get_user()
        if not required_for(user):
            return super().form_valid(form)
        _set_pending(self.request, user, self.get_redirect_url() or reverse("admin:index"))
        step = "admin:otp_verify" if confirmed_app(user) or _has_backup(user) else "admin:otp_enrol"
        return redirect(step)


def _has_backup(user) -> bool:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()


# --- step 2: the code -------------------------------------------------------------------------


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 12}
        ),
    )

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split())


def _context(request, admin_site, **extra):
    return {
        **admin_site.each_context(request),
        "title": _("Two-step verification"),
        "subtitle": None,
        **extra,
    }


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def verify_view(request, admin_site):
    pending = _pending(request)
    if pending is None:
        return redirect("admin:login")
    user, backend, next_url = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = match_token(user, form.cleaned_data["otp_token"])
        if device is not None:
            return redirect(_finish(request, user, backend, device, next_url))
        _failed(request, user)
        form.add_error("otp_token", _("This code is not valid. Wait for the next code and try again."))
    context = _context(request, admin_site, form=form, official=user)
    return TemplateResponse(request, "portal/otp/verify.html", context, status=400 if form.errors else 200)


@sensitive_post_parameters("otp_token")
@csrf_protect
@never_cache
def enrol_view(request, admin_site):
    """First log-in of an official without a device: set up the authenticator app."""
    pending = _pending(request)
    if pending is None:
        return redirect("admin:login")
    user, backend, next_url = pending
    if confirmed_app(user) is not None:
        return redirect("admin:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            ok = device.verify_token(form.cleaned_data["otp_token"])
            if ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_backup_codes(user)
        if ok:
            next_url = _finish(request, user, backend, device, next_url)
            context = _context(
                request, admin_site, codes=codes, next_url=next_url, title=_("Your backup codes")
            )
            return TemplateResponse(request, "portal/otp/backup_codes.html", context)
        _failed(request, user)
        form.add_error("otp_token", _("This code is not valid. Check the time on your phone and try again."))
    context = _context(
        request,
        admin_site,
        form=form,
        official=user,
        qr=mark_safe(qr_svg(device.config_url)),  # noqa: S308 - SVG we generate ourselves
        key=base32_key(device),
        title=_("Set up two-step verification"),
    )
    return TemplateResponse(request, "portal/otp/enrol.html", context, status=400 if form.errors else 200)
