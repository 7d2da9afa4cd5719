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


@pytest.fixture(autouse=True)
def _no_csp_violations(page):
    """Every journey runs under the Content Security Policy: anything it blocks fails the test."""
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert blocked == [], "the Content Security Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def axe_violations():
    def run(page):
        if not AXE.exists():
            pytest.fail(f"axe-core missing at {AXE}: run `npm ci`")
        # Evaluated through the DevTools protocol: a <script> tag would be (rightly) blocked
        # by the page's Content Security Policy.
        page.evaluate(AXE.read_text() + "\n;undefined")
        return page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )

    return run
