"""Real-browser journeys: pytest-playwright driving Debian's Chromium.

A missing browser fails the run; it never skips (CI checks no browser test
is skipped).
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's sync API runs a loop

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/browser-deps (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(autouse=True)
def _kernel_data(transactional_db):
    """Live-server tests flush the database between tests: restore kernel data."""
    from portal import calendar_data
    from portal.models import CalendarDay
    from portal.roles import ensure_roles

    ensure_roles()
    calendar_data.load(CalendarDay)


@pytest.fixture(autouse=True)
def _portal_base_url(live_server, settings):
    """Absolute links (payment callbacks, QR codes) name PORTAL_BASE_URL: here, the live server."""
    settings.PORTAL_BASE_URL = live_server.url


@pytest.fixture
def axe_violations():
    def run(page):
        if not AXE.exists():
            pytest.fail(f"axe-core missing at {AXE}: run `npm ci`")
        page.add_script_tag(path=str(AXE))
        return page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )

    return run
