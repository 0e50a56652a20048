"""End to end (issue 14, seed 000): the IB'er sets up the learning community "Dynamische Driehoek" with five
named parents and the team (director, IB'er, procesbegeleider, onderzoeker), plans its first session and invites
the members, enters the eight actions; two stall, one is stopped with a reason. A parent outside the community
sees all three on "jullie zeiden, wij deden" with their real state. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings.models import ActionItem, CommunityMember, LearningCommunity
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_seed_000_learning_community_shows_what_stalled_and_stopped(live_server, new_page):
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 6", year_level=6)
    parents = [
        GuardianshipFactory(child=ChildFactory(group=group), user=UserFactory(full_name=f"Ouder {name}")).user
        for name in ("Amal", "Bram", "Ceren", "Daan", "Ewa")
    ]
    outside = GuardianshipFactory(child=ChildFactory(group=group), user=UserFactory(full_name="Ouder Buiten")).user
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    director = staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True, full_name="Ellen Bakker"))
    facilitator = UserFactory(full_name="Paula Proces", email="paula@example.org")
    researcher = UserFactory(full_name="Ruben Onderzoek", email="ruben@example.org")

    page = new_page()
    login(page, live_server, ib)
    follow(page, "nav >> text=Bijeenkomsten")
    follow(page, "text=Leergemeenschappen van De Wegwijzer")
    assert_accessible(page)
    page.fill("input[name=name]", "Dynamische Driehoek")
    page.fill("textarea[name=goal]", "Het kind centraal, met de juiste afstemming tussen ouders, school en CJG.")
    follow(page, "button:has-text('Aanmaken')")
    assert "De leergemeenschap is aangemaakt." in page.content()

    def add(role, *, person=None, email=None):
        page.click("summary:has-text('Lid toevoegen')")
        if person:
            page.select_option("#member-add select[name=person]", label=person)
        if email:
            page.fill("#member-add input[name=email]", email)
        page.select_option("#member-add select[name=role]", role)
        follow(page, "#member-add button")
        assert "Het lid is toegevoegd." in page.content(), page.locator(".messages").inner_text()

    for parent in parents:
        add("parent", person=parent.full_name)
    add("director", person="Ellen Bakker")
    add("ib", person="Marieke Jansen")
    add("process_facilitator", email=facilitator.email)
    add("researcher", email=researcher.email)
    members = page.locator("#members").inner_text()
    assert "Paula Proces" in members and "procesbegeleider" in members and "onderzoeker" in members
    assert_accessible(page)

    # The first of eight sessions: an empty agenda says so; all members are invited once.
    page.click("summary:has-text('Bijeenkomst toevoegen')")
    starts = timezone.localtime() + timedelta(days=10)
    page.fill("#session-add input[name=starts_at]", starts.strftime("%Y-%m-%dT19:00"))
    page.fill("#session-add input[name=rsvp_deadline]", (starts - timedelta(days=2)).strftime("%Y-%m-%dT12:00"))
    follow(page, "#session-add button")
    assert "Bijeenkomst 1 van 8" in page.content()
    assert "Nog geen onderdelen." in page.locator("#agenda-total").inner_text()
    follow(page, "button:has-text('Alle leden van de leergemeenschap uitnodigen')")
    assert "9 nieuwe uitnodiging(en) verstuurd." in page.content()
    page.fill("#attendance-name", "Ouder")
    follow(page, "button:has-text('Filter')")
    assert page.locator("#attendance tbody tr").count() == 5
    assert_accessible(page)

    # Eight actions; two stall (no update for seven weeks), one is stopped with its reason.
    page.goto(f"{live_server.url}/bijeenkomsten/school/{school.pk}/acties/")
    follow(page, "button:has-text('Acties van de leergemeenschap importeren')")
    assert page.locator("tbody tr").count() == 8
    actions = list(ActionItem.objects.filter(school=school).order_by("number"))
    ActionItem.objects.filter(pk__in=[actions[0].pk, actions[1].pk]).update(
        last_activity_at=timezone.now() - timedelta(weeks=7)
    )
    follow(page, f"text={actions[2].title}")
    page.fill("textarea[name=text]", "Parro werkt niet voor ouders zonder smartphone; we stoppen hiermee.")
    page.select_option("select[name=status]", "stopped")
    follow(page, "button:has-text('Voortgang opslaan')")
    assert "gestopt" in page.locator("#action-state").inner_text()
    assert_accessible(page)

    # A parent outside the community sees all three with their real state.
    other = new_page()
    login(other, live_server, outside)
    other.goto(f"{live_server.url}/bijeenkomsten/school/{school.pk}/jullie-zeiden-wij-deden/")
    stalled = other.locator("li[data-state=stalled]")
    stopped = other.locator("li[data-state=stopped]")
    assert stalled.count() == 2 and stopped.count() == 1
    for i in range(2):
        text = stalled.nth(i).inner_text()
        assert "staat stil" in text and "Geen voortgang sinds" in text and "gepland" not in text
    assert actions[2].title in stopped.inner_text() and "zonder smartphone" in stopped.inner_text()
    assert "2 staat stil" in other.locator("#state-counts").inner_text()
    assert_accessible(other)
    assert CommunityMember.objects.filter(community=LearningCommunity.objects.get()).count() == 9
    assert not CommunityMember.objects.filter(user=outside).exists() and director.pk
