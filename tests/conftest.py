import pytest

from tests.factories import PASSWORD, UnitFactory, UserFactory


def _clear_caches():
    from django.core.cache import cache

    from portal import models, workdays

    workdays.clear_cache()
    models._site_profile_cache.bump()
    # The cache's own keys only (its prefix): cache.clear() would flush the
    # whole Redis database, Celery's queue and the rate limiter included.
    cache.delete_pattern("*")


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Caches (calendar, site profile, counts in Redis) must not outlive a test's rolled-back rows."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def client():
    """pytest-django's ``client``, whose ``force_login`` of staff also passes the second factor."""
    from tests.otp import Client

    return Client()


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
