"""The texts of the feedback outbox: templates ``feedback/email/<kind>_subject.txt`` / ``_body.txt``,
rendered in the portal's language when sent; links on ``PORTAL_BASE_URL``."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation

from feedback.models import Notification
from portal.links import absolute_url
from portal.models import SiteProfile


def public_url(report) -> str:
    return absolute_url(reverse("feedback:report", args=[report.code]))


def admin_url(report) -> str:
    return absolute_url(reverse("admin:feedback_report_change", args=[report.pk]))


def render(notification: Notification) -> tuple[str, str]:
    report = notification.report
    ctx = {
        "n": notification,
        "report": report,
        "assignment": notification.assignment,
        "site": SiteProfile.current(),
        "public_url": public_url(report),
        "admin_url": admin_url(report),
        "recipient_user": notification.recipient_user,
    }
    from feedback.services import key_matches, reporter_key

    key = reporter_key(report.code)
    ctx["private_url"] = ctx["public_url"] + (f"?k={key}" if key_matches(report, key) else "")
    kind = notification.kind
    with translation.override(settings.LANGUAGE_CODE):
        subject = select_template([f"feedback/email/{kind}_subject.txt"]).render(ctx)
        body = select_template([f"feedback/email/{kind}_body.txt"]).render(ctx)
    return " ".join(subject.split()), re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
