"""The organisation assigns who works under a consent to it, and the consent form names people by role and
organisation (issue 10 item 1). Wrong people are refused, and the refusal is logged."""

import pytest

from apps.access.policy import Action, decide
from apps.audit.models import AccessLogEntry
from apps.consent.models import Category, Consent
from apps.notifications.models import Notification
from apps.referrals.models import Assignment

from .conftest import fresh, give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_consent(story, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    for person in ("coach", "colleague", "stranger", "mother"):
        story[person].is_demo = True
        story[person].save()
    story["consent"] = give_consent(story["child"], story["mother"], story["wijkteam"], [Category.SUPPORT])
    return story


def test_a_colleague_of_the_organisation_assigns_the_gezinscoach_who_then_joins_the_circle(client, org_consent):
    s = org_consent
    client.force_login(s["colleague"])
    page = client.get("/jeugdhulp/toestemmingen/").content.decode()
    assert s["child"].full_name in page and "Nog niemand toegewezen" in page and "Jeroen Smit — gezinscoach" in page
    prefix = f"c{s['consent'].pk}"
    response = client.post(
        f"/jeugdhulp/toestemmingen/{s['consent'].pk}/toewijzen/", {f"{prefix}-worker": s["coach"].pk}
    )
    assert response.status_code == 302
    assert decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.SUPPORT).allowed
    assert Notification.objects.filter(user=s["mother"], key__startswith="assignment:").exists()
    entry = AccessLogEntry.objects.filter(child=s["child"], actor_id=s["colleague"].pk).latest("pk")
    assert entry.allowed and entry.consent_id == s["consent"].pk


def test_someone_of_another_organisation_cannot_assign_and_the_refusal_is_logged(client, org_consent):
    s = org_consent
    client.force_login(s["stranger"])
    assert s["child"].full_name not in client.get("/jeugdhulp/toestemmingen/").content.decode()
    prefix = f"c{s['consent'].pk}"
    response = client.post(
        f"/jeugdhulp/toestemmingen/{s['consent'].pk}/toewijzen/", {f"{prefix}-worker": s["coach"].pk}
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()
    assert AccessLogEntry.objects.filter(child=s["child"], actor_id=s["stranger"].pk, allowed=False).exists()
    assert not decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.BASIC).allowed


def test_the_assign_service_refuses_an_outsider_and_logs_it(org_consent):
    from apps.access.policy import AccessDenied
    from apps.audit.log import Actor
    from apps.referrals.services import assign_worker

    s = org_consent
    with pytest.raises(AccessDenied):
        assign_worker(Actor(user=fresh(s["stranger"])), child=s["child"], organisation=s["wijkteam"], worker=s["coach"])
    assert AccessLogEntry.objects.filter(child=s["child"], actor_id=s["stranger"].pk, allowed=False).exists()
    assert not Assignment.objects.exists()


def test_assigning_a_person_of_another_organisation_is_refused_with_a_clear_message(org_consent):
    from django.core.exceptions import ValidationError

    from apps.audit.log import Actor
    from apps.referrals.services import assign_worker

    s = org_consent
    with pytest.raises(ValidationError, match="werkt niet bij Wijkteam Oost"):
        assign_worker(
            Actor(user=fresh(s["colleague"])), child=s["child"], organisation=s["wijkteam"], worker=s["stranger"]
        )
    assert not Assignment.objects.exists()


def test_ending_an_assignment_asks_first_and_takes_the_worker_out_at_once(client, org_consent):
    from .conftest import assign

    s = org_consent
    assignment = assign(s["child"], s["wijkteam"], s["coach"])
    client.force_login(s["colleague"])
    confirm = client.get(f"/jeugdhulp/toewijzingen/{assignment.pk}/beeindigen/").content.decode()
    assert "Weet u zeker" in confirm
    assert Assignment.objects.active().exists()
    client.post(f"/jeugdhulp/toewijzingen/{assignment.pk}/beeindigen/")
    assert not Assignment.objects.active().exists()
    assert not decide(fresh(s["coach"]), Action.VIEW, s["child"], Category.BASIC).allowed


def test_the_consent_form_names_people_by_role_and_organisation_and_says_what_a_consent_to_a_person_implies(
    client, org_consent
):
    s = org_consent
    client.force_login(s["mother"])
    page = client.get(f"/kinderen/{s['child'].pk}/toestemming/").content.decode()
    assert "Jeroen Smit — gezinscoach, Wijkteam Oost" in page
    assert '<optgroup label="Wijkteam Oost">' in page
    assert "ook de basisgegevens" in page


def test_a_consent_to_a_person_outside_the_chosen_organisation_is_refused_on_the_form(client, org_consent):
    s = org_consent
    client.force_login(s["mother"])
    before = Consent.objects.count()
    response = client.post(
        f"/kinderen/{s['child'].pk}/toestemming/",
        {
            "organisation": s["wijkteam"].pk,
            "grantee": f"{s['other_org'].pk}:{s['stranger'].pk}",
            "categories": ["support"],
            "starts_on": s["child"].created_at.date().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "werkt niet bij de gekozen organisatie" in response.content.decode()
    assert Consent.objects.count() == before
