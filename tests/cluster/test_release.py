"""The release step: once per release, the demo data once per database (not per node's disk)."""

from __future__ import annotations

import pytest

from portal.management.commands import release
from portal.models import Heartbeat


@pytest.fixture
def commands(monkeypatch):
    calls = []
    monkeypatch.setattr(release, "call_command", lambda name, **kw: calls.append(name))
    return calls


def test_release_migrates_collects_and_seeds_the_demo_once_per_database(db, commands):
    release.Command().handle(demo=True, no_static=False, verbosity=0)
    assert commands == ["migrate", "collectstatic", "seed_demo"]
    assert Heartbeat.objects.filter(name=release.DEMO_MARKER).exists()
    commands.clear()
    release.Command().handle(demo=True, no_static=False, verbosity=0)  # a second node, or a restart
    assert commands == ["migrate", "collectstatic"]


def test_a_production_release_never_loads_the_demo(db, commands):
    release.Command().handle(demo=False, no_static=True, verbosity=0)
    assert commands == ["migrate"]
    assert not Heartbeat.objects.filter(name=release.DEMO_MARKER).exists()
