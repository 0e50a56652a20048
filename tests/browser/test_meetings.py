"""End to end (issue 6): build a parent evening from the seed-004 template, invite a class, RSVPs come
in, divide 23 parents and 9 staff over 4 tables, record outcomes, create an action, and a guardian sees
it on the "jullie zeiden, wij deden" page. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import Invitation, Meeting
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_meeting_from_template_to_you_said_we_did(live_server, new_page):
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 5", year_level=5)
    guardians = [
        GuardianshipFactory(child=ChildFactory(group=group), user=UserFactory(full_name=f"Ouder {i:02d}")).user
        for i in range(23)
    ]
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True, full_name="Ellen Bakker"))
    for i in range(7):
        staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True, full_name=f"Leerkracht {i}"))

    page = new_page()
    login(page, live_server, ib)
    follow(page, "nav >> text=Bijeenkomsten")
    assert_accessible(page)
    follow(page, "text=Nieuwe bijeenkomst")
    assert_accessible(page)
    starts = timezone.localtime() + timedelta(days=14)
    page.select_option("select[name=kind]", "parent_evening")
    page.fill("input[name=title]", "Ouderavond partnerschap")
    page.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT19:00"))
    page.fill("input[name=rsvp_deadline]", (starts - timedelta(days=2)).strftime("%Y-%m-%dT12:00"))
    page.fill("input[name=location]", "Aula")
    follow(page, "button:has-text('Aanmaken')")
    assert "De bijeenkomst is aangemaakt." in page.content()
    assert "135 minuten (19:00–21:15)" in page.locator("#agenda-total").inner_text()
    assert_accessible(page)
    page.select_option("#team-user", label="Ellen Bakker")
    follow(page, "button:has-text('Toevoegen aan actieteam')")
    assert "Ellen Bakker" in page.locator("#action-team").inner_text()
    meeting = Meeting.objects.get()

    # An overlapping agenda item is refused in Dutch.
    page.click("summary:has-text('Agendapunt toevoegen')")
    page.fill("input[name=start]", "19:10")
    page.fill("input[name=duration]", "10")
    page.fill("input[name=topic]", "Dubbel punt")
    follow(page, "form[action$='/agenda/'] button")
    assert "overlapt met" in page.locator(".messages").inner_text()

    for title in ("Korte lijntjes", "Mét het kind"):
        page.click("summary:has-text('Thema toevoegen')")
        page.fill("input[name=title]", title)
        follow(page, "form[action$='/themas/'] button")

    page.select_option("select[name=audience]", "class")
    page.select_option("select[name=group]", label="Groep 5")
    follow(page, "button:has-text('Uitnodigen')")
    assert "23 nieuwe uitnodiging(en) verstuurd." in page.content()
    page.select_option("select[name=audience]", "staff")
    follow(page, "button:has-text('Uitnodigen')")
    assert "9 nieuwe uitnodiging(en) verstuurd." in page.content()

    # The RSVPs come in: one parent through the page, the others through the same service.
    parent_page = new_page()
    login(parent_page, live_server, guardians[0])
    parent_page.goto(f"{live_server.url}/bijeenkomsten/{meeting.pk}/aanmelden/")
    assert "Beste Ouder 00" in parent_page.content()
    assert_accessible(parent_page)
    parent_page.check("input[name=reply][value=yes]")
    follow(parent_page, "button:has-text('Antwoord versturen')")
    assert "uw antwoord is opgeslagen" in parent_page.content()
    for invitation in Invitation.objects.filter(meeting=meeting, reply="pending"):
        services.respond(invitation, "yes")

    page.reload()
    assert "32 komen, 0 komen niet, 0 nog geen antwoord" in page.locator("#rsvp-counts").inner_text()
    staff_invitations = Invitation.objects.filter(meeting=meeting, kind="staff").order_by("pk")[:4]
    for invitation in staff_invitations:
        page.check(f"#leader-{invitation.pk}")
    follow(page, "form[action$='/aanwezigheid/'] button")
    assert "gespreksleiders zijn opgeslagen" in page.content()

    # Five tables but four leaders: refused in Dutch; then four tables.
    page.fill("input[name=n_groups]", "5")
    follow(page, "button:has-text('Verdeel over de tafels')")
    assert "meer groepen (5) dan gespreksleiders (4)" in page.locator(".messages").inner_text()
    page.fill("input[name=n_groups]", "4")
    follow(page, "button:has-text('Verdeel over de tafels')")
    explanations = page.locator(".meeting-table .explanation").all_inner_texts()
    assert len(explanations) == 4
    assert all(("6 ouders" in e or "5 ouders" in e) and "gespreksleider" in e for e in explanations), explanations
    assert_accessible(page)

    follow(page, "a:has-text('Tafel 1')")
    assert_accessible(page)
    page.fill("textarea[name=text]", "Ouders willen ook goed nieuws horen, niet alleen als er iets mis is.")
    follow(page, "button:has-text('Opbrengst toevoegen')")
    follow(page, "text=Maak hier een actie van")
    assert_accessible(page)
    page.fill("input[name=title]", "Elke week een positief bericht via de app")
    page.fill("input[name=principles]", "korte lijntjes, mét het kind")
    follow(page, "button:has-text('Actie aanmaken')")
    assert "De actie is aangemaakt." in page.content()
    page.fill("textarea[name=text]", "Groep 5 begint deze week.")
    page.select_option("select[name=status]", "started")
    follow(page, "button:has-text('Voortgang opslaan')")
    assert "Groep 5 begint deze week." in page.content()
    assert_accessible(page)

    # A guardian follows it on the "jullie zeiden, wij deden" page.
    parent_page.goto(f"{live_server.url}/bijeenkomsten/")
    follow(parent_page, "main >> text=De Wegwijzer")
    main = parent_page.locator("main").inner_text()
    assert "Jullie zeiden, wij deden" in main
    assert "Ouders willen ook goed nieuws horen" in main
    assert "Elke week een positief bericht via de app" in main and "in gang gezet" in main
    assert "Groep 5 begint deze week." in main and "korte lijntjes" in main
    assert_accessible(parent_page)
