"""The "Vraagt uw aandacht" panel on the home page: content, empty state, and a bounded query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.consent.models import Category
from apps.conversations.models import Kind, Participant
from apps.core.extensions import attention_items
from apps.helpguide.models import HelpGuide, HelpQuestion, Topic
from apps.meetings.models import ActionItem, Invitation, Meeting
from apps.messaging.models import Message, Thread
from apps.planner import services as planner
from tests.factories import ChildFactory, GuardianshipFactory
from tests.planner.factories import evening

from .conftest import at, fresh
from .test_conversations import conversation
from .test_plans import agreement

pytestmark = pytest.mark.django_db


def test_empty_panel_says_nothing_waits(client, world):
    client.force_login(world["mother"])
    html = client.get("/aandacht/").content.decode()
    assert "Vraagt uw aandacht" in html
    assert "Niets dat op u wacht." in html


def test_panel_lists_late_items_first_with_words_not_only_colour(client, world):
    agreement(world["child"], world["mother"], 2)
    agreement(world["child"], world["mother"], -2)
    client.force_login(world["mother"])
    html = client.get("/aandacht/").content.decode()
    assert "Niets dat op u wacht." not in html
    late, todo = html.index("Te laat"), html.index("Te doen")
    assert late < todo
    assert 'href="/plan/mijn-afspraken/"' in html
    assert "1 afspraak van u is over de datum" in html
    assert "style=" not in html.split('id="attention"')[1].split("</section>")[0]


def test_panel_is_in_english_for_english_readers(client, world):
    agreement(world["child"], world["mother"], -2)
    world["mother"].language = "en"  # the account's language decides once chosen (docs/languages.md)
    world["mother"].save(update_fields=["language"])
    client.force_login(world["mother"])
    html = client.get("/aandacht/").content.decode()
    assert "Needs your attention" in html
    assert "1 of your agreements is overdue" in html


def test_anonymous_visitors_get_no_items():
    assert attention_items(type("Anon", (), {"is_authenticated": False})()) == []


def add_staff_items(world, n: int):
    """n of every kind of item that waits for the IB'er, each about a different pupil."""
    ib, teacher, school = world["ib"], world["teacher"], world["school"]
    guide, _ = HelpGuide.objects.get_or_create(school=school)
    topic, _ = Topic.objects.get_or_create(guide=guide, name="Leren")
    for _i in range(n):
        child = ChildFactory(group=world["group"])
        agreement(child, ib, -1)
        agreement(child, ib, 3)
        conversation(child, ib, timezone.now() - timedelta(days=10))
        conversation(child, teacher, at(3), kind=Kind.CARE, guests=[(ib, Participant.Kind.PROFESSIONAL)])
        HelpQuestion.objects.create(
            school=school,
            topic=topic,
            asker=world["mother"],
            child=child,
            text="Vraag",
            assigned_to=ib,
            due_at=timezone.now() - timedelta(hours=1),
        )
        HelpQuestion.objects.create(
            school=school, topic=topic, asker=world["mother"], text="Vraag", assigned_to=ib, due_at=at(2)
        )
        thread = Thread.objects.create(child=child, category=Category.SUPPORT, subject="Zorg", created_by=teacher)
        Message.objects.create(thread=thread, author=teacher, body="Hallo")
        meeting = Meeting.objects.create(
            school=school, title="Avond", starts_at=at(14), rsvp_deadline=at(5), organiser=teacher
        )
        Invitation.objects.create(meeting=meeting, user=ib, kind=Invitation.Kind.STAFF)
        ActionItem.objects.create(
            school=school, title="Actie", owner=ib, last_activity_at=timezone.now() - timedelta(weeks=8)
        )


def test_home_page_query_count_does_not_grow_with_waiting_items(client, world, django_assert_max_num_queries):
    client.force_login(world["ib"])
    add_staff_items(world, 1)
    client.get("/aandacht/")  # warm up (session, caches)
    with CaptureQueriesContext(connection) as one:
        html = client.get("/aandacht/").content.decode()
    baseline = len(one)  # read now: the captured slice moves once the connection's query log is full
    assert html.count('class="attention-item') == 10
    add_staff_items(world, 19)
    with django_assert_max_num_queries(baseline):
        html = client.get("/aandacht/").content.decode()
    assert "20 afspraken van u zijn over de datum" in html
    assert "20 gesprekken met ongelezen berichten" in html
    assert "20 acties van u staan al zes weken stil" in html


def test_guardian_panel_query_count_does_not_grow_with_children(world, django_assert_max_num_queries):
    mother = world["mother"]
    planner.open_round(world["teacher"], world["group"], purpose="Kennismaken", windows=[evening(5)])
    with CaptureQueriesContext(connection) as one:
        assert sum(i.count for i in attention_items(fresh(mother))) == 1
    for _i in range(19):
        GuardianshipFactory(child=ChildFactory(group=world["group"]), user=mother)
    with django_assert_max_num_queries(len(one)):
        assert sum(i.count for i in attention_items(fresh(mother))) == 20


def test_home_page_loads_the_panel_after_first_paint_and_links_to_it_without_scripts(client, world):
    agreement(world["child"], world["mother"], -2)
    client.force_login(world["mother"])
    home = client.get("/").content.decode()
    panel = home.split('id="attention"')[1].split("</section>")[0]
    assert "1 afspraak van u is over de datum" not in home  # not computed for the page itself
    assert 'hx-get="/aandacht/"' in home and 'href="/aandacht/"' in panel  # without JS: a link
    fragment = client.get("/aandacht/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="card attention"') and "<html" not in fragment
    assert "1 afspraak van u is over de datum" in fragment
    page = client.get("/aandacht/").content.decode()
    assert "<html" in page and "1 afspraak van u is over de datum" in page
