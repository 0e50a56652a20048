"""Plan agreement owners (issue 10 item 4): anyone in the circle may own an agreement, also an outside
professional who is in it through the family's consent and their organisation's assignment; a circle row
of an outside professional without a valid consent does not make them an owner."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.log import Actor
from apps.consent.models import Category
from apps.plans import services as plans
from apps.plans.forms import AgreementForm
from tests.factories import circle_member

from .conftest import assign, fresh, give_consent

pytestmark = pytest.mark.django_db


def test_a_worker_in_the_circle_through_consent_and_assignment_can_own_an_agreement(story):
    s = story
    child = s["child"]
    give_consent(child, s["mother"], s["wijkteam"], [Category.SUPPORT])
    assign(child, s["wijkteam"], s["coach"])
    owners = set(plans.circle_users(child))
    assert s["coach"] in owners and s["mother"] in owners and s["ib"] in owners
    assert "gezinscoach, Wijkteam Oost" in plans.owner_roles(child)[s["coach"].pk]
    form = AgreementForm(child=child)
    assert s["coach"] in form.fields["owner"].queryset
    due = timezone.localdate() + timedelta(days=14)
    agreement = plans.add_agreement(
        Actor(fresh(s["ib"])), child, what="Slaapdagboek bijhouden met moeder", owner=s["coach"], due=due
    )
    assert agreement.owner == s["coach"]


def test_without_a_consent_that_covers_the_plan_an_outside_professional_is_no_owner(story):
    s = story
    child = s["child"]
    circle_member(child, s["stranger"], "CJG-medewerker", organisation=s["other_org"])  # a row, no consent
    give_consent(child, s["mother"], s["wijkteam"], [Category.DEVELOPMENT])  # not the plan
    assign(child, s["wijkteam"], s["coach"])
    owners = set(plans.circle_users(child))
    assert s["stranger"] not in owners and s["coach"] not in owners
    with pytest.raises(ValidationError):
        plans.add_agreement(
            Actor(fresh(s["ib"])),
            child,
            what="Iets",
            owner=s["stranger"],
            due=timezone.localdate() + timedelta(days=3),
        )
