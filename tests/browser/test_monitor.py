"""A partnership-monitor wave from invitation to chart (issue 14): the IB'er starts a wave for groep 5, a parent
on a phone opens the invitation from the notifications and answers (with the "lees voor" buttons there),
five parents in all answer, and the IB'er sees the chart with the numbers beside it and makes an action of
the weakest key. axe-core on every page."""

import pytest

from apps.meetings.models import ActionItem
from apps.monitor import services
from apps.monitor.models import ChildCode, Participant, Response, Wave
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login, logout
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_wave_from_invitation_to_chart(live_server, new_page):
    # The knowledge base ships through a data migration; an earlier browser test's flush emptied it.
    from django.apps import apps as django_apps

    from apps.knowledge import content

    models = ("Key", "Intervention", "Recommendation", "RecommendationIntervention")
    content.load(*(django_apps.get_model("knowledge", name) for name in models))
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 5", year_level=5)
    parents = [
        GuardianshipFactory(child=ChildFactory(group=group), user=UserFactory(full_name=f"Ouder {i}")).user
        for i in range(6)
    ]
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))

    page = new_page()
    login(page, live_server, ib)
    follow(page, "nav >> text=Peiling samenwerking")
    assert_accessible(page)
    follow(page, "text=Nieuwe peiling starten")
    assert_accessible(page)
    page.fill("input[name=title]", "Peiling najaar")
    page.uncheck("input[name=perspectives][value=professional]")
    page.check(f"input[name=groups][value='{group.pk}']")
    follow(page, "button:has-text('Peiling starten en uitnodigen')")
    assert "De peiling is gestart" in page.content()
    assert "Deze peiling heeft 0 antwoorden" in page.content()
    assert_accessible(page)
    wave = Wave.objects.get()
    assert Participant.objects.filter(wave=wave, perspective="parent").count() == 6
    assert ChildCode.objects.filter(wave=wave).count() == 6
    logout(page, live_server)

    phone = new_page()
    phone.set_viewport_size(PHONE)
    login(phone, live_server, parents[0])
    phone.goto(f"{live_server.url}/meldingen/")
    follow(phone, "text=De Wegwijzer vraagt uw mening")
    assert phone.locator("button:has-text('Lees voor')").count() == 10
    assert_accessible(phone)
    for i in range(1, 11):
        phone.check(f"input[name=p{i}][value='{2 if i == 2 else 4}']")
    follow(phone, "button:has-text('Antwoorden versturen')")
    assert "Uw antwoorden zijn opgeslagen, zonder uw naam." in phone.content()
    assert_accessible(phone)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], "no sideways scrolling on a phone"

    child = new_page()  # a child on a school tablet, no account: the one-time code from the slip
    child.set_viewport_size(PHONE)
    code = ChildCode.objects.filter(wave=wave).first().code
    child.goto(f"{live_server.url}/peiling/kind/")
    assert_accessible(child)
    child.fill("input[name=code]", code.lower())
    follow(child, "button:has-text('Beginnen')")
    assert "Hoe gaat het op school?" in child.content()
    assert child.locator("button:has-text('Lees voor')").count() == 10  # the introduction and nine questions
    assert_accessible(child)
    child.check("input[name=k1][value='5']")
    child.check("input[name=k4][value='4']")
    follow(child, "button:has-text('Klaar, versturen')")
    assert "Dank je wel!" in child.content()
    assert ChildCode.objects.get(code=code).used

    for parent in parents[1:5]:
        services.submit(wave, parent, {**{f"p{i}": "4" for i in range(1, 11)}, "p2": "2"})
    assert Response.objects.filter(wave=wave, perspective="parent").count() == 5

    login(page, live_server, ib)
    page.goto(f"{live_server.url}/peiling/{wave.pk}/")
    chart = page.locator("svg.chart[role=img]")
    assert chart.count() == 1
    table = page.locator("table:has(caption:has-text('De cijfers van de grafiek'))")
    assert "2,0" in table.locator("tr:has-text('korte lijntjes')").inner_text()
    assert "8.1 Investeer in de relatie" in page.content()
    assert_accessible(page)
    follow(page, "li:has-text('korte lijntjes') >> button:has-text('Maak hier een actie van')")
    assert "De actie staat op het actiebord van de school." in page.content()
    assert_accessible(page)
    action = ActionItem.objects.get()
    assert [p.name for p in action.principles.all()] == ["korte lijntjes"]
