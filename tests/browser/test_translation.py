"""End to end in Chromium: a parent in English taps "Translate" on a message and sees the machine translation
below the original (htmx, the LibreTranslate test double); "Lees voor" appears only where the browser has
speechSynthesis (docs/translation.md)."""

import pytest

from apps.audit.log import Actor
from apps.messaging import services as messaging
from apps.organisations.models import Role
from tests.browser.conftest import login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, circle_member, staff
from tests.translation.libretranslate import libretranslate  # noqa: F401 - the LibreTranslate test double

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    group = GroupFactory(name="Groep 5")
    child = ChildFactory(first_name="Noor", last_name="Peters", group=group, school=group.school)
    # She has not chosen a language for her account: the page follows her browser's choice (docs/languages.md).
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters", language="")).user
    teacher = staff(Role.TEACHER, school=child.school, groups=[group], user=UserFactory(is_demo=True))
    circle_member(child, teacher, role="leerkracht", school=child.school)
    thread = messaging.create_thread(Actor(teacher), child, "basic", "Gym", "Neem <i>gymschoenen</i> mee.")
    announcement = messaging.publish_announcement(
        teacher, school=child.school, group=group, title="Schoolreis", body="Dinsdag gaan we naar het bos."
    )
    return {"mother": mother, "thread": thread, "announcement": announcement}


@pytest.mark.usefixtures("libretranslate")
def test_translate_button_shows_the_translation_below_the_original(new_page, live_server, world):
    page = new_page()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(page, live_server, world["mother"])
    page.goto(f"{live_server.url}/berichten/gesprek/{world['thread'].pk}/")
    page.get_by_role("link", name="Translate").last.click()
    block = page.locator(f"#vertaling-m{world['thread'].messages.get().pk}")
    block.get_by_text("[en] Neem <i>gymschoenen</i> mee.").wait_for()  # escaped: shown as characters
    assert "machine translation" in block.inner_text()
    assert page.get_by_text("Neem <i>gymschoenen</i> mee.", exact=True).is_visible()  # the original stays
    assert page.url.endswith(f"/berichten/gesprek/{world['thread'].pk}/")  # no navigation: htmx swapped it in


def test_read_aloud_only_with_speech_synthesis(new_page, live_server, world):
    url = f"{live_server.url}/berichten/mededelingen/{world['announcement'].pk}/"
    page = new_page()
    login(page, live_server, world["mother"])
    page.goto(url)
    if page.evaluate("'speechSynthesis' in window"):
        page.get_by_role("button", name="Lees voor").wait_for(state="visible")
    without = new_page()
    without.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
    login(without, live_server, world["mother"])
    without.goto(url)
    assert without.evaluate("'speechSynthesis' in window") is False
    assert without.locator("button[data-read-aloud]").is_hidden()
