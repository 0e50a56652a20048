"""The attention panel tells each signer that a consent waits for their own signature (issue 15 item 5):
the pupil with "je", a parent with "u"; nobody else sees it, and it goes once signed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.consent import services as consent_services
from apps.core.extensions import attention_items
from tests.attention.conftest import fresh
from tests.factories import CareOrganisationFactory, GuardianshipFactory, UserFactory, years_ago

pytestmark = pytest.mark.django_db


def _texts(user) -> list[str]:
    return [item.text for item in attention_items(fresh(user))]


def test_a_consent_waiting_for_the_pupil_and_the_father_shows_on_both_panels(world, client):
    child = world["child"]
    child.date_of_birth = years_ago(13)
    child.user = UserFactory(full_name="Noor Peters")
    child.save()
    father = GuardianshipFactory(child=child, user=UserFactory(full_name="Karim Peters")).user
    consent = consent_services.request_consent(
        child=child,
        by=world["mother"],
        organisation=CareOrganisationFactory(name="Wijkteam Oost"),
        categories=["support"],
        starts_on=timezone.localdate(),
    )
    assert consent.completed_at is None  # the pupil and the father still have to sign

    assert _texts(child.user) == ["1 toestemming wacht op je handtekening"]
    assert _texts(father) == ["1 toestemming over Noor wacht op uw handtekening"]
    assert _texts(world["mother"]) == []  # she signed when she asked
    assert _texts(world["stranger"]) == [] and _texts(world["teacher"]) == []

    client.force_login(child.user)
    page = client.get(reverse("core:attention")).content.decode()
    assert "1 toestemming wacht op je handtekening" in page
    assert reverse("consent:page", args=[child.pk]) in page
    assert "Niets dat op je wacht" not in page and "Niets dat op u wacht" not in page

    consent_services.sign(consent, fresh(child.user))
    assert _texts(child.user) == []
    assert _texts(father) == ["1 toestemming over Noor wacht op uw handtekening"]


def test_a_revoked_or_ended_consent_waits_for_nobody(world):
    child = world["child"]
    father = GuardianshipFactory(child=child, user=UserFactory()).user
    consent = consent_services.request_consent(
        child=child,
        by=world["mother"],
        organisation=CareOrganisationFactory(),
        categories=["support"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=1),
    )
    assert len(_texts(father)) == 1
    consent_services.revoke(consent, world["mother"], "niet meer nodig")
    assert _texts(father) == []
