import pytest

from portal import roles


@pytest.fixture
def home_affairs(city, make_user):
    from tests.factories import UnitFactory

    office = UnitFactory(code="NV", name="Phòng Nội vụ", parent=city)
    return make_user(unit=office, role=roles.HOME_AFFAIRS, username="noivu")


@pytest.fixture
def officer_a(ward_a, make_user):
    return make_user(unit=ward_a, role=roles.PERSONNEL_OFFICER, username="tccb-a")


@pytest.fixture
def officer_b(ward_b, make_user):
    return make_user(unit=ward_b, role=roles.PERSONNEL_OFFICER, username="tccb-b")
