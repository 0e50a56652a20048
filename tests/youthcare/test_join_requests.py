"""A professional asks to join (issue 10 items 3 and 6): the same answer whether the child exists or not,
the school's IB'er sees the match and asks the family, and only the family's signature brings the worker in."""

import logging

import pytest
from rest_framework.test import APIClient

from apps.access.policy import Action, decide
from apps.consent import services as consent_services
from apps.consent.models import Category, Consent
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.referrals.models import JoinRequest
from tests.factories import GuardianshipFactory, SchoolFactory, staff

from .conftest import fresh

pytestmark = pytest.mark.django_db

SENT = "Uw verzoek is naar de school gestuurd. De school neemt contact op met de familie."


@pytest.fixture
def s(story, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    story["teacher"] = staff(Role.TEACHER, school=story["school"])
    story["school_admin"] = staff(Role.SCHOOL_ADMIN, school=story["school"])
    other_school = SchoolFactory(name="De Linde")
    story["other_ib"] = staff(Role.IB, school=other_school)
    for person in ("coach", "ib", "mother", "teacher", "school_admin", "other_ib"):
        story[person].is_demo = True
        story[person].save()
    return story


def ask(client, s, first_name, last_name=None, dob=None):
    child = s["child"]
    return client.post(
        "/jeugdhulp/verzoek/",
        {
            "organisation": s["wijkteam"].pk,
            "first_name": first_name,
            "last_name": last_name or child.last_name,
            "date_of_birth": (dob or child.date_of_birth).isoformat(),
            "school": s["school"].pk,
        },
        follow=True,
    )


def test_the_answer_is_the_same_whether_the_child_exists_or_not(client, s):
    client.force_login(s["coach"])
    existing = ask(client, s, s["child"].first_name.upper())
    missing = ask(client, s, "Niemand", "Bestaatniet")
    assert existing.status_code == missing.status_code == 200
    for response in (existing, missing):
        page = response.content.decode()
        assert SENT in page
        assert "gevonden" not in page and s["child"].group.name not in page
    assert [m.message for m in existing.context["messages"]] == [m.message for m in missing.context["messages"]]
    assert JoinRequest.objects.filter(worker=s["coach"]).count() == 2
    assert Notification.objects.filter(user=s["ib"], key__startswith="join_request:").count() == 2


def test_the_api_gives_the_same_answer_and_the_worker_sees_no_match(s):
    api = APIClient()
    api.force_authenticate(s["coach"])
    child = s["child"]
    base = {"last_name": child.last_name, "date_of_birth": child.date_of_birth.isoformat(), "school": s["school"].pk}
    a = api.post("/api/v1/join-requests/", {**base, "first_name": child.first_name}, format="json")
    b = api.post("/api/v1/join-requests/", {**base, "first_name": "Niemand"}, format="json")
    assert a.status_code == b.status_code == 202 and a.json() == b.json() == {"detail": SENT}
    own = api.get("/api/v1/join-requests/").json()
    assert len(own) == 2 and all("matches" not in row for row in own)
    api.force_authenticate(s["ib"])
    rows = {r["first_name"]: r for r in api.get("/api/v1/join-requests/").json()}
    assert [m["id"] for m in rows[child.first_name]["matches"]] == [child.pk]
    assert rows["Niemand"]["matches"] == []
    assert "/api/v1/join-requests/" in api.get("/api/schema/").content.decode()


def test_the_ib_sees_the_match_asks_consent_and_the_worker_joins_once_the_mother_signs(client, s):
    client.force_login(s["coach"])
    ask(client, s, s["child"].first_name.lower(), s["child"].last_name.upper())
    join_request = JoinRequest.objects.get()
    assert not decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.SUPPORT).allowed

    client.force_login(s["ib"])
    page = client.get("/jeugdhulp/verzoeken/").content.decode()
    assert s["child"].full_name in page and "Jeroen Smit" in page
    response = client.post(f"/jeugdhulp/verzoeken/{join_request.pk}/toestemming/", {"child": s["child"].pk})
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.CONSENT_ASKED and join_request.handled_by == s["ib"]
    consent = Consent.objects.get(child=s["child"], grantee=s["coach"], organisation=s["wijkteam"])
    assert consent.completed_at is None and set(consent.category_values) == {Category.BASIC, Category.SUPPORT}
    assert Notification.objects.filter(user=s["mother"], key=f"join_request_consent:{consent.pk}").exists()
    assert not decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.SUPPORT).allowed

    client.force_login(s["mother"])
    page = client.get(f"/kinderen/{s['child'].pk}/toestemming/").content.decode()
    assert f"/toestemming/{consent.pk}/tekenen/" in page
    consent_services.sign(consent, s["mother"])
    assert decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.SUPPORT).allowed
    assert decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.BASIC).allowed
    # Handled once: a second try is refused with a clear message and no second consent.
    client.post(f"/jeugdhulp/verzoeken/{join_request.pk}/toestemming/", {"child": s["child"].pk})
    assert Consent.objects.filter(grantee=s["coach"]).count() == 1


def test_the_ib_declines_with_a_reason(client, s):
    client.force_login(s["coach"])
    ask(client, s, s["child"].first_name)
    join_request = JoinRequest.objects.get()
    client.force_login(s["ib"])
    client.post(f"/jeugdhulp/verzoeken/{join_request.pk}/afwijzen/", {f"j{join_request.pk}-reason": "Onbekend"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED and join_request.decline_reason == "Onbekend"
    assert not Consent.objects.filter(grantee=s["coach"]).exists()


@pytest.mark.parametrize("who", ["teacher", "school_admin", "other_ib", "mother"])
def test_other_roles_are_refused_and_the_refusal_is_logged(client, s, who, caplog):
    client.force_login(s["coach"])
    ask(client, s, s["child"].first_name)
    join_request = JoinRequest.objects.get()
    client.force_login(s[who])
    with caplog.at_level(logging.INFO, logger="driehoek.security"):
        inbox = client.get("/jeugdhulp/verzoeken/")
        if who == "other_ib":  # their own school's inbox, without this request
            assert inbox.status_code == 200 and s["child"].last_name not in inbox.content.decode()
        else:
            assert inbox.status_code == 403
        response = client.post(f"/jeugdhulp/verzoeken/{join_request.pk}/toestemming/", {"child": s["child"].pk})
        assert response.status_code == 403
        assert ask(client, s, s["child"].first_name).status_code == 403
    assert [r for r in caplog.records if getattr(r, "event", "") == "join_request_refused"]
    assert JoinRequest.objects.count() == 1 and not Consent.objects.filter(grantee=s["coach"]).exists()
    api = APIClient()
    api.force_authenticate(s[who])
    assert api.post("/api/v1/join-requests/", {}, format="json").status_code == 403


def test_a_second_guardian_is_refused_too(client, s):
    father = GuardianshipFactory(child=s["child"]).user
    father.is_demo = True
    father.save()
    client.force_login(father)
    assert client.get("/jeugdhulp/verzoek/").status_code == 403


def test_join_requests_are_rate_limited_with_a_dutch_message(client, s, settings):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "join_request": "2/1h/user"}
    client.force_login(s["coach"])
    assert ask(client, s, "Een").status_code == 200
    assert ask(client, s, "Twee").status_code == 200
    response = ask(client, s, "Drie")
    assert response.status_code == 429 and "Probeer het over" in response.content.decode()
    assert JoinRequest.objects.count() == 2


def test_the_worker_and_the_ib_find_their_pages(client, s):
    from apps.referrals.links import nav_links

    assert "/jeugdhulp/verzoek/" in [url for _, url in nav_links(fresh(s["coach"]))]
    assert "/jeugdhulp/verzoeken/" in [url for _, url in nav_links(fresh(s["ib"]))]
    assert nav_links(fresh(s["teacher"])) == []
    client.force_login(s["coach"])
    assert "/jeugdhulp/verzoek/" in client.get("/jeugdhulp/toestemmingen/").content.decode()


def test_a_name_typed_in_capitals_matches_beyond_ascii(client, s):
    """ "ÖZDEMIR" is "Özdemir": SQLite's case-insensitive match covers ASCII only, so the match is made in Python."""
    from apps.referrals.services import matching_pupils

    child = s["child"]
    child.first_name, child.last_name = "Çağla", "Özdemir"
    child.save()
    client.force_login(s["coach"])
    ask(client, s, "çağla", "ÖZDEMIR")
    assert list(matching_pupils(JoinRequest.objects.get())) == [child]
    ask(client, s, "Cagla", "Ozdemir")  # another spelling is another person: no match
    assert not matching_pupils(JoinRequest.objects.order_by("-pk").first()).exists()
