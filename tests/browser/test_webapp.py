"""End to end: Driehoek on a parent's phone as an installed web app (issue 15 item 4). The service worker
installs, an offline visit shows the offline page instead of an error, and the cache holds only static
files and that page, never a page with the child's data."""

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def test_offline_the_phone_shows_the_offline_page_and_keeps_no_child_data(live_server, new_page):
    child = ChildFactory(first_name="Noor")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    page = new_page(service_workers="allow")
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, live_server, mother)
    assert page.evaluate("async () => (await navigator.serviceWorker.ready).active !== null")
    page.reload()  # now the service worker controls the page
    page.goto(f"{live_server.url}/kinderen/{child.pk}/")
    assert "Noor" in page.content()

    cached = page.evaluate(CACHED_URLS)
    assert "/offline/" in cached
    assert all(url == "/offline/" or url.startswith("/static/") for url in cached), cached

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/kinderen/{child.pk}/")
    assert page.locator("h1").inner_text() == "Geen verbinding"
    assert "Noor" not in page.content() and "Sanne" not in page.content()
    assert_accessible(page)
    page.context.set_offline(False)
    page.evaluate(
        "async () => { for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister(); }"
    )
