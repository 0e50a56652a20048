"""The conversations API, the booking endpoint and the schedule feed under /api/v1/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations import services
from apps.conversations.models import Conversation
from apps.planner import services as planner
from apps.planner.models import Booking
from tests.factories import UserFactory
from tests.planner.factories import evening, family_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    return family_school()


@pytest.fixture
def api():
    return APIClient()


def test_create_requires_purpose_and_lists_for_participants(api, world):
    api.force_authenticate(world["t5"])
    child, mother = world["children"][0], world["guardians"][0]
    body = {
        "child": child.pk,
        "kind": "progress",
        "purpose": "",
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "place": "Lokaal 5",
        "participants": [mother.pk],
    }
    response = api.post("/api/v1/conversations/", body, format="json")
    assert response.status_code == 400
    assert "doel van het gesprek" in str(response.json())
    body["purpose"] = "Hoe gaat lezen?"
    response = api.post("/api/v1/conversations/", body, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    api.force_authenticate(mother)
    listing = api.get("/api/v1/conversations/").json()
    assert [c["id"] for c in listing["results"]] == [pk]
    assert api.post(f"/api/v1/conversations/{pk}/rsvp/", {"answer": "yes"}, format="json").status_code == 200


def test_stranger_gets_403_and_it_is_logged(api, world):
    conversation = services.plan_conversation(
        Actor(world["t5"]), world["children"][0], kind="care", purpose="Zorg", place="School",
        starts_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    stranger = UserFactory()
    api.force_authenticate(stranger)
    assert api.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False, channel="api").exists()
    assert api.get("/api/v1/conversations/").json()["results"] == []


def test_booking_endpoint_outside_window_and_taken(api, world):
    rnd = planner.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)])
    start = evening(7)[0]
    api.force_authenticate(world["guardians"][0])
    url = "/api/v1/planner/bookings/"
    outside = api.post(
        url,
        {"round": rnd.pk, "child": world["children"][0].pk, "starts_at": (start - timedelta(hours=2)).isoformat()},
        format="json",
    )  # noqa: E501
    assert outside.status_code == 400 and "buiten de gesprekstijden" in str(outside.json())
    ok = api.post(
        url, {"round": rnd.pk, "child": world["children"][0].pk, "starts_at": start.isoformat()}, format="json"
    )
    assert ok.status_code == 201
    api.force_authenticate(world["guardians"][1])
    taken = api.post(
        url, {"round": rnd.pk, "child": world["children"][1].pk, "starts_at": start.isoformat()}, format="json"
    )
    assert taken.status_code == 400 and "iemand anders" in str(taken.json())
    assert Booking.objects.count() == 1 and Conversation.objects.count() == 1


def test_schedule_feed_with_token(world):
    rnd = planner.open_round(world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)])
    planner.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    client = APIClient()
    token = Token.objects.create(user=world["t5"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/schedule.ics")
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    assert b"Kennismaken" in response.content


def test_retrieve_shows_agreements_and_only_shared_answers(api, world):
    child, mother = world["children"][0], world["guardians"][0]
    conversation = services.plan_conversation(
        Actor(world["t5"]), child, kind="progress", purpose="Lezen", place="School",
        starts_at=timezone.now() + timedelta(days=1), participants=[mother],
    )  # fmt: skip
    seat = services.child_participant(conversation)
    services.save_preparation(Actor(mother), conversation, seat, {"proud": "Geheim"}, shared=False)
    mine = services.participant_for(mother, conversation)
    services.save_preparation(Actor(mother), conversation, mine, {"going_well": "Hij leest graag"})
    services.add_outcome(
        Actor(world["t5"]), conversation, what="Samen lezen", owner=mother, due=timezone.localdate() + timedelta(days=7)
    )
    api.force_authenticate(world["t5"])
    data = api.get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert [o["what"] for o in data["outcomes"]] == ["Samen lezen"]
    assert [p["answers"].get("going_well") for p in data["preparations"]] == ["Hij leest graag"]
    assert "Geheim" not in str(data)
