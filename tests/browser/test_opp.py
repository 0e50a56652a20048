"""The OPP in a real browser: the IB'er drafts it with the pupil's view, both parents read it on a phone and
consent, it becomes vastgesteld; a change asks again; the yearly evaluation appears as a conversation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.conversations.models import Conversation
from apps.plans.opp_models import HandelingsdeelVersion
from tests.browser.conftest import assert_accessible, follow, login
from tests.opp.conftest import family  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def submit(page, form: str, label: str):
    follow(page, f"form:has(input[name=form][value={form}]) button:has-text('{label}')")


def test_draft_consent_on_a_phone_change_asks_again(live_server, new_page, family):  # noqa: F811
    child = family["child"]
    url = f"{live_server.url}/plan/kind/{child.pk}/opp/"
    today = timezone.localdate()
    ib = new_page()
    login(ib, live_server, family["ib"])
    ib.goto(url)
    ib.fill("input[name=needed_since]", (today - timedelta(days=5)).isoformat())
    submit(ib, "start", "OPP starten")
    ib.wait_for_selector("text=Het OPP is gestart.")
    ib.click("summary:has-text('Perspectief en overleg bewerken')")
    ib.fill("input[name=outflow_destination]", "vmbo-kader")
    ib.fill("textarea[name=outflow_reasons]", "Sterk in praktisch werk, lezen gaat langzaam.")
    submit(ib, "perspective", "Opslaan")
    ib.fill("form:has(input[name=form][value=pupil_view]) textarea[name=text]", "Ik wil liever niet apart zitten.")
    submit(ib, "pupil_view", "Opslaan")
    ib.click("summary:has-text('Ondersteuning toevoegen')")
    ib.fill("input[name=what]", "RT begrijpend lezen")
    ib.fill("input[name=who]", "RT'er")
    ib.fill("input[name=how_often]", "2x per week")
    submit(ib, "line", "Toevoegen")
    submit(ib, "propose", "Voorleggen aan de ouders")
    ib.wait_for_selector("text=Versie 1 wacht op de instemming van de ouders.")
    assert "Ik wil liever niet apart zitten." in ib.inner_text("#perspectief ~ .opp-beside")
    assert_accessible(ib)

    for parent in ("mother", "other"):
        phone = new_page()
        phone.set_viewport_size(PHONE)
        login(phone, live_server, family[parent])
        phone.goto(url)
        assert "RT begrijpend lezen" in phone.inner_text("#handelingsdeel")
        assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        phone.check("input[name=answer][value=consent]")
        submit(phone, "answer", "Antwoord geven")
        phone.wait_for_selector("text=Dank u. Uw antwoord is vastgelegd.")
        if parent == "mother":
            assert_accessible(phone)
    phone.wait_for_selector("text=Vastgesteld: versie 1")
    assert HandelingsdeelVersion.objects.get(opp__child=child, number=1).established_at is not None

    ib.goto(url)
    ib.click("summary:has-text('Ondersteuning toevoegen')")
    ib.fill("input[name=what]", "Time-outplek in de klas")
    ib.fill("input[name=who]", "leerkracht")
    ib.fill("input[name=how_often]", "als het nodig is")
    submit(ib, "line", "Toevoegen")
    ib.wait_for_selector("text=De ouders moeten opnieuw instemmen")
    ib.fill("textarea[name=note]", "Een time-outplek erbij")
    submit(ib, "propose", "Voorleggen aan de ouders")
    ib.wait_for_selector("text=Versie 2 wacht op de instemming van de ouders.")
    ib.wait_for_selector("text=Tot dan geldt versie 1.")

    ib.click("summary:has-text('Evaluatie plannen')")
    ib.fill("input[name=starts_at]", (timezone.localtime() + timedelta(days=300)).strftime("%Y-%m-%dT10:00"))
    ib.fill("form:has(input[name=form][value=evaluation]) input[name=place]", "Spreekkamer")
    submit(ib, "evaluation", "Evaluatie plannen")
    ib.wait_for_selector("text=De evaluatie is gepland als gesprek.")
    conversation = Conversation.objects.get(child=child, kind="care")
    follow(ib, "a:has-text('Naar het gesprek')")
    assert f"/gesprekken/{conversation.pk}/" in ib.url or str(conversation.pk) in ib.url
