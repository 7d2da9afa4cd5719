"""The certificate registry: expiry reminders, scoping, revocation, the back office, the demo."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import ca, demo, keys, selectors, services
from documents.models import Certificate, CertificateKind
from portal import roles
from portal.models import AuditEvent
from tests.documents.conftest import PASSPHRASE

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 3, 10)


def expiring_on(authority, owner, day: date, hour: int = 10, **kwargs) -> Certificate:
    return ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name=owner.full_name,
        owner=owner,
        unit=owner.unit,
        passphrase=PASSPHRASE,
        kdf_iterations=1000,
        not_before=datetime(2024, 1, 1, tzinfo=VN),
        not_after=datetime.combine(day, datetime.min.time(), tzinfo=VN).replace(hour=hour),
        **kwargs,
    )


# --- reminders ---------------------------------------------------------------------------------


def test_each_mark_is_due_in_its_own_window(authority, make_user, ward_a):
    people = {
        days: make_user(unit=ward_a, full_name=f"Người {days}") for days in (45, 31, 30, 8, 7, 2, 1, 0, -1)
    }
    certs = {
        days: expiring_on(authority, person, TODAY + timedelta(days=days)) for days, person in people.items()
    }

    due = {(cert.pk, mark) for cert, mark in selectors.due_reminders(TODAY)}
    expected = {
        (certs[30].pk, 30),
        (certs[8].pk, 30),  # 8 days left: still the 30-day window
        (certs[7].pk, 7),
        (certs[2].pk, 7),
        (certs[1].pk, 1),
        (certs[0].pk, 1),  # expires today: the last reminder
    }
    assert due == expected
    assert list(selectors.expiring(TODAY, 7)) == [certs[2], certs[7]]  # soonest first
    with pytest.raises(ValueError):
        selectors.expiring(TODAY, 14)


def test_a_sweep_every_day_sends_each_mark_once_and_catches_up(authority, make_user, ward_a):
    cert = expiring_on(authority, make_user(unit=ward_a), TODAY + timedelta(days=40))
    sent: dict[str, date] = {}
    day = TODAY
    while day <= TODAY + timedelta(days=41):
        if day.day % 5 != 0:  # the sweep did not run on some days: it catches up the next run
            for certificate, mark in selectors.due_reminders(day):
                sent.setdefault(selectors.reminder_key(certificate, mark), day)
        day += timedelta(days=1)
    assert sorted(sent) == sorted(selectors.reminder_key(cert, mark) for mark in (30, 7, 1))
    assert sent[selectors.reminder_key(cert, 30)] == TODAY + timedelta(
        days=11
    )  # 10 March + 10 = a "day 5" skip
    assert sent[selectors.reminder_key(cert, 1)] == TODAY + timedelta(days=39)


def test_revoked_and_renewed_certificates_are_not_reminded(authority, make_user, ward_a):
    holder = make_user(unit=ward_a)
    old = expiring_on(authority, holder, TODAY + timedelta(days=5))
    assert selectors.due_reminders(TODAY) == [(old, 7)]
    expiring_on(authority, holder, TODAY + timedelta(days=700))  # renewed
    assert selectors.due_reminders(TODAY) == []
    other = expiring_on(authority, make_user(unit=ward_a), TODAY + timedelta(days=5))
    Certificate.objects.filter(pk=other.pk).update(revoked_at=datetime(2026, 3, 1, tzinfo=VN))
    assert selectors.due_reminders(TODAY) == []


def test_reminder_recipients(authority, organisation, personal, make_user, ward_a, leader):
    clerk = make_user(unit=ward_a, role=roles.CLERK)
    make_user(unit=ward_a, role=roles.SPECIALIST)
    assert selectors.reminder_recipients(personal) == [leader]
    assert set(selectors.reminder_recipients(organisation)) == {leader, clerk}


def test_reminder_selector_is_one_query_whatever_the_count(authority, make_user, ward_a):
    for days in (3, 20, 25):
        expiring_on(authority, make_user(unit=ward_a), TODAY + timedelta(days=days))
    with CaptureQueriesContext(connection) as queries:
        pairs = selectors.due_reminders(TODAY)
        [(c.owner.username, c.unit.name) for c, _m in pairs]
    assert len(pairs) == 3 and len(queries) == 3  # one per mark, holder and unit joined


# --- scoping ---------------------------------------------------------------------------------------


def test_scoping_units_own_certificate_and_administrators(
    authority, personal, organisation, ward_b, make_user, leader
):
    other_ward_leader = make_user(unit=ward_b, role=roles.LEADER)
    theirs = ca.issue(authority, kind=CertificateKind.ORGANISATION, common_name=ward_b.name, unit=ward_b)
    specialist_b = make_user(unit=ward_b, role=roles.SPECIALIST)
    own = ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name="Chuyên viên B",
        owner=specialist_b,
        unit=ward_b,
        passphrase="x" * 12,
        kdf_iterations=1000,
    )
    admin = make_user(unit=ward_b, role=roles.SYSADMIN)

    assert set(Certificate.objects.visible_to(leader)) == {personal, organisation}
    assert set(Certificate.objects.visible_to(other_ward_leader)) == {theirs, own}
    assert set(Certificate.objects.visible_to(specialist_b)) == {theirs, own}
    assert Certificate.objects.visible_to(admin).count() == 5  # with the authority
    citizen = make_user(citizen=True)
    assert not Certificate.objects.visible_to(citizen).exists()


# --- revocation ----------------------------------------------------------------------------------


def test_revocation_is_recorded_in_the_audit_trail_once(personal, leader, make_user, ward_b):
    stranger = make_user(unit=ward_b, role=roles.LEADER)
    with pytest.raises(ValidationError, match="may not revoke"):
        services.revoke_certificate(personal, actor=stranger, reason="key_compromise")
    with pytest.raises(ValidationError, match="Choose a reason"):
        services.revoke_certificate(personal, actor=leader, reason="bogus")
    services.revoke_certificate(personal, actor=leader, reason="key_compromise", note="Mất USB token")
    personal.refresh_from_db()
    assert personal.revoked_at is not None and personal.revoked_by == leader
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.object_id == str(personal.pk) and event.actor == leader
    assert event.data["reason"] == "key_compromise" and event.data["note"] == "Mất USB token"
    with pytest.raises(ValidationError, match="already revoked"):
        services.revoke_certificate(personal, actor=leader, reason="superseded")
    assert AuditEvent.objects.filter(action="certificate.revoke").count() == 1


# --- back office -----------------------------------------------------------------------------------


@pytest.fixture
def sysadmin(make_user, city):
    return make_user(unit=city, role=roles.SYSADMIN, username="sysadmin")


def test_list_filters_and_no_key_material(client, sysadmin, personal, organisation, authority):
    client.force_login(sysadmin)
    url = reverse("admin:documents_certificate_changelist")
    page = client.get(url).content.decode()
    assert "Dương Văn Thành" in page and "Phường A" in page and "Test CA Mỹ Tho" in page
    personal_only = client.get(url, {"kind": "personal"}).content.decode()
    assert (
        personal.serial_number[:16] in personal_only and organisation.serial_number[:16] not in personal_only
    )
    assert "Dương Văn Thành" in client.get(url, {"state": "valid"}).content.decode()
    assert (
        "Dương Văn Thành"
        not in client.get(url, {"state": "revoked"}).content.decode().split("result_list")[-1]
    )
    assert client.get(url, {"expires": "30"}).status_code == 200
    for junk in ("\x00", "x" * 5000, "'; DROP TABLE"):
        expected = (400,) if junk == "\x00" else (200, 302)  # NUL: portal.middleware.RejectNulMiddleware
        assert (
            client.get(url, {"state": junk, "expires": junk, "kind": junk, "q": junk}).status_code in expected
        )
    change = client.get(reverse("admin:documents_certificate_change", args=[personal.pk])).content.decode()
    assert personal.fingerprint in change and "data:image/png;base64," in change
    encrypted = bytes(personal.encrypted_key)
    import base64

    for form in (encrypted.hex(), base64.b64encode(encrypted).decode()[:40]):
        assert form not in change and form not in page
    assert "Mã hóa bằng mật khẩu của người được cấp" in change  # Vietnamese first


def test_list_query_count_does_not_grow_with_rows(client, sysadmin, authority, make_user, ward_a):
    client.force_login(sysadmin)
    url = reverse("admin:documents_certificate_changelist")
    expiring_on(authority, make_user(unit=ward_a), TODAY + timedelta(days=400))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        expiring_on(authority, make_user(unit=ward_a), TODAY + timedelta(days=400))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_revoke_button_and_form(client, leader, personal, make_user, ward_b):
    client.force_login(leader)
    change_url = reverse("admin:documents_certificate_change", args=[personal.pk])
    revoke_url = reverse("admin:documents_certificate_revoke", args=[personal.pk])
    assert revoke_url in client.get(change_url).content.decode()
    form = client.get(revoke_url)
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    bad = client.post(revoke_url, {"reason": "nonsense", "note": "x"})
    assert bad.status_code == 200 and Certificate.objects.get(pk=personal.pk).revoked_at is None
    long_note = client.post(revoke_url, {"reason": "superseded", "note": "x" * 600})
    assert long_note.status_code == 200 and Certificate.objects.get(pk=personal.pk).revoked_at is None
    nul = client.post(revoke_url, {"reason": "superseded", "note": "a\x00b"})
    assert nul.status_code == 400 and Certificate.objects.get(pk=personal.pk).revoked_at is None
    done = client.post(revoke_url, {"reason": "superseded", "note": "Cấp chứng thư mới"})
    assert done.status_code == 302 and done["Location"] == change_url
    assert Certificate.objects.get(pk=personal.pk).revocation_reason == "superseded"
    assert AuditEvent.objects.filter(action="certificate.revoke", object_id=str(personal.pk)).count() == 1
    assert revoke_url not in client.get(change_url).content.decode()
    again = client.post(revoke_url, {"reason": "superseded"})
    assert again.status_code == 302 and AuditEvent.objects.filter(action="certificate.revoke").count() == 1


def test_another_wards_official_cannot_see_or_revoke(client, personal, make_user, ward_b):
    other = make_user(unit=ward_b, role=roles.LEADER)
    client.force_login(other)
    assert client.get(reverse("admin:documents_certificate_change", args=[personal.pk])).status_code == 302
    assert client.get(reverse("admin:documents_certificate_revoke", args=[personal.pk])).status_code == 404
    assert (
        client.post(
            reverse("admin:documents_certificate_revoke", args=[personal.pk]), {"reason": "superseded"}
        ).status_code
        == 404
    )
    page = client.get(reverse("admin:documents_certificate_changelist")).content.decode()
    assert "Dương Văn Thành" not in page
    assert client.get("/admin/documents/certificate/abc/revoke/").status_code in (302, 404)
    assert client.get("/admin/documents/certificate/99999999999999999999/change/").status_code in (302, 404)
    assert Certificate.objects.get(pk=personal.pk).revoked_at is None


def test_a_specialist_sees_only_their_own_and_cannot_revoke_the_units(
    client, authority, organisation, make_user, ward_a
):
    specialist = make_user(unit=ward_a, role=roles.SPECIALIST)
    own = ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name="Chuyên viên A",
        owner=specialist,
        unit=ward_a,
        passphrase="x" * 12,
        kdf_iterations=1000,
    )
    client.force_login(specialist)
    assert client.get(reverse("admin:documents_certificate_change", args=[own.pk])).status_code == 200
    assert (
        client.get(reverse("admin:documents_certificate_revoke", args=[organisation.pk])).status_code == 403
    )
    assert client.get(reverse("admin:documents_certificate_revoke", args=[own.pk])).status_code == 200


# --- the demo ---------------------------------------------------------------------------------------------


def test_seed_demo_issues_41_organisation_and_132_personal_certificates(settings):
    from portal import demo as portal_demo

    portal_demo.seed()
    first = demo.seed()
    assert first["organisation_created"] == 41 and first["personal_created"] == 132
    again = demo.seed()  # idempotent: the certificates, and the demo documents (documents_created)
    assert again["authority"] == first["authority"]
    assert (again["organisation_created"], again["personal_created"], again["documents_created"]) == (0, 0, 0)

    root = Certificate.objects.get(kind=CertificateKind.AUTHORITY, common_name=demo.DEMO_CA_NAME)
    assert root.trusted and Certificate.objects.trust_anchors().filter(pk=root.pk).exists()
    issued = Certificate.objects.filter(issuer_certificate=root)
    assert issued.filter(kind=CertificateKind.ORGANISATION).values("unit").distinct().count() == 41
    assert issued.filter(kind=CertificateKind.PERSONAL).values("owner").distinct().count() == 132
    assert not issued.filter(kind=CertificateKind.PERSONAL, owner__unit__isnull=True).exists()
    for username in ("ubnd.lanhdao", "tuphap.ld", "qldt.ld", "p1.lanhdao"):
        cert = selectors.personal_certificate(portal_demo.User.objects.get(username=username))
        assert cert is not None and cert.image
        keys.decrypt_private_key(cert.encrypted_key, demo.DEMO_PASSPHRASE)
    p1 = portal_demo.Unit.objects.get(code="P1")
    assert selectors.organisation_certificate(p1).image
    assert root.encrypted_key and root.key_protection == "environment"


def test_seed_demo_without_the_secret_creates_nothing_and_says_why(settings):
    settings.ORG_SIGNING_KEY_SECRET = ""
    settings.DEBUG = False
    result = demo.seed()
    assert "ORG_SIGNING_KEY_SECRET" in result["skipped"]
    assert not Certificate.objects.exists()


def test_check_deploy_names_the_missing_secret(settings, capsys):
    from django.core.management.base import SystemCheckError

    settings.ORG_SIGNING_KEY_SECRET = ""
    settings.DEBUG = False
    with pytest.raises(SystemCheckError, match="ORG_SIGNING_KEY_SECRET"):
        call_command("check", "--deploy", "--tag", "security")
