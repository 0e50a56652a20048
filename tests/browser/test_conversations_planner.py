"""Browser: a start-of-year round from opening to feedback, with the child at the table.

The teacher opens slots for a class; two guardians book (one with a sibling in another class gets the
adjacent slot); the child (12, own account) fills in its preparation; the teacher records an outcome
that lands in the plan and sends feedback, which reaches the guardian. axe-core on every page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.conversations.models import Conversation
from apps.planner import services as planner
from apps.planner.models import Booking, Round
from apps.plans.models import Agreement
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import UserFactory, years_ago
from tests.planner.factories import evening, family_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_of_year_round_end_to_end(live_server, new_page, mailoutbox):
    world = family_school()
    parent_a, parent_b = world["guardians"][0], world["guardians"][1]
    noor, pupil_b, sibling = world["children"][0], world["children"][1], world["sibling"]
    # Pupil B is 12 and has an account of her own, so she fills in her own preparation.
    pupil_b.user = UserFactory()
    pupil_b.date_of_birth = years_ago(12, days=20)
    pupil_b.save()
    # The sibling's class already has slots (opened by its own teacher).
    planner.open_round(world["t3"], world["g3"], purpose="Kennismaken groep 3", windows=[evening(10)])

    # 1. The teacher opens two evenings of 15-minute slots for groep 5.
    teacher = new_page()
    login(teacher, live_server, world["t5"])
    teacher.goto(f"{live_server.url}/startgesprekken/nieuw/")
    assert_accessible(teacher)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    day2 = (timezone.localdate() + timedelta(days=11)).isoformat()
    teacher.select_option("select[name=group]", str(world["g5"].pk))
    teacher.fill("textarea[name=purpose]", "Kennismaken: wat heeft uw kind nodig dit jaar?")
    teacher.fill("input[name=day1]", day)
    teacher.fill("input[name=start1]", "18:00")
    teacher.fill("input[name=end1]", "20:00")
    teacher.fill("input[name=day2]", day2)
    teacher.fill("input[name=start2]", "18:00")
    teacher.fill("input[name=end2]", "20:00")
    follow(teacher, "button[type=submit]:has-text('Tijden openen')")
    assert "16 tijden" in teacher.content()
    assert_accessible(teacher)
    g5_round = Round.objects.get(group=world["g5"])

    # 2. Parent A books Noor, then Noor's brother in groep 3 right next to it.
    a = new_page()
    login(a, live_server, parent_a)
    a.goto(f"{live_server.url}/startgesprekken/")
    assert_accessible(a)
    a.goto(f"{live_server.url}/startgesprekken/{g5_round.pk}/kind/{noor.pk}/")
    assert_accessible(a)
    noor_slot = g5_round.slots.filter(starts_at__gte=evening(10)[0]).order_by("starts_at")[0]
    a.check(f"#slot-{noor_slot.pk}")
    follow(a, "button:has-text('Deze tijd boeken')")
    assert "Geboekt" in a.content()
    follow(a, f"text=Nu ook voor {sibling.first_name} kiezen")  # offered right after the first booking
    first_choice = a.locator(".slot-list label").first
    assert f"direct na het gesprek over {noor.first_name}" in first_choice.inner_text()
    assert_accessible(a)
    follow(a, "button:has-text('Deze tijd boeken')")
    booked = {b.child_id: b.slot for b in Booking.objects.filter(booked_by=parent_a)}
    assert booked[sibling.pk].starts_at == booked[noor.pk].ends_at  # back to back

    # 3. Parent B books the very same slot as Noor: a clear Dutch message; then another slot.
    b = new_page()
    login(b, live_server, parent_b)
    b.goto(f"{live_server.url}/startgesprekken/{g5_round.pk}/kind/{pupil_b.pk}/")
    follow(b, "button:has-text('Deze tijd boeken')")  # the first free slot, just after Noor's
    conversation = Booking.objects.get(child=pupil_b).conversation
    assert b.locator(".messages").inner_text().startswith("Geboekt")

    # 4. The child fills in her own, child-friendly preparation.
    kid = new_page()
    login(kid, live_server, pupil_b.user)
    kid.goto(f"{live_server.url}/gesprekken/{conversation.pk}/voorbereiding/kind/")
    assert_accessible(kid)
    kid.click("label[for=mood-happy]")
    kid.fill("#q-proud", "Ik heb een spreekbeurt gehouden")
    kid.fill("#q-tell_teacher", "Ik wil naast Sara zitten")
    follow(kid, "button:has-text('Klaar!')")
    assert "Ik heb een spreekbeurt gehouden" in kid.content()

    # 5. After the meeting the teacher records an outcome that lands in the plan and sends feedback.
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    teacher.goto(f"{live_server.url}/startgesprekken/{g5_round.pk}/")
    assert "Nog niet geboekt" in teacher.content()
    teacher.goto(f"{live_server.url}/gesprekken/{conversation.pk}/")
    assert "Ik heb een spreekbeurt gehouden" in teacher.content()
    assert_accessible(teacher)
    teacher.fill("textarea[name=went_well]", "Ze vertelde zelf wat ze nodig heeft.")
    follow(teacher, "button:has-text('Aantekeningen bewaren')")
    teacher.fill("input[name=what]", "Elke week een kort gesprekje met de juf")
    teacher.select_option("select[name=owner]", str(pupil_b.user.pk))  # the child owns its agreement
    teacher.fill("input[name=due]", (timezone.localdate() + timedelta(days=30)).isoformat())
    follow(teacher, "button:has-text('Afspraak in het plan zetten')")
    assert "staat in het plan" in teacher.content()
    assert Agreement.objects.filter(child=pupil_b, what="Elke week een kort gesprekje met de juf").exists()
    teacher.fill("textarea[name=feedback]", "Fijn gesprek. We spraken af: elke week een kort gesprekje.")
    follow(teacher, "button:has-text('Terugkoppeling versturen')")
    assert "terugkoppeling is verstuurd" in teacher.content()

    # 6. The feedback reaches the guardian, in the app and by e-mail.
    b.goto(f"{live_server.url}/meldingen/")
    assert "Terugkoppeling van het gesprek" in b.content()
    assert_accessible(b)
    assert any("Fijn gesprek" in m.body and parent_b.email in m.to for m in mailoutbox)
    b.goto(f"{live_server.url}/gesprekken/{conversation.pk}/")
    assert "Elke week een kort gesprekje met de juf" in b.content()
    assert_accessible(b)


def test_plan_a_conversation_purpose_is_required_and_pages_are_accessible(live_server, new_page):
    world = family_school()
    child = world["children"][0]
    page = new_page()
    login(page, live_server, world["t5"])
    page.goto(f"{live_server.url}/gesprekken/nieuw/{child.pk}/")
    assert_accessible(page)
    page.select_option("select[name=kind]", "progress")
    page.fill("input[name=day]", (timezone.localdate() + timedelta(days=4)).isoformat())
    page.fill("input[name=time]", "15:00")
    page.fill("input[name=place]", "Lokaal 5")
    follow(page, "button:has-text('Plannen en uitnodigen')")
    assert "Schrijf op wat het doel van het gesprek is" in page.content()
    assert not Conversation.objects.exists()  # nothing saved
    assert_accessible(page)
    page.fill("textarea[name=purpose]", "Hoe gaat het met lezen?")
    follow(page, "button:has-text('Plannen en uitnodigen')")
    assert "Het gesprek is gepland" in page.content()
    assert_accessible(page)  # the organiser's page: notes, agreements, move and cancel
    follow(page, "text=Gesprek annuleren")
    page.fill("input[name=reason]", "De juf is ziek")
    follow(page, "button:has-text('Gesprek annuleren')")
    assert "geannuleerd" in page.content()
    assert_accessible(page)
