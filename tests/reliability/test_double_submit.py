"""REL-09: a double click or a resubmitted form is saved once (apps.core.idempotency)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.consent.models import Consent
from apps.conversations.models import Conversation, Participant
from apps.core.models import FormSubmission
from apps.messaging import services as messaging_services
from apps.messaging.models import Announcement, Message, Thread
from apps.notifications.models import Notification
from apps.planner import services as planner_services
from apps.planner.models import Booking
from apps.timeline.models import TimelineEntry
from tests.factories import CareOrganisationFactory
from tests.planner.factories import evening, family_school

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def token_from(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def post_twice(client, url, data):
    data = data | {"form_token": token_from(client, url)}
    return client.post(url, data), client.post(url, data)


def test_reply_sent_twice_is_saved_once_and_the_second_is_told(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    client.force_login(circle["mother"])
    url = f"/berichten/gesprek/{thread.pk}/"
    first, second = post_twice(client, url, {"body": "Dank je wel!"})
    assert first.status_code == 302 and second.status_code == 302 and second.url == url
    assert Message.objects.filter(thread=thread, author=circle["mother"]).count() == 1
    assert Notification.objects.filter(key__startswith="message:", user=circle["teacher"]).count() == 1
    assert "al verstuurd" in client.get(url).content.decode()
    # a new form (a new token) is a new message
    client.post(url, {"body": "Nog iets", "form_token": token_from(client, url)})
    assert Message.objects.filter(thread=thread, author=circle["mother"]).count() == 2


def test_a_refused_submit_can_be_sent_again_with_the_same_form(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    client.force_login(circle["mother"])
    url = f"/berichten/gesprek/{thread.pk}/"
    token = token_from(client, url)
    refused = client.post(url, {"body": "x", "tag": "geen-geldige-tag", "form_token": token})
    assert refused.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(url, {"body": "Nu goed", "form_token": token}).status_code == 302
    assert Message.objects.filter(author=circle["mother"]).count() == 1


def test_tokens_belong_to_one_person(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    url = f"/berichten/gesprek/{thread.pk}/"
    client.force_login(circle["mother"])
    token = token_from(client, url)
    client.post(url, {"body": "Van moeder", "form_token": token})
    client.force_login(circle["father"])
    client.post(url, {"body": "Van vader", "form_token": token})
    assert Message.objects.filter(author__in=[circle["mother"], circle["father"]]).count() == 2


def test_new_thread_twice_is_one_thread(client, circle):
    client.force_login(circle["teacher"])
    url = f"/berichten/kind/{circle['child'].pk}/nieuw/"
    first, second = post_twice(client, url, {"category": "basic", "subject": "Uitje", "body": "Vrijdag naar het bos"})
    assert first.status_code == 302 and second.status_code == 302
    assert Thread.objects.count() == 1 and Message.objects.count() == 1


def test_timeline_entry_twice_is_one_entry(client, circle):
    client.force_login(circle["mother"])
    url = f"/tijdlijn/kind/{circle['child'].pk}/"
    data = {"happened_on": timezone.localdate().isoformat(), "kind": "strength", "text": "Helpt anderen"}
    first, second = post_twice(client, url, data | {"category": "basic"})
    assert first.status_code == 302 and second.status_code == 302
    assert TimelineEntry.objects.count() == 1


def test_consent_given_twice_is_one_consent(client, circle):
    client.force_login(circle["mother"])
    url = f"/kinderen/{circle['child'].pk}/toestemming/"
    data = {"organisation": CareOrganisationFactory().pk, "categories": ["basic"], "starts_on": timezone.localdate()}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Consent.objects.count() == 1


def test_conversation_planned_twice_is_one_conversation_and_one_invitation(client, circle):
    client.force_login(circle["teacher"])
    url = f"/gesprekken/nieuw/{circle['child'].pk}/"
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = {"kind": "progress", "purpose": "Kennismaken", "day": day, "time": "15:00", "minutes": 30,
            "place": "Lokaal", "participants": [circle["mother"].pk], "child_invited": "on"}  # fmt: skip
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Conversation.objects.count() == 1
    assert Notification.objects.filter(user=circle["mother"], key__startswith="conversation-invite:").count() == 1


def test_announcement_published_twice_is_one_announcement(client, circle):
    client.force_login(circle["ib"])
    url = "/berichten/mededelingen/nieuw/"
    data = {"target": f"school:{circle['group'].school.pk}", "title": "Studiedag", "body": "Vrijdag vrij"}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Announcement.objects.count() == 1


def test_booking_twice_is_one_booking_by_the_existing_rule(settings):
    """Booking needs no token: one booking per guardian per child and round is already the rule."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    w = family_school()
    rnd = planner_services.open_round(w["t5"], w["g5"], purpose="Kennismaken", windows=[evening(7)], place="Lokaal")
    slots = list(rnd.slots.order_by("starts_at")[:2])
    planner_services.book_slot(Actor(w["guardians"][0]), slots[0], w["children"][0])
    with pytest.raises(Exception, match="al een gesprek"):
        planner_services.book_slot(Actor(w["guardians"][0]), slots[1], w["children"][0])
    assert Booking.objects.count() == 1 and Conversation.objects.count() == 1


def test_rsvp_twice_keeps_one_answer(client, circle):
    """An answer is a value, not a new row: sending it twice changes nothing."""
    from apps.conversations import services as conversation_services

    conversation = conversation_services.plan_conversation(
        Actor(circle["teacher"]),
        circle["child"],
        kind="progress",
        purpose="Kennismaken",
        starts_at=timezone.now() + timedelta(days=2),
        place="Lokaal 5",
        participants=[circle["mother"]],
    )
    client.force_login(circle["mother"])
    url = f"/gesprekken/{conversation.pk}/komt-u/"
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert client.post(url, {"answer": "yes"}).status_code == 302
    mine = Participant.objects.filter(conversation=conversation, user=circle["mother"])
    assert mine.count() == 1 and mine.get().rsvp == Participant.Rsvp.YES
