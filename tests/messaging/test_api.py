"""The API: same policy and log as the pages."""

import pytest
from rest_framework.test import APIClient

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.messaging import services
from apps.messaging.models import Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_thread_create_list_and_messages(api, circle):
    c = circle
    api.force_authenticate(c["teacher"])
    response = api.post(
        "/api/v1/threads/",
        {
            "child": c["child"].pk,
            "category": "basic",
            "subject": "Goed nieuws",
            "body": "<b>Top</b>",
            "tag": "positief",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    thread_id = response.json()["id"]
    api.force_authenticate(c["mother"])
    listing = api.get("/api/v1/threads/").json()
    assert [t["id"] for t in listing["results"]] == [thread_id]
    messages = api.get(f"/api/v1/threads/{thread_id}/messages/").json()["results"]
    assert (
        messages[0]["body"] == "<b>Top</b>" and messages[0]["tag"] == "positief"
    )  # JSON; HTML escaping is the client's
    assert api.post(f"/api/v1/threads/{thread_id}/messages/", {"body": "Dank je"}, format="json").status_code == 201
    assert AccessLogEntry.objects.filter(actor=c["mother"], channel="api", allowed=True).exists()


def test_worker_without_consent_is_refused_and_logged(api, circle):
    c = circle
    thread = services.create_thread(Actor(c["teacher"]), c["child"], "support", "Zorg", "Tekst")
    api.force_authenticate(c["worker"])
    assert api.get(f"/api/v1/threads/{thread.pk}/").status_code == 403
    assert api.get(f"/api/v1/threads/{thread.pk}/messages/").status_code == 403
    assert api.post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "x"}, format="json").status_code == 403
    assert api.get("/api/v1/threads/").json()["results"] == []
    assert AccessLogEntry.objects.filter(actor=c["worker"], channel="api", allowed=False).count() >= 3
    assert thread.messages.count() == 1
    response = api.post("/api/v1/threads/", {"child": c["child"].pk, "subject": "x", "body": "y"}, format="json")
    assert response.status_code == 403 and Thread.objects.count() == 1


def test_api_rate_limit_gives_429_with_dutch_text(api, circle, settings):
    c = circle
    settings.MESSAGING_RATE_LIMIT = (2, 60)
    thread = services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Week", "1")
    api.force_authenticate(c["teacher"])
    assert api.post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "2"}, format="json").status_code == 201
    response = api.post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "3"}, format="json")
    assert response.status_code == 429 and "kort na elkaar" in response.json()["detail"]


def test_announcements_api_respects_class_scope(api, circle):
    c = circle
    from tests.factories import GroupFactory

    other = GroupFactory(school=c["school"])
    api.force_authenticate(c["teacher"])
    ok = api.post(
        "/api/v1/announcements/",
        {"school": c["school"].pk, "group": c["group"].pk, "title": "Uitje", "body": "Zoo"},
        format="json",
    )
    assert ok.status_code == 201
    refused = api.post(
        "/api/v1/announcements/",
        {"school": c["school"].pk, "group": other.pk, "title": "X", "body": "Y"},
        format="json",
    )
    assert refused.status_code == 400
    api.force_authenticate(c["mother"])
    assert [a["title"] for a in api.get("/api/v1/announcements/").json()["results"]] == ["Uitje"]


def test_announcement_confirm_through_the_api(api, circle):
    c = circle
    a = services.publish_announcement(c["ib"], school=c["school"], title="Lezen", body="x", requires_confirmation=True)
    api.force_authenticate(c["mother"])
    assert api.post(f"/api/v1/announcements/{a.pk}/confirm/").status_code == 200
    assert api.post(f"/api/v1/announcements/{a.pk}/confirm/").status_code == 200
    assert a.confirmations.count() == 1
    from tests.factories import GuardianshipFactory

    api.force_authenticate(GuardianshipFactory().user)  # another school's parent
    assert api.post(f"/api/v1/announcements/{a.pk}/confirm/").status_code == 404
