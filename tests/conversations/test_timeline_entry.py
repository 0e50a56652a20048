"""Sending a conversation's feedback puts one line on the child's timeline, seen only by who may."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.conversations import services
from apps.conversations.models import Conversation
from apps.organisations.models import Role
from apps.timeline.models import Kind as TimelineKind
from apps.timeline.models import TimelineEntry
from apps.timeline.services import entries_for, read_timeline
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle():
    group = GroupFactory()
    school = group.school
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True))
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True))
    child = ChildFactory(group=group, school=school, date_of_birth=years_ago(8))
    mother = GuardianshipFactory(child=child, relation="mother", has_authority=True).user
    circle_member(child, teacher, "leerkracht", school=school)
    circle_member(child, ib, "IB'er", school=school, coordinator=True)
    # Two CJG workers in the circle: one with consent for support, one only for development.
    workers = {}
    for name, categories in (("support", ["support"]), ("development", ["development"])):
        cjg = CareOrganisationFactory()
        worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
        circle_member(child, worker, "CJG", organisation=cjg)
        consent_services.request_consent(
            child=child, by=mother, organisation=cjg, grantee=worker, categories=categories,
            starts_on=child.created_at.date(),
        )  # fmt: skip
        workers[name] = worker
    return {"teacher": teacher, "ib": ib, "child": child, "mother": mother, "workers": workers}


def held(circle, kind="care", organiser=None, purpose="Wat helpt Sam bij het rekenen?"):
    conversation = services.plan_conversation(
        Actor(organiser or circle["teacher"]),
        circle["child"],
        kind=kind,
        purpose=purpose,
        starts_at=timezone.now() + timedelta(days=1),
        place="Lokaal 5",
        participants=[circle["mother"]],
    )
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=timezone.now() - timedelta(days=2, hours=1))
    conversation.refresh_from_db()
    return conversation


def test_feedback_adds_one_conversation_line_to_the_timeline(circle):
    conversation = held(circle)
    services.send_feedback(Actor(circle["teacher"]), conversation, "Goed gesprek.")
    entry = TimelineEntry.objects.get(child=circle["child"])
    assert entry.kind == TimelineKind.CONVERSATION
    assert entry.happened_on == timezone.localtime(conversation.starts_at).date()
    assert entry.text == "Zorggesprek / MDO: Wat helpt Sam bij het rekenen?"
    assert entry.author == circle["teacher"] and entry.category == "support" == conversation.category
    conversation.refresh_from_db()
    assert conversation.timeline_entry == entry
    # the timeline's own service wrote it, so the write is in the access log
    assert AccessLogEntry.objects.filter(
        actor_id=circle["teacher"].pk, action="create", category="support", allowed=True
    ).exists()


def test_sending_feedback_again_adds_nothing(circle):
    conversation = held(circle)
    services.send_feedback(Actor(circle["teacher"]), conversation, "Eerste versie.")
    services.send_feedback(Actor(circle["teacher"]), conversation, "Aangevuld.")
    services.add_to_timeline(Actor(circle["teacher"]), conversation)
    assert TimelineEntry.objects.filter(child=circle["child"], kind=TimelineKind.CONVERSATION).count() == 1


def test_the_organiser_is_the_author_when_a_colleague_sends_the_feedback(circle):
    conversation = held(circle)
    conversation.participants.create(kind="professional", user=circle["ib"], name=circle["ib"].full_name)
    services.send_feedback(Actor(circle["ib"]), conversation, "Verstuurd door de IB'er.")
    entry = TimelineEntry.objects.get(child=circle["child"])
    assert entry.author == circle["teacher"]


def test_development_conversation_gets_the_development_category(circle):
    conversation = held(circle, kind="progress", purpose="Voortgang in groep 5")
    services.send_feedback(Actor(circle["teacher"]), conversation, "Gaat goed.")
    entry = TimelineEntry.objects.get(child=circle["child"])
    assert entry.category == "development" and entry.text == "Voortgangsgesprek: Voortgang in groep 5"


def test_cjg_worker_without_consent_for_the_category_does_not_see_the_entry(circle):
    conversation = held(circle)  # care → support
    services.send_feedback(Actor(circle["teacher"]), conversation, "Goed gesprek.")
    child = circle["child"]
    without, with_consent = circle["workers"]["development"], circle["workers"]["support"]
    assert not entries_for(without, child).filter(kind=TimelineKind.CONVERSATION).exists()
    page = read_timeline(Actor(without), child)
    assert all(e.kind != TimelineKind.CONVERSATION for e in page.page.object_list)
    assert [e.kind for e in read_timeline(Actor(with_consent), child).page.object_list] == [TimelineKind.CONVERSATION]
    assert [e.kind for e in read_timeline(Actor(circle["mother"]), child).page.object_list] == [
        TimelineKind.CONVERSATION
    ]


def test_timeline_page_of_worker_without_consent_does_not_show_the_conversation(client, settings, circle):
    settings.DEMO_SKIP_TWO_FACTOR = True
    conversation = held(circle)
    services.send_feedback(Actor(circle["teacher"]), conversation, "Goed gesprek.")
    client.force_login(circle["workers"]["development"])
    response = client.get(f"/tijdlijn/kind/{circle['child'].pk}/")
    assert response.status_code == 200
    assert "Wat helpt Sam bij het rekenen?" not in response.content.decode()
    client.force_login(circle["workers"]["support"])
    assert "Wat helpt Sam bij het rekenen?" in client.get(f"/tijdlijn/kind/{circle['child'].pk}/").content.decode()
