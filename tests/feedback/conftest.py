import pytest

from tests.feedback.factories import Setup


@pytest.fixture
def fb(db, settings):
    from portal import ratelimit

    ratelimit.clear("feedback")
    return Setup()
