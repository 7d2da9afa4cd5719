import pytest

from tests.factories import PASSWORD, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Per-process caches (calendar, site profile, counts) must not outlive a test's rolled-back rows."""
    from django.core.cache import cache

    from portal import models, workdays

    workdays.clear_cache()
    models._site_profile_cache.clear()
    cache.clear()
    yield
    workdays.clear_cache()
    models._site_profile_cache.clear()
    cache.clear()


@pytest.fixture
def city(db):
    return UnitFactory(code="CITY", name="UBND thành phố", committee=True)


@pytest.fixture
def ward_a(city):
    return UnitFactory(code="WA", name="Phường A", ward=True, parent=city)


@pytest.fixture
def ward_b(city):
    return UnitFactory(code="WB", name="Phường B", ward=True, parent=city)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    def make(unit=None, role=None, **kwargs):
        if unit is None and not kwargs.get("citizen"):
            unit = UnitFactory()
        return UserFactory(unit=unit, role=role, **kwargs)

    return make


@pytest.fixture
def cast(db):
    from tests.onestop.factories import Cast

    return Cast()
