"""SEC-09 in a real browser: the sessions page is reachable from "Beveiliging" and accessible."""

import pytest

from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import GuardianshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sessions_page_is_reachable_from_the_security_menu(live_server, new_page):
    mother = GuardianshipFactory().user
    page = new_page()
    login(page, live_server, mother)
    follow(page, "text=Beveiliging")
    follow(page, "text=Waar bent u ingelogd?")
    assert "Dit apparaat" in page.locator("#sessions").inner_text()
    assert_accessible(page)
