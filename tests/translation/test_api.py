"""Translated fields in /api/v1/ on request (?lang=), under the same policy as reading (docs/translation.md)."""

import pytest
from rest_framework.test import APIClient

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.helpguide.models import HelpGuide, Step, StepVersion
from apps.messaging import services
from apps.messaging.models import AnnouncementVersion
from tests.factories import GroupFactory, GuardianshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def thread(circle):
    return services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Gymles", "Neem <b>gymschoenen</b> mee."
    )


def test_messages_translated_on_request(api, circle, thread, libretranslate):
    api.force_authenticate(circle["mother"])
    plain = api.get(f"/api/v1/threads/{thread.pk}/messages/").json()["results"][0]
    assert plain["translated"] is None and libretranslate.requests == []
    (message,) = api.get(f"/api/v1/threads/{thread.pk}/messages/?lang=ar").json()["results"]
    assert message["body"] == "Neem <b>gymschoenen</b> mee."  # the original, always
    assert message["translated"] == {
        "language": "ar",
        "source": "machine",
        "fields": {"body": "[ar] Neem <b>gymschoenen</b> mee."},
        "note": "",
    }
    (listed,) = api.get("/api/v1/threads/?lang=ar").json()["results"]
    assert listed["translated"]["fields"] == {"subject": "[ar] Gymles"}
    assert api.get(f"/api/v1/threads/{thread.pk}/?lang=ar").json()["translated"]["fields"] == {"subject": "[ar] Gymles"}


def test_unsupported_language_in_the_api(api, circle, thread, libretranslate):
    api.force_authenticate(circle["mother"])
    (message,) = api.get(f"/api/v1/threads/{thread.pk}/messages/?lang=klingon").json()["results"]
    assert message["translated"]["language"] == "nl" and message["translated"]["source"] == "original"
    assert "bieden we niet aan" in message["translated"]["note"]
    assert libretranslate.requests == []


def test_backend_down_in_the_api(api, circle, thread, libretranslate):
    libretranslate.mode = "error"
    api.force_authenticate(circle["mother"])
    (message,) = api.get(f"/api/v1/threads/{thread.pk}/messages/?lang=tr").json()["results"]
    assert message["translated"]["source"] == "unavailable" and message["body"].startswith("Neem")
    from apps.translation import backends

    backends._paused_until.clear()


def test_another_family_cannot_make_the_api_translate(api, circle, thread, libretranslate):
    stranger = GuardianshipFactory(child__group=GroupFactory()).user
    api.force_authenticate(stranger)
    response = api.get(f"/api/v1/threads/{thread.pk}/messages/?lang=ar")
    assert response.status_code == 403
    assert "gymschoenen" not in response.content.decode()
    assert AccessLogEntry.objects.filter(actor=stranger, child=circle["child"], allowed=False).exists()
    assert libretranslate.requests == []


def test_announcements_with_a_version_by_the_school(api, circle, libretranslate):
    a = services.publish_announcement(circle["ib"], school=circle["school"], title="Studiedag", body="Vrijdag vrij.")
    AnnouncementVersion.objects.create(
        announcement=a, language="uk", title="День навчання", body="", author=circle["ib"]
    )
    api.force_authenticate(circle["mother"])
    (item,) = api.get("/api/v1/announcements/?lang=uk").json()["results"]
    assert item["translated"]["source"] == "school" and item["translated"]["fields"]["title"] == "День навчання"
    assert libretranslate.requests == []
    detail = api.get(f"/api/v1/announcements/{a.pk}/?lang=en").json()
    assert detail["translated"]["fields"] == {"title": "[en] Studiedag", "body": "[en] Vrijdag vrij."}


def test_help_guide_steps(api, circle, libretranslate):
    guide = HelpGuide.objects.create(school=circle["school"])
    step = Step.objects.create(guide=guide, title="Bel de IB'er", role="IB'er", what_next="Zij belt terug.")
    other = Step.objects.create(guide=HelpGuide.objects.create(school=GroupFactory().school), title="Elders", role="x")
    StepVersion.objects.create(step=step, language="ar", title="اتصل بمنسق الرعاية")
    api.force_authenticate(circle["mother"])
    results = api.get("/api/v1/help-guide-steps/?lang=pl").json()["results"]
    assert [r["id"] for r in results] == [step.pk]  # not the other school's guide
    assert results[0]["translated"]["fields"] == {
        "title": "[pl] Bel de IB'er",
        "description": "",
        "what_next": "[pl] Zij belt terug.",
    }
    ar = api.get(f"/api/v1/help-guide-steps/{step.pk}/?lang=ar").json()
    assert ar["translated"]["source"] == "school" and ar["translated"]["fields"]["title"] == "اتصل بمنسق الرعاية"
    assert api.get(f"/api/v1/help-guide-steps/{other.pk}/?lang=ar").status_code == 404
