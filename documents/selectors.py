"""Reads with a rule in them: scoping, expiry reminders, which certificate signs.

Expiry reminders (issue 8): a certificate is reminded of 30, 7 and 1 days
before it expires. :func:`due_reminders` takes ``today`` and returns the
``(certificate, mark)`` pairs due; the reminder sweep stores each under
:func:`reminder_key` (the mark is part of the unique key), so a pair that is
due on several days running (a sweep missed, a certificate registered late)
is sent exactly once, and a missed mark is not sent late once the next one
is due: a certificate 5 days from expiry gets its 7-day reminder, not the
30-day one. Revoked certificates, and certificates their holder has already
renewed (a later valid one of the same kind for the same person or unit),
are not reminded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from documents.models import Certificate, CertificateKind
from portal import roles

REMINDER_MARKS = (30, 7, 1)  # days before expiry, largest first


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _renewed() -> Exists:
    later = Certificate.objects.filter(
        kind=OuterRef("kind"),
        revoked_at__isnull=True,
        not_after__gt=OuterRef("not_after"),
        not_before__lte=timezone.now(),
    ).filter(
        Q(kind=CertificateKind.PERSONAL, owner=OuterRef("owner"))
        | Q(kind=CertificateKind.ORGANISATION, unit=OuterRef("unit"))
    )
    return Exists(later)


def expiring(on_date: date, days: int) -> QuerySet:
    """Certificates whose ``days``-before-expiry reminder is due on ``on_date``.

    Due while the days left (local calendar days from ``on_date`` to the
    expiry date) are at most ``days`` and more than the next smaller mark;
    for the 1-day mark, on the last day before expiry and on the day itself.
    """
    if days not in REMINDER_MARKS:
        raise ValueError(f"days must be one of {REMINDER_MARKS}")
    smaller = [m for m in REMINDER_MARKS if m < days]
    floor = max(smaller) if smaller else -1
    return (
        Certificate.objects.filter(
            kind__in=[CertificateKind.PERSONAL, CertificateKind.ORGANISATION],
            revoked_at__isnull=True,
            not_after__gte=_start_of(on_date + timedelta(days=floor + 1)),
            not_after__lt=_start_of(on_date + timedelta(days=days + 1)),
        )
        .exclude(_renewed())
        .select_related("owner", "unit")
        .order_by("not_after", "pk")
    )


def due_reminders(today: date) -> list[tuple[Certificate, int]]:
    """``(certificate, mark)`` pairs whose reminder is due ``today``, for each of the 30/7/1 marks."""
    return [(cert, mark) for mark in REMINDER_MARKS for cert in expiring(today, mark)]


def reminder_key(certificate: Certificate, mark: int) -> str:
    """The unique key of one reminder (certificate and mark)."""
    return f"documents.certificate-expiry:{certificate.pk}:{mark}"


def reminder_recipients(certificate: Certificate) -> list:
    """Who is told: the holder of a personal certificate; the clerks and leaders of an organisation.

    (Decree 30/2020 Art. 32: the head of the agency assigns the clerk to keep
    the organisation's seal and key device.)
    """
    if certificate.kind == CertificateKind.PERSONAL:
        owner = certificate.owner
        return [owner] if owner is not None and owner.is_active else []
    if certificate.unit_id is None:
        return []
    return list(
        certificate.unit.staff.filter(is_active=True)
        .filter(roles.has_role_q(roles.CLERK) | roles.has_role_q(roles.LEADER))
        .distinct()
        .order_by("pk")
    )


def personal_certificate(user, at: datetime | None = None) -> Certificate | None:
    """The user's usable personal certificate with a key the portal holds (the newest)."""
    return (
        Certificate.objects.usable(at)
        .filter(kind=CertificateKind.PERSONAL, owner=user)
        .exclude(encrypted_key__isnull=True)
        .order_by("-not_after", "-pk")
        .first()
    )


def organisation_certificate(unit, at: datetime | None = None) -> Certificate | None:
    """The unit's usable organisation certificate with a key the portal holds (the newest)."""
    return (
        Certificate.objects.usable(at)
        .filter(kind=CertificateKind.ORGANISATION, unit=unit)
        .exclude(encrypted_key__isnull=True)
        .order_by("-not_after", "-pk")
        .first()
    )
