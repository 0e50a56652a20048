"""API for timeline and plan: same policy, same log, same Dutch messages, 409 on stale edits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.plans.models import Agreement, AgreementStatus
from apps.timeline.models import Kind, TimelineEntry
from apps.timeline.services import add_entry

from .conftest import web

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def tl(circle):
    return f"/api/v1/children/{circle.child.pk}/timeline/"


def plan(circle):
    return f"/api/v1/children/{circle.child.pk}/plan/"


def test_timeline_read_follows_consent_and_is_logged(circle, api):
    day = timezone.localdate() - timedelta(days=3)
    add_entry(web(circle.ib), circle.child, kind=Kind.SUPPORT, happened_on=day, text="Hulp gestart", category="support")
    add_entry(web(circle.ib), circle.child, kind=Kind.LIFE_EVENT, happened_on=day, text="Operatie", category="health")
    data = api(circle.worker).get(tl(circle)).json()
    assert [e["text"] for e in data["results"]] == ["Hulp gestart"] and data["categories"] == ["basic", "support"]
    assert AccessLogEntry.objects.filter(actor_id=circle.worker.pk, channel="api", allowed=True).exists()
    assert api(circle.worker_no_consent).get(tl(circle)).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, channel="api", allowed=False).exists()


def test_timeline_write_and_bad_input(circle, api):
    client = api(circle.mother)
    ok = client.post(
        tl(circle), {"happened_on": timezone.localdate(), "kind": "strength", "text": "Sterk"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["is_strength"] and ok.json()["category"] == "basic"
    before = circle.child.date_of_birth - timedelta(days=1)
    bad = client.post(tl(circle), {"happened_on": before, "kind": "strength", "text": "x"}, format="json")
    assert bad.status_code == 400 and "geboortedatum" in str(bad.json())
    assert TimelineEntry.objects.count() == 1


def test_timeline_stale_correction_gives_409(circle, api):
    client = api(circle.mother)
    entry = client.post(
        tl(circle), {"happened_on": timezone.localdate(), "kind": "strength", "text": "A"}, format="json"
    ).json()
    url = f"{tl(circle)}{entry['id']}/"
    body = {"happened_on": timezone.localdate(), "kind": "strength", "category": "basic", "version": 1}
    assert client.patch(url, body | {"text": "B"}, format="json").status_code == 200
    stale = client.patch(url, body | {"text": "C"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["text"] == "B"


def test_plan_api_add_agreement_mark_done_and_read(circle, api):
    due = timezone.localdate() + timedelta(days=4)
    r = api(circle.ib).post(
        plan(circle) + "agreements/", {"what": "Lezen", "owner_id": circle.mother.pk, "due": due}, format="json"
    )
    assert r.status_code == 201
    a = r.json()
    done = api(circle.mother).patch(
        f"{plan(circle)}agreements/{a['id']}/", {"status": "done", "version": 1}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    stale = api(circle.ib).patch(
        f"{plan(circle)}agreements/{a['id']}/", {"status": "dropped", "reason": "x", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    data = api(circle.worker).get(plan(circle)).json()
    assert [x["status"] for x in data["agreements"]] == ["done"]
    assert Agreement.objects.get().status == AgreementStatus.DONE


def test_plan_api_refuses_missing_owner_and_past_date_in_dutch(circle, api):
    past = timezone.localdate() - timedelta(days=1)
    r = api(circle.ib).post(plan(circle) + "agreements/", {"what": "Lezen", "due": past}, format="json")
    assert r.status_code == 400
    text = str(r.json())
    assert "Kies wie" in text and "verleden" in text


def test_plan_api_outsider_refused_and_logged(circle, api):
    assert api(circle.worker_no_consent).get(plan(circle)).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False, channel="api").exists()
    assert api(circle.ib).get("/api/v1/children/999999/plan/").status_code == 404


def test_schema_lists_the_endpoints(client, circle):
    client.force_login(circle.father)  # the schema needs a log-in (issue 16 item 8)
    body = client.get("/api/schema/").content.decode()
    assert "/api/v1/children/{child_id}/timeline/" in body and "/api/v1/children/{child_id}/plan/" in body


def test_plan_api_goal_add_and_evaluate_with_conflict(circle, api):
    client = api(circle.ib)
    on = timezone.localdate() + timedelta(days=30)
    goal = client.post(
        plan(circle) + "goals/",
        {"text": "Lezen", "child_words": "Ik wil strips lezen", "evaluate_on": on},
        format="json",
    ).json()
    body = {"text": "Lezen", "child_words": "Ik wil strips lezen", "evaluate_on": on, "version": 1}
    ok = client.patch(f"{plan(circle)}goals/{goal['id']}/", body | {"evaluation": "Gehaald"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"{plan(circle)}goals/{goal['id']}/", body | {"evaluation": "Oud"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["evaluation"] == "Gehaald"
    assert api(circle.mother).get(plan(circle)).json()["goals"][0]["child_words"] == "Ik wil strips lezen"


def test_this_issues_endpoints_generate_a_schema_without_warnings():
    """drf-spectacular on the timeline and plan endpoints alone: no warnings (enum collisions etc.)."""
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from apps.plans.api import register as plan_routes
    from apps.timeline.api import register as timeline_routes

    patterns = [path("api/v1/", include([*timeline_routes(None), *plan_routes(None)]))]
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    assert "/api/v1/children/{child_id}/plan/goals/{goal_id}/" in schema["paths"]
    assert "/api/v1/children/{child_id}/timeline/" in schema["paths"]


def test_outsider_with_bad_input_gets_403_not_the_birth_date(circle, api):
    before = (circle.child.date_of_birth - timedelta(days=1)).isoformat()
    r = api(circle.worker_no_consent).post(
        tl(circle), {"happened_on": before, "kind": "strength", "text": "x"}, format="json"
    )
    assert r.status_code == 403 and "geboortedatum" not in r.content.decode()
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False, action="create").exists()
