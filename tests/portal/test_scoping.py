"""visible_to: a ward never sees another ward; a leader sees their unit and its children."""

from portal import roles
from portal.models import AuditEvent, Unit, User
from portal.scoping import visible_to
from tests.factories import UnitFactory


def test_ward_staff_see_only_their_ward(ward_a, ward_b, make_user):
    officer_a = make_user(unit=ward_a, role=roles.ONESTOP_OFFICER)
    make_user(unit=ward_b, role=roles.SPECIALIST, username="b-staff")
    visible_users = visible_to(User.objects.all(), officer_a)
    assert officer_a in visible_users
    assert not visible_users.filter(unit=ward_b).exists()
    assert list(Unit.objects.visible_to(officer_a)) == [ward_a]


def test_leader_sees_unit_and_children(city, ward_a, ward_b, make_user):
    sub = UnitFactory(code="WA-SUB", name="Tổ dân phố", parent=ward_a)
    leader = make_user(unit=ward_a, role=roles.LEADER)
    assert set(Unit.objects.visible_to(leader)) == {ward_a, sub}
    city_leader = make_user(unit=city, role=roles.LEADER, username="chairman")
    assert set(Unit.objects.visible_to(city_leader)) == {city, ward_a, ward_b, sub}


def test_specialist_does_not_see_children(ward_a, make_user):
    sub = UnitFactory(code="WA-SUB2", parent=ward_a)
    specialist = make_user(unit=ward_a, role=roles.SPECIALIST)
    assert sub not in Unit.objects.visible_to(specialist)


def test_citizen_and_anonymous_see_nothing(ward_a, make_user):
    from django.contrib.auth.models import AnonymousUser

    citizen = make_user(citizen=True)
    assert not Unit.objects.visible_to(citizen).exists()
    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_sysadmin_sees_everything(ward_a, ward_b, make_user):
    admin = make_user(unit=ward_a, role=roles.SYSADMIN)
    assert {ward_a, ward_b} <= set(Unit.objects.visible_to(admin))


def test_moving_a_unit_moves_its_subtree(city, ward_a, ward_b):
    sub = UnitFactory(code="SUB", parent=ward_a)
    ward_a.parent = ward_b
    ward_a.save()
    sub.refresh_from_db()
    assert sub.path == f"{ward_b.path}{ward_a.pk}/{sub.pk}/"


def test_through_relation_lookup(ward_a, ward_b, make_user):
    # Records tied to units through another relation (the actor's unit here).
    officer = make_user(unit=ward_a, role=roles.SPECIALIST)
    other = make_user(unit=ward_b, role=roles.SPECIALIST, username="other")
    AuditEvent.objects.create(actor=officer, action="x")
    AuditEvent.objects.create(actor=other, action="y")
    seen = visible_to(AuditEvent.objects.all(), officer, "actor__unit")
    assert list(seen.values_list("action", flat=True)) == ["x"]


def test_subtree_q_and_top_unit(city, ward_a, ward_b):
    from portal.scoping import subtree_q, top_unit

    sub = UnitFactory(code="WA-SUB3", parent=ward_a)
    assert set(Unit.objects.filter(subtree_q(ward_a, "pk"))) == {ward_a, sub}
    assert top_unit(sub) == city
    assert top_unit(city) == city


def test_new_roles_have_groups_and_no_wider_scope(ward_a, make_user):
    # The personnel roles exist as groups with default names; the kernel's
    # scope gives them their own unit only (apps widen it for their records).
    officer = make_user(unit=ward_a, role=roles.PERSONNEL_OFFICER)
    home = make_user(unit=ward_a, role=roles.HOME_AFFAIRS, username="noi-vu")
    sub = UnitFactory(code="WA-SUB4", parent=ward_a)
    assert roles.group_for(roles.PERSONNEL_OFFICER).name == "Cán bộ tổ chức - cán bộ"
    assert sub not in Unit.objects.visible_to(officer)
    assert sub not in Unit.objects.visible_to(home)
