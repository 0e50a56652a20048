"""The OPP's API: the same policy, messages and log as the pages, in the OpenAPI schema."""

import pytest

from apps.audit.models import AccessLogEntry
from apps.plans.opp_models import HandelingsdeelVersion

pytestmark = pytest.mark.django_db


def base(child):
    return f"/api/v1/children/{child.pk}/plan/opp/"


def test_read_propose_answer_establish(api, family, drafted):
    o, version = drafted
    child = family["child"]
    data = api(family["mother"]).get(base(child)).json()
    assert len(data["support_lines"]) == 2 and data["versions"][0]["number"] == 1
    assert set(data["waiting_for"]) == {u.full_name for u in (family["mother"], family["other"])}
    assert AccessLogEntry.objects.filter(actor_id=family["mother"].pk, channel="api", allowed=True).exists()

    refused = api(family["ib"]).post(base(child) + "establish/")
    assert refused.status_code == 400 and "ontbreekt nog" in refused.json()["detail"][0]
    declined = api(family["mother"]).post(f"{base(child)}versions/{version.pk}/answer/", {"answer": "decline"})
    assert declined.status_code == 400 and "waarom" in declined.json()["detail"][0]
    for parent in ("mother", "other"):
        r = api(family[parent]).post(f"{base(child)}versions/{version.pk}/answer/", {"answer": "consent"})
        assert r.status_code == 201, r.content
    assert api(family["ib"]).get(base(child)).json()["vastgesteld_version"] == 1

    line = {"what": "Extra rekenen", "who": "RT'er", "how_often": "1x per week", "starts_on": "2027-01-11"}
    assert api(family["ib"]).post(base(child) + "support-lines/", line).status_code == 201
    assert api(family["ib"]).get(base(child)).json()["draft_changed"] is True
    r = api(family["ib"]).post(base(child) + "versions/", {"note": "Rekenen erbij"})
    assert r.status_code == 201 and r.json()["number"] == 2
    assert HandelingsdeelVersion.objects.filter(opp=o).count() == 2


def test_wrong_people_are_refused_and_logged(api, family, drafted):
    _o, version = drafted
    child = family["child"]
    r = api(family["father"]).post(f"{base(child)}versions/{version.pk}/answer/", {"answer": "consent"})
    assert r.status_code == 403
    assert api(family["teacher"]).post(base(child) + "versions/", {"note": "x"}).status_code == 403
    assert api(family["mother"]).post(base(child) + "establish/").status_code == 403
    for user in ("father", "teacher", "mother"):
        assert AccessLogEntry.objects.filter(actor_id=family[user].pk, allowed=False, channel="api").exists()


def test_the_opp_is_in_the_schema(api, family):
    schema = api(family["ib"]).get("/api/schema/").content.decode()
    for route in ("/plan/opp/", "/plan/opp/versions/{version_id}/answer/", "/plan/opp/establish/"):
        assert route in schema
