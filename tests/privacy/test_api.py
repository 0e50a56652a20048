"""The API of the family's rights: same policy and log as the pages, in the OpenAPI schema."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.privacy.models import CorrectionRequest, InspectionRequest, Statement
from apps.timeline.services import add_entry

from .conftest import web

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def client_for(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client_for


@pytest.fixture
def entry(fam):
    return add_entry(
        web(fam.teacher),
        fam.child,
        kind="school",
        happened_on=timezone.localdate(),
        text="Noor was drie dagen afwezig",
        category="development",
    )


def test_inspection_requests_through_the_api(fam, api):
    url = f"/api/v1/children/{fam.child.pk}/inspection-requests/"
    response = api(fam.mother).post(url, {"note": "Graag"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["answer_by"] == body["due_on"]
    assert [r["id"] for r in api(fam.mother).get(url).json()] == [body["id"]]
    assert api(fam.ib).get(f"/api/v1/inspection-requests/{body['id']}/").status_code == 200
    assert api(fam.teacher).get(f"/api/v1/inspection-requests/{body['id']}/").status_code == 403
    refused = api(fam.father).post(url, {}, format="json")
    assert refused.status_code == 403 and "zonder gezag" in refused.content.decode()
    assert AccessLogEntry.objects.filter(actor=fam.father, allowed=False, channel="api").exists()
    assert InspectionRequest.objects.count() == 1


def test_statements_and_corrections_through_the_api(fam, api, entry):
    base = f"/api/v1/children/{fam.child.pk}"
    s = api(fam.mother).post(
        f"{base}/statements/",
        {"target_type": "timeline_entry", "target_id": entry.pk, "text": "Wij zien dat anders"},
        format="json",
    )
    assert s.status_code == 201, s.content
    assert [x["text"] for x in api(fam.teacher).get(f"{base}/statements/").json()] == ["Wij zien dat anders"]
    c = api(fam.mother).post(
        f"{base}/corrections/",
        {
            "target_type": "timeline_entry",
            "target_id": entry.pk,
            "proposed_text": "Eén dag",
            "explanation": "Klopt niet",
        },
        format="json",
    )
    assert c.status_code == 201, c.content
    cid = c.json()["id"]
    assert api(fam.ib).post(f"/api/v1/corrections/{cid}/decision/", {"accept": True}, format="json").status_code == 403
    refused = api(fam.teacher).post(f"/api/v1/corrections/{cid}/decision/", {"accept": False}, format="json")
    assert refused.status_code == 400 and "waarom u het niet verbetert" in refused.content.decode()
    done = api(fam.teacher).post(f"/api/v1/corrections/{cid}/decision/", {"accept": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "accepted"


def test_a_statement_on_another_childs_entry_is_not_found_under_this_child(fam, api, entry):
    other = f"/api/v1/children/{fam.classmate.pk}/statements/"
    response = api(fam.classmate_mother).post(
        other, {"target_type": "timeline_entry", "target_id": entry.pk, "text": "x"}, format="json"
    )
    assert response.status_code == 404
    response = api(fam.classmate_mother).post(
        f"/api/v1/children/{fam.child.pk}/corrections/",
        {"target_type": "timeline_entry", "target_id": entry.pk, "proposed_text": "x", "explanation": "y"},
        format="json",
    )
    assert response.status_code == 403
    assert not Statement.objects.exists() and not CorrectionRequest.objects.exists()


def test_the_endpoints_are_in_the_schema(client, fam, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    client.force_login(fam.mother)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/children/{child_id}/inspection-requests/",
        "/api/v1/inspection-requests/{request_id}/",
        "/api/v1/children/{child_id}/statements/",
        "/api/v1/children/{child_id}/corrections/",
        "/api/v1/corrections/{correction_id}/decision/",
    ):
        assert path in schema["paths"], path
