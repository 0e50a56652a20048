"""SEC-09/SEC-28 in a real browser: the sessions page, and log-out makes Chromium forget stored data."""

import pytest

from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import GuardianshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sessions_page_and_logout_clears_storage_but_keeps_cookies(live_server, new_page):
    mother = GuardianshipFactory().user
    page = new_page()
    login(page, live_server, mother)
    follow(page, "text=Beveiliging")
    follow(page, "text=Waar bent u ingelogd?")
    assert "Dit apparaat" in page.locator("#sessions").inner_text()
    assert_accessible(page)

    page.evaluate("() => localStorage.setItem('concept', 'notitie over het kind')")
    page.select_option("select#lang", "en")
    follow(page, "footer button[type=submit]")
    follow(page, "nav form button[type=submit]")  # log out
    assert page.evaluate("() => localStorage.getItem('concept')") is None  # Clear-Site-Data: "storage"
    # Cookies are left alone: the language choice and the "signed out" message survive the log-out.
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Logged out. Goodbye!" in page.locator("main").inner_text()
    login(page, live_server, mother)  # and the next log-in passes the CSRF check
    assert page.url.rstrip("/") == live_server.url, page.locator("main").inner_text()
