"""Only a superuser makes, edits or resets a superuser; a system administrator cannot climb."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal import roles
from portal.models import User
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def sysadmin(city):
    return UserFactory(username="qtht", unit=city, role=roles.SYSADMIN)


@pytest.fixture
def root(db):
    return UserFactory(username="root", unit=None, is_superuser=True)


@pytest.fixture
def clerk(ward_a):
    return UserFactory(username="vanthu", unit=ward_a, role=roles.CLERK)


def change_data(user: User, **changes) -> dict:
    """The change form of ``user`` as the admin posts it."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "unit": user.unit_id or "",
        "position": "",
        "phone": "",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_sysadmin_cannot_make_anyone_a_superuser(client, sysadmin, clerk):
    client.force_login(sysadmin)
    url = reverse("admin:portal_user_change", args=[clerk.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    response = client.post(url, change_data(clerk, is_superuser="on"))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    client.post(
        reverse("admin:portal_user_change", args=[sysadmin.pk]), change_data(sysadmin, is_superuser="on")
    )
    sysadmin.refresh_from_db()
    assert not sysadmin.is_superuser


def test_sysadmin_cannot_grant_permissions_directly(client, sysadmin, clerk):
    client.force_login(sysadmin)
    delete_user = Permission.objects.get(codename="delete_user", content_type__app_label="portal")
    client.post(
        reverse("admin:portal_user_change", args=[clerk.pk]),
        change_data(clerk, user_permissions=[delete_user.pk]),
    )
    assert not clerk.user_permissions.exists()


def test_sysadmin_cannot_give_a_group_holding_more_than_they_hold(client, sysadmin, clerk):
    everything = Group.objects.create(name="Toàn quyền")
    everything.permissions.set(Permission.objects.all())
    client.force_login(sysadmin)
    url = reverse("admin:portal_user_change", args=[clerk.pk])
    response = client.post(
        url, change_data(clerk, groups=[*clerk.groups.values_list("pk", flat=True), everything.pk])
    )
    assert response.status_code == 200  # the choice is refused
    assert not clerk.groups.filter(pk=everything.pk).exists()
    # Roles stay theirs to give.
    leader = roles.group_for(roles.LEADER)
    assert client.post(url, change_data(clerk, groups=[leader.pk])).status_code == 302
    assert list(clerk.groups.values_list("name", flat=True)) == [leader.name]


def test_a_group_they_cannot_give_is_kept_when_they_edit_its_member(client, sysadmin, clerk):
    special = Group.objects.create(name="Đặc biệt")
    special.permissions.set(Permission.objects.filter(codename="delete_user"))
    clerk.groups.add(special)
    client.force_login(sysadmin)
    url = reverse("admin:portal_user_change", args=[clerk.pk])
    assert f'value="{special.pk}"' not in client.get(url).content.decode().split('name="groups"')[1][:2000]
    role = roles.group_for(roles.CLERK)
    assert client.post(url, change_data(clerk, groups=[role.pk], phone="0912345678")).status_code == 302
    assert set(clerk.groups.all()) == {role, special}


def test_sysadmin_cannot_edit_or_delete_a_superuser(client, sysadmin, root):
    client.force_login(sysadmin)
    url = reverse("admin:portal_user_change", args=[root.pk])
    assert client.get(url).status_code == 200  # may look
    response = client.post(
        url, change_data(root, is_superuser="on", username="root2", email="x@evil.example")
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.username == "root"
    assert (
        client.post(reverse("admin:portal_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    )
    assert User.objects.filter(pk=root.pk).exists()


def test_sysadmin_cannot_set_a_superusers_password(client, sysadmin, root):
    client.force_login(sysadmin)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(url, {"password1": "Chiem-quyen-2025!", "password2": "Chiem-quyen-2025!"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_sysadmin_cannot_change_a_roles_permissions(client, sysadmin):
    group = roles.group_for(roles.SYSADMIN)
    before = set(group.permissions.values_list("pk", flat=True))
    client.force_login(sysadmin)
    client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_a_superuser_still_manages_superusers(client, root, clerk):
    client.force_login(root)
    url = reverse("admin:portal_user_change", args=[clerk.pk])
    assert client.post(url, change_data(clerk, is_superuser="on")).status_code == 302
    clerk.refresh_from_db()
    assert clerk.is_superuser
