import pytest
from rest_framework.test import APIClient

from apps.helpguide.models import HelpQuestion

pytestmark = pytest.mark.django_db


def test_help_question_through_the_api(school):
    s = school
    api = APIClient()
    api.force_authenticate(s["mother"])
    response = api.post(
        "/api/v1/help-questions/",
        {"topic": s["home"].pk, "text": "Waar kan ik terecht?", "preferred_contact": "email", "child": s["child"].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    qid = response.json()["id"]
    assert response.json()["status"] == "ontvangen" and response.json()["assigned_to_name"] == "Marieke Jansen"
    assert api.post(f"/api/v1/help-questions/{qid}/acknowledge/", {}, format="json").status_code == 404  # asker
    api.force_authenticate(s["ib"])
    response = api.post(f"/api/v1/help-questions/{qid}/acknowledge/", {"version": 1}, format="json")
    assert response.status_code == 200 and response.json()["taken_by"] == "Marieke Jansen"
    api.force_authenticate(s["mother"])
    assert api.get(f"/api/v1/help-questions/{qid}/").json()["status"] == "opgepakt"
    api.force_authenticate(s["teacher"])
    assert api.get(f"/api/v1/help-questions/{qid}/").status_code == 404
    assert HelpQuestion.objects.get().status == "opgepakt"
