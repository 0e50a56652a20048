"""Browser tests: Playwright driving Debian's Chromium against a live server, with an axe-core scan.

Never downloads a browser: `make test` installs Debian's chromium and axe-core from the npm registry.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "geheim-wachtwoord-123"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def _fresh_caches(transactional_db):
    """Browser tests commit for real, and the flush between them leaves the cache table alone: without this,
    the log-in counts of earlier tests (all from 127.0.0.1) would throttle the log-ins of later ones."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, settings):
    """Open a fresh browser context (own cookies); call it once per person in the test."""
    settings.DEMO_SKIP_TWO_FACTOR = True  # professionals in browser tests are marked is_demo
    contexts = []

    def _open(service_workers: str = "block"):
        # The service worker is tested on its own (test_webapp.py). Elsewhere it is blocked: its install
        # fetches would race the database flush after a test (the live server shares SQLite's connection).
        context = browser.new_context(
            bypass_csp=True, locale="nl-NL", service_workers=service_workers
        )  # bypass only so axe can be injected
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _open
    for context in contexts:
        context.close()


def follow(page, target, *, key: str | None = None):
    """Click a link or submit button (or press `key` on it) and return once the page it leads to has loaded.

    A bare click returns as soon as the navigation starts: reading the page right after it races the
    server and, on a busy machine, reads an empty or the previous document.
    """
    with page.expect_navigation(wait_until="load"):
        if isinstance(target, str):
            page.press(target, key) if key else page.click(target)
        else:
            target.press(key) if key else target.click()


def login(page, live_server, user, password: str = PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    follow(page, "button[type=submit]")


def logout(page, live_server):
    page.goto(f"{live_server.url}/")
    follow(page, "text=Uitloggen")


def assert_accessible(page):
    """axe-core: no serious or critical violation on the current page."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(bad)
