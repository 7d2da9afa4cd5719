import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from portal import audit, roles
from portal.models import AuditEvent
from tests.otp import log_in


def test_record_keeps_actor_object_and_address(ward_a, make_user, rf):
    officer = make_user(unit=ward_a, role=roles.ONESTOP_OFFICER)
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest")
    event = audit.record("unit.renamed", obj=ward_a, actor=officer, request=request, old="A")
    event.refresh_from_db()
    assert (event.actor, event.object_repr, event.ip_address, event.data) == (
        officer,
        "Phường A",
        "10.1.2.3",
        {"old": "A"},
    )


def test_audit_rows_cannot_be_changed_even_in_sql(ward_a, make_user):
    event = audit.record("x", obj=ward_a)
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()
    with pytest.raises((InternalError, IntegrityError), match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


def test_logins_and_failures_are_audited(client, ward_a, make_user, password):
    officer = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv1")
    login = reverse("admin:login")
    client.post(login, {"username": "cv1", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    log_in(client, officer, password, REMOTE_ADDR="10.0.0.9")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_repr", "ip_address"))
    assert actions == [("login_failed", "cv1", "10.0.0.9"), ("login", str(officer), "10.0.0.9")]


def test_audit_admin_is_read_only_and_for_administrators(client, ward_a, make_user, password):
    audit.record("x", obj=ward_a)
    admin_user = make_user(unit=ward_a, role=roles.SYSADMIN, username="sa")
    leader = make_user(unit=ward_a, role=roles.LEADER, username="ld")
    client.force_login(leader)
    assert client.get(reverse("admin:portal_auditevent_changelist")).status_code == 403
    client.force_login(admin_user)
    page = client.get(reverse("admin:portal_auditevent_changelist"))
    assert page.status_code == 200
    event = AuditEvent.objects.filter(action="x").get()
    detail = client.get(reverse("admin:portal_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b'name="action"' not in detail.content  # no editable field
    assert (
        client.post(reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
