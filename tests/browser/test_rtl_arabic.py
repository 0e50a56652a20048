"""Issue 13 item 2 in a real browser: the main parent pages in Arabic on a 360 px phone.

Right to left on <html>, no horizontal overflow, axe-core without serious or critical violations, names
isolated in <bdi>, direction arrows mirrored; a screenshot of each page is kept under test-results/.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.timeline.models import Kind
from apps.timeline.services import add_entry
from tests.browser.conftest import assert_accessible, login
from tests.timeline.conftest import circle  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 360, "height": 740}
# For the failure message: the elements that stick out of the viewport.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.right > innerWidth + 1 || r.left < -1; })
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().left)
  + '..' + Math.round(el.getBoundingClientRect().right))"""


def test_main_parent_pages_in_arabic_on_a_phone(live_server, new_page, circle):  # noqa: F811
    child = circle.child
    circle.mother.language = "ar"
    circle.mother.save(update_fields=["language"])
    add_entry(
        Actor(circle.ib, "web"), child, kind=Kind.SUPPORT, happened_on=timezone.localdate() - timedelta(days=3),
        text="Start logopedie", category="support",
    )  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, live_server, circle.mother)
    pages = {
        "home": "/",
        "child": f"/kinderen/{child.pk}/",
        "plan": f"/plan/kind/{child.pk}/",
        "timeline": f"/tijdlijn/kind/{child.pk}/",
        "consent": f"/kinderen/{child.pk}/toestemming/",
        "log": f"/kinderen/{child.pk}/logboek/",
        "notifications": "/meldingen/",
        "glossary": "/woorden/",
        "language": "/taal/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.dir") == "rtl", name
        assert page.evaluate("document.documentElement.lang") == "ar", name
        page.screenshot(path=str(RESULTS / f"rtl-ar-{name}.png"), full_page=True)
        width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(WIDEST)
        assert width[0] <= width[1], f"{name}: horizontal overflow {width}, widest: {wide}"
        assert_accessible(page)

    # Names inside the text are isolated, and the back arrow of the plan points the reading way.
    page.goto(f"{live_server.url}/plan/kind/{child.pk}/")
    assert page.locator("h1 bdi").inner_text() == child.first_name
    arrow = page.locator(".icon-dir").first
    assert "matrix(-1" in arrow.evaluate("el => getComputedStyle(el).transform")
    page.goto(f"{live_server.url}/kinderen/{child.pk}/")
    assert page.locator("h1 bdi").inner_text() == child.full_name
    assert page.locator("a.term[href$='#ib-er']").count() >= 1  # the school word links to its explanation
