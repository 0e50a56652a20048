"""Issue 16 defect 3: lists, feeds and the help questions follow the one policy, and every read is logged.

The pages for one conversation and one child were already refused after a consent ended; these tests pin
that the lists and calendar feeds around them are the same rule (`visible_children`), and that a guardian's
help question about a child does not open for the school administration.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.conversations.models import Conversation, Kind, Participant
from apps.helpguide.models import HelpGuide, HelpQuestion, Topic
from apps.organisations.models import Role
from apps.planner.models import CalendarFeed
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

pytestmark = pytest.mark.django_db

PURPOSE = "Bespreken hoe de ondersteuning thuis loopt"
QUESTION = "Mijn kind slaapt slecht sinds de scheiding"


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school, first_name="Fenna", last_name="Verhoeven")
    mother = GuardianshipFactory(child=child).user
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
    circle_member(child, worker, "CJG", organisation=cjg)
    consent = consent_services.request_consent(
        child=child,
        by=mother,
        organisation=cjg,
        grantee=worker,
        categories=["support"],
        starts_on=child.created_at.date(),
    )
    start = timezone.now() + timedelta(days=3)
    conversation = Conversation.objects.create(
        child=child,
        kind=Kind.CARE,
        purpose=PURPOSE,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        place="Kamer van het CJG",
        organiser=worker,
    )
    Participant.objects.create(conversation=conversation, kind=Participant.Kind.PROFESSIONAL, user=worker, name="w")
    Participant.objects.create(conversation=conversation, kind=Participant.Kind.GUARDIAN, user=mother, name="m")
    admin = staff(Role.SCHOOL_ADMIN, school=child.school, user=UserFactory(is_demo=True))
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True))
    guide = HelpGuide.objects.create(school=child.school)
    topic = Topic.objects.create(guide=guide, name="Thuis", handler=admin)
    question = HelpQuestion.objects.create(
        school=child.school, topic=topic, asker=mother, child=child, text=QUESTION, assigned_to=admin,
        due_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    return {
        "child": child, "mother": mother, "worker": worker, "consent": consent, "conversation": conversation,
        "admin": admin, "ib": ib, "question": question,
    }  # fmt: skip


def _end_consent(world):
    consent_services.revoke(world["consent"], world["mother"], "")


def _logged(user, child, **filters):
    return AccessLogEntry.objects.filter(actor_id=user.pk, child_id=child.pk, **filters)


@pytest.mark.parametrize("url", ["/gesprekken/", "/api/v1/conversations/", "/startgesprekken/agenda.ics"])
def test_conversation_lists_show_the_care_conversation_while_the_consent_holds(client, world, url):
    client.force_login(world["worker"])
    body = client.get(url).content.decode()
    assert PURPOSE in body
    assert _logged(world["worker"], world["child"], action="list", allowed=True).exists()


@pytest.mark.parametrize(
    "url", ["/gesprekken/", "/api/v1/conversations/", "/startgesprekken/agenda.ics", "/api/v1/schedule.ics"]
)
def test_conversation_lists_and_feeds_drop_it_once_the_consent_ended(client, world, url):
    _end_consent(world)
    client.force_login(world["worker"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert PURPOSE not in body and "Verhoeven" not in body and "Kamer van het CJG" not in body


def test_token_feed_drops_it_once_the_consent_ended(client, world):
    feed = CalendarFeed.objects.create(user=world["worker"])
    assert PURPOSE in client.get(f"/startgesprekken/agenda/{feed.token}.ics").content.decode()
    _end_consent(world)
    body = client.get(f"/startgesprekken/agenda/{feed.token}.ics").content.decode()
    assert PURPOSE not in body and "Verhoeven" not in body


def test_token_feed_read_is_logged_under_the_conversation_category(client, world):
    feed = CalendarFeed.objects.create(user=world["worker"])
    client.get(f"/startgesprekken/agenda/{feed.token}.ics")
    entry = _logged(world["worker"], world["child"], action="list").get()
    assert entry.allowed and entry.channel == "feed" and entry.category == Category.SUPPORT
    assert entry.consent_id == world["consent"].pk


def test_the_guardian_still_sees_the_conversation(client, world):
    _end_consent(world)
    client.force_login(world["mother"])
    assert PURPOSE in client.get("/api/v1/conversations/").content.decode()
    assert PURPOSE in client.get("/startgesprekken/agenda.ics").content.decode()


def test_help_question_about_a_child_does_not_open_for_the_school_administration(client, world):
    client.force_login(world["admin"])
    response = client.get(f"/hulpwijzer/vragen/{world['question'].pk}/")
    assert response.status_code == 403
    assert QUESTION not in response.content.decode()
    refusal = _logged(world["admin"], world["child"]).get()
    assert not refusal.allowed and refusal.category == Category.SUPPORT


def test_school_administration_cannot_acknowledge_it(client, world):
    question = world["question"]
    client.force_login(world["admin"])
    response = client.post(f"/hulpwijzer/vragen/{question.pk}/", {"action": "acknowledge", "version": 1})
    assert response.status_code == 403
    response = client.post(f"/api/v1/help-questions/{question.pk}/acknowledge/", {"version": 1})
    assert response.status_code in (403, 404)
    question.refresh_from_db()
    assert question.status == HelpQuestion.Status.RECEIVED and question.acknowledged_by is None
    assert _logged(world["admin"], world["child"], allowed=False).exists()


@pytest.mark.parametrize("url", ["/hulpwijzer/vragen/", "/api/v1/help-questions/"])
def test_help_question_lists_leave_it_out_for_the_school_administration(client, world, url):
    client.force_login(world["admin"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert QUESTION not in body and f"/hulpwijzer/vragen/{world['question'].pk}/" not in body


@pytest.mark.parametrize("url", ["/hulpwijzer/vragen/", "/api/v1/help-questions/"])
def test_help_question_lists_are_logged_for_who_may_see_them(client, world, url):
    HelpQuestion.objects.filter(pk=world["question"].pk).update(assigned_to=world["ib"])
    client.force_login(world["ib"])
    body = client.get(url).content.decode()
    assert QUESTION in body or f"/hulpwijzer/vragen/{world['question'].pk}/" in body
    entry = _logged(world["ib"], world["child"], action="list").get()
    assert entry.allowed and entry.category == Category.SUPPORT


def test_help_questions_api_logs_the_askers_own_list(client, world):
    client.force_login(world["mother"])
    data = client.get("/api/v1/help-questions/").json()
    assert [q["text"] for q in data["results"]] == [QUESTION]
    assert _logged(world["mother"], world["child"], action="list", channel="api", allowed=True).exists()


def test_help_question_list_logging_is_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    question = world["question"]
    HelpQuestion.objects.filter(pk=question.pk).update(assigned_to=world["ib"])
    client.force_login(world["ib"])
    client.get("/api/v1/help-questions/")
    with django_assert_max_num_queries(40) as one:
        client.get("/api/v1/help-questions/")
    for _ in range(6):
        other = ChildFactory(group=world["child"].group, school=world["child"].school)
        HelpQuestion.objects.create(
            school=other.school, topic=question.topic, asker=world["mother"], child=other, text="x",
            assigned_to=world["ib"], due_at=question.due_at,
        )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/api/v1/help-questions/")
