"""The texts of the one-stop desk's outbox (reminders and citizen e-mails).

Queueing and sending, each message once, is the kernel's (``portal.outbox``);
this module only renders a row. The texts are templates per kind, ``onestop/email/<kind>_subject.txt`` and
``<kind>_body.txt``, rendered in the portal's language (Vietnamese) when the
message is sent. Links are absolute, built on ``PORTAL_BASE_URL``.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from onestop.models import DossierStatus, Notification, SupplementRequest
from portal.links import base_url
from portal.models import SiteProfile

STATUS_IN_PLAIN_WORDS = {
    DossierStatus.DRAFT: _("Your dossier is a draft and has not been submitted yet."),
    DossierStatus.AWAITING_PAYMENT: _("Your dossier is waiting for the online payment of the fee."),
    DossierStatus.SUBMITTED: _("Your dossier has been submitted and is waiting to be checked by the desk."),
    DossierStatus.SUPPLEMENT_REQUESTED: _("Your dossier is missing some documents; please provide them."),
    DossierStatus.REJECTED: _("Your dossier was not accepted by the desk."),
    DossierStatus.PROCESSING: _("Your dossier is being processed."),
    DossierStatus.AWAITING_APPROVAL: _("Your dossier is waiting for the leader's approval."),
    DossierStatus.REFUSED: _("Your request was refused."),
    DossierStatus.RESULT_READY: _("The result is ready."),
    DossierStatus.RETURNED: _("The result has been handed over."),
}


def _url(name: str, fallback: str, *args) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = fallback
    return base_url() + path


def lookup_url(dossier) -> str:
    """The citizen's look-up page for the dossier, as an absolute URL."""
    url = _url("onestop:lookup", "/tra-cuu/")
    return f"{url}?{urlencode({'ma': dossier.code})}" if dossier.code else url


def admin_url(dossier) -> str:
    return _url("admin:onestop_dossier_change", f"/admin/onestop/dossier/{dossier.pk}/change/", dossier.pk)


def _supplement_request(notification: Notification):
    """The request a supplement mail is about (its id ends the key), else the latest one."""
    requests = SupplementRequest.objects.filter(dossier_id=notification.dossier_id)
    suffix = notification.key.rsplit(":", 1)[-1]
    if suffix.isdigit() and notification.key.count(":") >= 2:
        found = requests.filter(pk=int(suffix)).first()
        if found:
            return found
    return requests.order_by("-requested_at", "-pk").first()


def _reschedule_reason(dossier) -> str:
    event = dossier.events.filter(action="reschedule").order_by("-at", "-id").first()
    return event.note if event else ""


def context(notification: Notification) -> dict:
    dossier = notification.dossier
    ctx = {
        "n": notification,
        "dossier": dossier,
        "step": notification.step,
        "service": dossier.service,
        "site": SiteProfile.current(),
        "status_text": STATUS_IN_PLAIN_WORDS.get(dossier.status, dossier.get_status_display()),
        "lookup_url": lookup_url(dossier),
        "admin_url": admin_url(dossier),
        "recipient_user": notification.recipient_user,
    }
    kind = notification.kind
    if kind == Notification.Kind.CITIZEN_SUPPLEMENT:
        ctx["supplement"] = _supplement_request(notification)
    elif kind == Notification.Kind.CITIZEN_RESCHEDULED:
        ctx["reason"] = _reschedule_reason(dossier)
    elif kind == Notification.Kind.APOLOGY_DUE:
        ctx["step"] = notification.step or dossier.current_step
    return ctx


def render(notification: Notification) -> tuple[str, str]:
    """(subject, body) of a notification, in the portal's language (Vietnamese)."""
    ctx = context(notification)
    kind = notification.kind
    with translation.override(settings.LANGUAGE_CODE):
        subject_template = select_template([f"onestop/email/{kind}_subject.txt", "onestop/email/subject.txt"])
        body_template = select_template([f"onestop/email/{kind}_body.txt", "onestop/email/body.txt"])
        subject = " ".join(subject_template.render(ctx).split())
        body = re.sub(r"\n{3,}", "\n\n", body_template.render(ctx)).strip() + "\n"
    return subject, body
