"""The coordinator may be an outside professional (issue 10 item 5): the IB'er hands over to the gezinscoach
with a note the family sees; the gezinscoach's access still follows the consent alone."""

import pytest

from apps.access.policy import Action, decide
from apps.circles.models import CircleMember, CoordinatorHandover
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.notifications.models import Notification

from .conftest import assign, fresh, give_consent

pytestmark = pytest.mark.django_db

NOTE = "Jeroen neemt het over als aanspreekpunt; hij ziet het gezin elke week en belt de school."


@pytest.fixture
def handed_over(story, settings, client):
    settings.DEMO_SKIP_TWO_FACTOR = True
    for person in ("ib", "coach", "mother"):
        story[person].is_demo = True
        story[person].save()
    story["consent"] = give_consent(story["child"], story["mother"], story["wijkteam"], [Category.SUPPORT])
    assign(story["child"], story["wijkteam"], story["coach"])
    client.force_login(story["ib"])
    url = f"/kinderen/{story['child'].pk}/aanspreekpunt/"
    assert "Jeroen Smit (gezinscoach, Wijkteam Oost)" in client.get(url).content.decode()
    response = client.post(url, {"member": f"user:{story['coach'].pk}", "note": NOTE})
    assert response.status_code == 302, response.content.decode()[:2000]
    return story


def test_the_ib_hands_over_to_the_gezinscoach_and_the_family_reads_the_note(client, handed_over):
    s = handed_over
    coordinator = CircleMember.objects.get(child=s["child"], is_coordinator=True)
    assert coordinator.user == s["coach"] and coordinator.organisation == s["wijkteam"]
    assert CoordinatorHandover.objects.get().previous == s["ib"]
    assert Notification.objects.filter(user=s["mother"], key__startswith="handover:").exists()
    client.force_login(s["mother"])
    page = client.get(f"/kinderen/{s['child'].pk}/").content.decode()
    assert (
        NOTE in page and '<bdi>Jeroen Smit</bdi></strong><br><span class="muted">gezinscoach, Wijkteam Oost' in page
    )  # names isolated (docs/languages.md)


def test_the_outside_coordinator_manages_the_circle_only_while_the_consent_holds(handed_over):
    s = handed_over
    assert decide(fresh(s["coach"]), Action.MANAGE_CIRCLE, s["child"]).allowed
    consent_services.revoke(s["consent"], s["mother"], "")
    assert not decide(fresh(s["coach"]), Action.MANAGE_CIRCLE, s["child"]).allowed
    assert not decide(fresh(s["coach"]), Action.VIEW, s["child"]).allowed


def test_an_outside_professional_without_consent_cannot_be_made_coordinator(client, story, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    story["ib"].is_demo = True
    story["ib"].save()
    client.force_login(story["ib"])
    url = f"/kinderen/{story['child'].pk}/aanspreekpunt/"
    assert "Jeroen Smit" not in client.get(url).content.decode()
    response = client.post(url, {"member": f"user:{story['coach'].pk}", "note": NOTE})
    assert response.status_code == 200 and not CoordinatorHandover.objects.exists()
