"""End to end: a guardian reads the step plan and asks a question, the IB'er acknowledges it and the guardian
sees the status change; a teacher posts good news in a child's thread and the balance updates; a CJG worker
without consent cannot open the thread. axe-core on every page."""

import pytest

from apps.audit.log import Actor
from apps.helpguide.models import HelpGuide, Step, Topic
from apps.messaging import services as messaging
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    group = GroupFactory(name="Groep 5")
    child = ChildFactory(first_name="Noor", last_name="Peters", group=group, school=group.school)
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    ib = staff(Role.IB, school=child.school, user=UserFactory(full_name="Marieke Jansen", is_demo=True))
    teacher = staff(
        Role.TEACHER, school=child.school, groups=[group], user=UserFactory(full_name="Ingrid Smit", is_demo=True)
    )
    circle_member(child, teacher, role="leerkracht", school=child.school)
    circle_member(child, ib, role="IB'er", school=child.school, coordinator=True)
    cjg = CareOrganisationFactory(name="CJG Rivierstad")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(full_name="Maria de Vries", is_demo=True))
    circle_member(child, worker, organisation=cjg)
    guide = HelpGuide.objects.create(school=child.school, intro="Wij willen graag contact met u.")
    Step.objects.create(
        guide=guide,
        order=1,
        title="Praat met de leerkracht",
        role="leerkracht",
        how_to_reach="Na schooltijd bij de deur",
        what_next="Samen kijkt u wat uw kind nodig heeft.",
    )
    Step.objects.create(guide=guide, order=2, title="Praat met de IB'er", role="IB'er", person_name="Marieke Jansen")
    Topic.objects.create(guide=guide, name="Opvoeden en thuis", order=1)  # routed to the IB'er
    return {"child": child, "mother": mother, "ib": ib, "teacher": teacher, "worker": worker}


def test_guardian_asks_a_question_and_sees_it_picked_up(live_server, new_page, world):
    w = world
    mum = new_page()
    login(mum, live_server, w["mother"])
    follow(mum, "nav >> text=Hulpwijzer")
    assert "Praat met de leerkracht" in mum.locator("#steps").inner_text()
    assert_accessible(mum)
    follow(mum, "text=Uitleg voor kinderen")
    assert_accessible(mum)
    mum.goto(f"{live_server.url}/hulpwijzer/")
    follow(mum, "a:has-text('Stel een vraag')")
    assert_accessible(mum)
    mum.select_option("select[name=topic]", label="Opvoeden en thuis")
    mum.fill("textarea[name=text]", "Noor slaapt slecht sinds de verhuizing. Bij wie kan ik terecht?")
    mum.check("input[name=preferred_contact][value=telefoon]")
    follow(mum, "button:has-text('Vraag versturen')")
    assert "ontvangen" in mum.locator("#my-questions").inner_text()
    assert_accessible(mum)

    ib = new_page()
    login(ib, live_server, w["ib"])
    ib.goto(f"{live_server.url}/hulpwijzer/vragen/")
    assert_accessible(ib)
    follow(ib, "text=Opvoeden en thuis")
    assert "Noor slaapt slecht" in ib.content()
    assert_accessible(ib)
    follow(ib, "button:has-text('Ik pak dit op')")
    assert "opgepakt" in ib.locator("#status").inner_text()

    mum.reload()
    status = mum.locator("#my-questions").inner_text()
    assert "opgepakt" in status and "Marieke Jansen" in status


def test_teacher_posts_good_news_and_balance_updates(live_server, new_page, world):
    w = world
    messaging.create_thread(Actor(w["ib"]), w["child"], "basic", "Huiswerk", "Het huiswerk lukt nog niet goed.", "zorg")
    teacher = new_page()
    login(teacher, live_server, w["teacher"])
    teacher.goto(f"{live_server.url}/berichten/balans/")
    assert "Deel ook eens iets positiefs" in teacher.content()
    assert_accessible(teacher)
    teacher.goto(f"{live_server.url}/kinderen/{w['child'].pk}/")
    follow(teacher, "#child-sections >> text=Berichten")
    assert teacher.locator("#positive-prompt").count() == 1
    assert_accessible(teacher)
    follow(teacher, "text=Huiswerk")
    teacher.fill("textarea[name=body]", "Noor hielp vandaag een klasgenoot met rekenen. Top!")
    teacher.check("input[name=tag][value=positief]")
    follow(teacher, "button:has-text('Versturen')")
    assert "Uw bericht is verstuurd." in teacher.content()
    assert "Noor hielp vandaag een klasgenoot" in teacher.locator("#messages").inner_text()
    assert_accessible(teacher)
    teacher.goto(f"{live_server.url}/berichten/balans/")
    assert "1 positief, 1 zorg" in teacher.locator("#class-balance").inner_text()
    assert "Deel ook eens iets positiefs" not in teacher.content()


def test_cjg_worker_without_consent_cannot_open_the_thread(live_server, new_page, world):
    w = world
    thread = messaging.create_thread(Actor(w["teacher"]), w["child"], "basic", "Goed nieuws", "Prachtige tekening!")
    cjg = new_page()
    login(cjg, live_server, w["worker"])
    cjg.goto(f"{live_server.url}/berichten/")
    assert "Goed nieuws" not in cjg.content()
    assert_accessible(cjg)
    response = cjg.goto(f"{live_server.url}/berichten/gesprek/{thread.pk}/")
    assert response.status == 403
    assert "Prachtige tekening" not in cjg.content()
    assert_accessible(cjg)


def test_announcement_with_read_confirmation(live_server, new_page, world):
    w = world
    ib = new_page()
    login(ib, live_server, w["ib"])
    ib.goto(f"{live_server.url}/berichten/mededelingen/nieuw/")
    assert_accessible(ib)
    ib.fill("input[name=title]", "Studiedag vrijdag")
    ib.fill("textarea[name=body]", "Vrijdag zijn alle kinderen vrij.")
    ib.check("input[name=requires_confirmation]")
    follow(ib, "button:has-text('Plaatsen')")
    assert "De mededeling is geplaatst." in ib.content()
    assert_accessible(ib)

    mum = new_page()
    login(mum, live_server, w["mother"])
    mum.goto(f"{live_server.url}/berichten/mededelingen/")
    assert "graag bevestigen" in mum.content()
    follow(mum, "text=Studiedag vrijdag")
    assert_accessible(mum)
    follow(mum, "button:has-text('Ik heb dit gelezen')")
    assert "U heeft bevestigd dat u dit gelezen heeft." in mum.content()
    assert_accessible(mum)
