"""Issue 15 in a real browser: the main pages per role at 360, 768 and 1280 pixels wide.

Each page: no sideways scrolling, no serious or critical axe-core violation, a screenshot kept under
test-results/screenshots/ (scripts/readme_screenshots.py copies the phone ones into docs/screenshots/).
Bad input on purpose: a 60-character surname and one guardian with 20 children. Keyboard: every visible
interactive element is reached with Tab. Dark mode from the system setting passes axe too. The phone's
"Meer" sheet opens without JavaScript and holds log-out and the language choice.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.log import Actor
from apps.circles.models import Guardianship
from apps.messaging import services as messaging
from apps.organisations.models import Role
from apps.plans.models import Agreement
from apps.timeline.models import Kind
from apps.timeline.services import add_entry
from tests.browser.conftest import assert_accessible, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, circle_member, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 768, 1280)
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
LONG_SURNAME = "Van Oldenbarnevelt-Wassenaer tot Boetzelaer-Hohenzollernberg"  # 60 characters


@pytest.fixture
def school_world(db):
    assert len(LONG_SURNAME) == 60
    group = GroupFactory(name="Groep 5")
    school = group.school
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Inge de Boer"))
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True, full_name="Tom Visser"))
    mother = UserFactory(is_demo=True, full_name=f"Sanne {LONG_SURNAME}")
    child = ChildFactory(group=group, school=school, first_name="Noor", last_name=LONG_SURNAME)
    GuardianshipFactory(child=child, user=mother, relation=Guardianship.Relation.MOTHER)
    circle_member(child, ib, "IB'er", school=school, coordinator=True)
    circle_member(child, teacher, "leerkracht", school=school)
    today = timezone.localdate()
    add_entry(Actor(ib, "web"), child, kind=Kind.STRENGTH, happened_on=today, text="Leest graag voor in de klas")
    add_entry(
        Actor(mother, "web"), child, kind=Kind.LIFE_EVENT, happened_on=today - timedelta(days=30), text="Verhuisd"
    )
    Agreement.objects.create(
        child=child, what="Elke avond samen lezen", owner=mother, due=today + timedelta(days=14), created_by=ib
    )
    thread = messaging.create_thread(Actor(ib, "web"), child, "basic", "Welkom in groep 5", "Fijn dat Noor er is.")
    # One guardian with 20 children (a foster family): the home page and the menu still fit on a phone.
    foster = UserFactory(is_demo=True, full_name="Pleeggezin de Vries")
    for i in range(20):
        GuardianshipFactory(
            child=ChildFactory(group=group, school=school, first_name=f"Kind{i:02d}", last_name=LONG_SURNAME),
            user=foster,
            relation=Guardianship.Relation.FOSTER,
        )
    return dict(ib=ib, teacher=teacher, mother=mother, foster=foster, child=child, thread=thread, group=group)


def _check(page, live_server, path: str, name: str):
    """Visit `path` at every width: no overflow, axe clean, one screenshot per width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        assert_accessible(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == WIDTHS[0]:  # what a phone shows at first, with the tab bar: for the README
            page.screenshot(path=str(SHOTS / f"{name}-{width}-screen.png"))


def _tab_reaches_everything(page):
    """Press Tab through the page: every visible link, button, field and summary gets the focus once."""
    total = page.evaluate(
        """() => {
        const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
        const all = [...document.querySelectorAll(sel)].filter(el => el.tabIndex >= 0 && !el.disabled
          && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
        all.forEach((el, i) => el.dataset.kbd = i);
        return all.length;
    }"""
    )
    assert total > 5
    seen = set()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(total + 10):
        page.keyboard.press("Tab")
        index = page.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
        if index is not None:
            seen.add(int(index))
    missing = set(range(total)) - seen
    assert not missing, page.evaluate(
        "(m) => m.map(i => document.querySelector(`[data-kbd='${i}']`).outerHTML.slice(0, 120))", sorted(missing)
    )


def test_parent_pages_on_phone_tablet_and_desktop(live_server, new_page, school_world):
    w = school_world
    child = w["child"]
    page = new_page()
    login(page, live_server, w["mother"])
    pages = [
        ("/", "parent-home"),
        (reverse("circles:detail", args=[child.pk]), "parent-child"),
        (reverse("timeline:child", args=[child.pk]), "parent-timeline"),
        (reverse("plans:child", args=[child.pk]), "parent-plan"),
        (reverse("messaging:inbox"), "parent-messages"),
        (reverse("helpguide:guide"), "parent-helpguide"),
    ]
    for path, name in pages:
        _check(page, live_server, path, name)

    # The phone: four tabs at the bottom, "Meer" opens a sheet with log-out and the language choice.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/")
    tabs = page.locator(".appnav__tabs > li > a.appnav__link")
    assert tabs.count() == 4
    box = page.locator(".appnav").bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=2)  # fixed to the bottom of the screen
    assert not page.locator("text=Uitloggen").is_visible()
    page.click(".appnav__more > summary")
    assert page.locator(".appnav__sheet button:has-text('Uitloggen')").is_visible()
    assert page.locator("#nav-language").is_visible()
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "parent-more-360-screen.png"))
    _tab_reaches_everything(page)

    # Dark mode from the system setting: still no serious contrast problem.
    page.emulate_media(color_scheme="dark")
    for path, name in pages[:2]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 29)"
        assert_accessible(page)
        page.screenshot(path=str(SHOTS / f"{name}-dark-360.png"), full_page=True)


def test_parent_with_twenty_children_and_pages_without_javascript(live_server, browser, new_page, school_world):
    w = school_world
    page = new_page()
    login(page, live_server, w["foster"])
    _check(page, live_server, "/", "foster-home")
    assert page.locator(".child-card").count() == 20

    # With the real Content-Security-Policy (no bypass): the design system needs no inline style or script.
    strict = browser.new_context(locale="nl-NL", service_workers="block")
    try:
        csp_page = strict.new_page()
        problems = []
        csp_page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        login(csp_page, live_server, w["foster"])
        csp_page.goto(
            f"{live_server.url}{reverse('circles:detail', args=[w['foster'].guardianships.first().child_id])}"
        )
        csp_page.wait_for_load_state("networkidle")
        assert not problems, problems
    finally:
        strict.close()

    # Without JavaScript the menu and the "Meer" sheet still work (a <details>), and so does log-out.
    context = browser.new_context(java_script_enabled=False, locale="nl-NL", service_workers="block")
    try:
        plain = context.new_page()
        plain.set_viewport_size({"width": 360, "height": 800})
        login(plain, live_server, w["foster"])
        assert plain.locator(".child-card").count() == 20
        plain.click(".appnav__more > summary")
        with plain.expect_navigation():
            plain.click(".appnav__sheet button:has-text('Uitloggen')")
        assert "/accounts/login/" in plain.url or "Inloggen" in plain.content()
    finally:
        context.close()


def test_teacher_and_ib_pages(live_server, new_page, school_world):
    w = school_world
    teacher = new_page()
    login(teacher, live_server, w["teacher"])
    _check(teacher, live_server, "/", "teacher-home")
    _check(teacher, live_server, reverse("attendance:register_index"), "teacher-register")
    keys = teacher.eval_on_selector_all(".appnav__tabs > li > a", "els => els.map(e => e.dataset.nav)")
    assert keys == ["class", "register", "messages", "conversations"]

    ib = new_page()
    login(ib, live_server, w["ib"])
    _check(ib, live_server, "/", "ib-home")
    keys = ib.eval_on_selector_all(".appnav__tabs > li > a", "els => els.map(e => e.dataset.nav)")
    assert keys == ["attention", "pupils", "signals", "messages"]
    # On a large screen everything is in the side navigation, "Meer" included, without opening anything.
    ib.set_viewport_size({"width": 1280, "height": 800})
    assert ib.locator(".appnav button:has-text('Uitloggen')").is_visible()
    assert ib.locator(".appnav a:has-text('Beveiliging')").is_visible()
