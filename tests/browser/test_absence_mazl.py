"""Browser, with the server's clock travelled (time-machine): a parent reports her daughter sick for the
fourth time in twelve weeks on her phone; the IB'er sees the MAZL signal with its proposed step and plans
the conversation in one click; the parent reads the signal in plain words. axe-core on every page.

The clock is set ahead of the real date: the browser keeps its own clock, and session cookies that the
server dates in the past would be thrown away by the browser.
"""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.attendance import services
from apps.attendance.models import Rule, SickReport, Signal
from apps.audit.log import Actor
from apps.conversations.models import Conversation
from apps.organisations.models import Role
from tests.browser.conftest import assert_accessible, follow, login
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EARLIER = [(2026, 12, 15), (2027, 1, 12), (2027, 2, 2)]  # three Tuesdays, each one sick day
FOURTH = timezone.make_aware(datetime(2027, 3, 2, 7, 45))  # a Tuesday before school, 56 school days on


def test_the_fourth_sick_report_in_twelve_weeks_becomes_a_conversation(live_server, new_page):
    group = GroupFactory(name="Groep 6")
    noor = ChildFactory(first_name="Noor", group=group, school=group.school)
    mother = GuardianshipFactory(child=noor, user=UserFactory(full_name="Sanne Peters")).user
    ib = staff(Role.IB, school=group.school, user=UserFactory(full_name="Ine de IB", is_demo=True))

    with time_machine.travel(FOURTH, tick=True):
        for y, m, d in EARLIER:  # the earlier reports, each on its own morning
            services.report_sick(Actor(mother), noor, period="today", now=timezone.make_aware(datetime(y, m, d, 7, 30)))
        assert not Signal.objects.exists()  # three reports: nothing yet

        # 1. The fourth report, on the parent's phone, in two taps.
        parent = new_page()
        parent.set_viewport_size({"width": 375, "height": 740})
        login(parent, live_server, mother)
        parent.goto(live_server.url + reverse("attendance:sick_report"))
        assert parent.locator("input[name=child]").first.is_checked()  # her only child is chosen already
        assert_accessible(parent)
        follow(parent, "button[value=today]")
        assert "Noor is ziek gemeld" in parent.locator("main").inner_text()
        assert SickReport.objects.filter(child=noor).count() == 4
        signal = Signal.objects.get(child=noor)
        assert signal.rule == Rule.MAZL_FREQUENT and signal.day == FOURTH.date()

        # 2. The IB'er sees the signal with the proposed step and plans the conversation in one click.
        school = new_page()
        login(school, live_server, ib)
        school.goto(live_server.url + reverse("attendance:signals"))
        card = school.locator("article.signal", has_text="Noor")
        assert "MAZL: vaak ziek" in card.inner_text()
        assert "Volgende stap: school neemt contact op met de ouders." in card.inner_text()
        assert_accessible(school)
        follow(school, card.get_by_role("button", name="Gesprek plannen"))
        assert "/gesprekken/" in school.url
        conversation = Conversation.objects.get(child=noor)
        assert "4 ziekmeldingen" in conversation.purpose  # the absence overview goes with the invitation
        assert mother.pk in set(conversation.participants.values_list("user_id", flat=True))
        assert_accessible(school)

        # 3. The parent reads the signal in plain words, without blame.
        parent.goto(live_server.url + reverse("attendance:child", args=[noor.pk]))
        text = parent.locator("main").inner_text()
        assert (
            "Noor is dit schooljaar 4 keer ziek gemeld in 12 weken. Dan nodigt school u uit voor een gesprek, "
            "om samen te kijken hoe het gaat. Dat doen we bij alle kinderen." in text
        )
        assert "Volgende stap" not in text  # the steps are the school's work
        assert_accessible(parent)
