"""The care organisation's administrator invites colleagues, lists and deactivates them (issue 10 rest,
item 3); every change is in the admin log, anyone else is refused and the refusal is logged."""

import pytest
from django.core import mail

from apps.access.policy import Action, decide
from apps.accounts.models import Invite
from apps.consent.models import Category
from apps.organisations.models import AdminLogEntry, Membership, Role
from tests.factories import UserFactory

from .conftest import assign, fresh, give_consent, worker_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(story, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    admin = worker_at(story["wijkteam"], "Els Beheer", role=Role.ORG_ADMIN)
    story["org_admin"] = admin
    for person in ("org_admin", "coach", "stranger", "ib"):
        story[person].is_demo = True
        story[person].save()
    return story


def url(s, suffix=""):
    return f"/organisatie/jeugdhulp/{s['wijkteam'].pk}/medewerkers/{suffix}"


def test_the_org_admin_invites_a_new_colleague_and_adds_an_existing_account(
    client, org, django_capture_on_commit_callbacks
):
    s = org
    client.force_login(s["org_admin"])
    assert client.get("/organisatie/collega-s/").status_code == 302
    page = client.get(url(s)).content.decode()
    assert "Jeroen Smit" in page and "Sanne Wit" in page and "Piet Vreemd" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(s, "nieuw/"), {"email": "nieuw@wijkteam.example", "role": "youth_worker"})
    assert response.status_code == 302
    invite = Invite.objects.get(email="nieuw@wijkteam.example")
    assert invite.organisation == s["wijkteam"] and invite.role == Role.YOUTH_WORKER
    assert any("/uitnodiging/" in m.body for m in mail.outbox)
    existing = UserFactory(email="arts@example.org")
    client.post(url(s, "nieuw/"), {"email": existing.email, "role": "doctor"})
    assert Membership.objects.filter(user=existing, organisation=s["wijkteam"], role=Role.DOCTOR).exists()
    assert client.post(url(s, "nieuw/"), {"email": "x@example.org", "role": "teacher"}).status_code == 200
    logged = AdminLogEntry.objects.filter(organisation=s["wijkteam"]).values_list("action", flat=True)
    assert {"invite", "add_staff"} <= set(logged)
    assert "nieuw@wijkteam.example" in client.get("/organisatie/beheerlog/").content.decode()


def test_deactivating_a_colleague_takes_them_out_of_every_circle(client, org):
    s = org
    child = s["child"]
    give_consent(child, s["mother"], s["wijkteam"], [Category.SUPPORT])
    assign(child, s["wijkteam"], s["coach"])
    assert decide(fresh(s["coach"]), Action.VIEW, child, Category.SUPPORT).allowed
    membership = Membership.objects.get(user=s["coach"], organisation=s["wijkteam"])
    client.force_login(s["org_admin"])
    assert client.get(url(s, f"{membership.pk}/deactiveren/")).status_code == 200
    client.post(url(s, f"{membership.pk}/deactiveren/"), {"confirm": "on"})
    membership.refresh_from_db()
    assert not membership.active
    assert not decide(fresh(s["coach"]), Action.VIEW, child, Category.SUPPORT).allowed
    assert AdminLogEntry.objects.filter(organisation=s["wijkteam"], action="remove_staff").exists()


def test_the_last_org_admin_stays(client, org):
    s = org
    own = Membership.objects.get(user=s["org_admin"], role=Role.ORG_ADMIN)
    client.force_login(s["org_admin"])
    page = client.post(url(s, f"{own.pk}/deactiveren/"), {"confirm": "on"}).content.decode()
    assert "Er moet iemand overblijven" in page
    assert Membership.objects.get(pk=own.pk).active


@pytest.mark.parametrize("who", ["coach", "stranger", "ib"])
def test_others_are_refused_and_the_refusal_is_logged(client, org, who, caplog):
    s = org
    client.force_login(s[who])
    assert client.get(url(s)).status_code == 403
    assert client.post(url(s, "nieuw/"), {"email": "a@b.nl", "role": "youth_worker"}).status_code == 403
    assert not Invite.objects.filter(email="a@b.nl").exists()
    assert any(getattr(r, "event", "") == "admin_refused" for r in caplog.records)


def test_response_times_page_for_the_org_admin_only(client, org):
    s = org
    client.force_login(s["org_admin"])
    page = client.get("/jeugdhulp/reactietijden/").content.decode()
    assert "Wijkteam Oost" in page and "CJG Elders" not in page
    client.force_login(s["coach"])
    assert client.get("/jeugdhulp/reactietijden/").status_code == 403
