"""The groeidocument in a real browser: the IB'er starts it and writes the school's part, the parents fill
in their part on a phone and choose what goes with the request, and the IB'er exports it (JSON and PDF)."""

import json
from pathlib import Path

import pytest

from tests.browser.conftest import PASSWORD, assert_accessible, follow, login
from tests.opp.conftest import family  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def opened(new_page):
    """A page with a longer time-out: the machine that runs the suite is shared and often busy."""
    page = new_page()
    page.set_default_timeout(60_000)
    return page


def submit(page, form: str, label: str):
    follow(page, f"form:has(input[name=form][value={form}]) button:has-text('{label}')")


def test_parents_fill_their_part_on_a_phone_and_the_ib_exports(live_server, new_page, family):  # noqa: F811
    child = family["child"]
    ib = opened(new_page)
    login(ib, live_server, family["ib"])
    ib.goto(f"{live_server.url}/plan/kind/{child.pk}/groeidocument/")
    ib.select_option("select[name=request_kind]", "arrangement")
    follow(ib, "button:has-text('Groeidocument starten')")
    ib.wait_for_selector("text=Het groeidocument is gestart.")
    doc_url = ib.url
    ib.click("summary:has-text('Het deel van de school bewerken')")
    ib.fill("textarea[name=school_question]", "Welke hulp bij rekenen past bij Noor?")
    submit(ib, "school", "Opslaan")
    ib.wait_for_selector("text=Het deel van de school is opgeslagen.")

    for parent, categories in (("mother", ["support", "health"]), ("other", ["support"])):
        phone = opened(new_page)
        phone.set_viewport_size(PHONE)
        login(phone, live_server, family[parent])
        phone.goto(doc_url)
        assert "Welke hulp bij rekenen past bij Noor?" in phone.inner_text("#school")
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        if parent == "mother":
            phone.fill("textarea[name=parents_view]", "Thuis is Noor na school erg moe.")
            phone.fill("textarea[name=parents_question]", "Kan ze minder huiswerk krijgen?")
            submit(phone, "parents", "Ons deel opslaan")
            phone.wait_for_selector("text=Uw deel staat in het groeidocument.")
            assert_accessible(phone)
        for value in categories:
            phone.check(f"input[name=categories][value={value}]")
        submit(phone, "consent", "Mijn keuze opslaan")
        phone.wait_for_selector("text=Dank u. Uw keuze is vastgelegd.")
    phone.wait_for_selector("text=Alle ouders met gezag hebben gekozen.")

    # Exporting asks for the password again when the log-in is older than a few minutes (SEC-10).
    ib.goto(f"{live_server.url}/accounts/reauthenticate/?next={doc_url.removeprefix(live_server.url)}")
    ib.fill("input[name=password]", PASSWORD)
    follow(ib, "form:has(input[name=password]) button[type=submit]")
    ib.goto(doc_url)
    assert "Thuis is Noor na school erg moe." in ib.inner_text("#ouders")
    assert_accessible(ib)
    with ib.expect_download() as download:
        ib.click("text=Aanvraag als JSON")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["parents_part"]["parents_question"] == "Kan ze minder huiswerk krijgen?"
    assert data["consent"]["categories"] == ["support"] and "health" not in data
    pdf = ib.request.get(f"{doc_url}pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
