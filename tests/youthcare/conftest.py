"""The seed-003 cast: a mother, her child at school, the IB'er, and Wijkteam Oost with gezinscoach Jeroen Smit."""

import pytest
from django.utils import timezone

from apps.consent import services as consent_services
from apps.organisations.models import CareOrganisation, Membership, Role
from apps.referrals.models import Assignment, StaffTitle
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)


def worker_at(organisation, name, title="", role=Role.YOUTH_WORKER):
    user = UserFactory(full_name=name)
    membership = Membership.objects.create(user=user, role=role, organisation=organisation)
    if title:
        StaffTitle.objects.create(membership=membership, title=title)
    return user


@pytest.fixture
def story(db):
    school = SchoolFactory(name="De Regenboog")
    group = GroupFactory(school=school)
    child = ChildFactory(group=group, first_name="Emma", date_of_birth=years_ago(9, days=40))
    mother = GuardianshipFactory(child=child).user
    ib = staff(Role.IB, school=school)
    circle_member(child, ib, "IB'er", school=school, coordinator=True)
    wijkteam = CareOrganisationFactory(name="Wijkteam Oost", kind=CareOrganisation.Kind.WIJKTEAM)
    coach = worker_at(wijkteam, "Jeroen Smit", "gezinscoach")
    colleague = worker_at(wijkteam, "Sanne Wit", "ambulant hulpverlener")
    other_org = CareOrganisationFactory(name="CJG Elders")
    stranger = worker_at(other_org, "Piet Vreemd", "CJG-medewerker")
    return {
        "school": school,
        "child": child,
        "mother": mother,
        "ib": ib,
        "wijkteam": wijkteam,
        "coach": coach,
        "colleague": colleague,
        "other_org": other_org,
        "stranger": stranger,
    }


def give_consent(child, by, organisation, categories, grantee=None, ends_on=None, starts_on=None):
    return consent_services.request_consent(
        child=child,
        by=by,
        organisation=organisation,
        grantee=grantee,
        categories=categories,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )


def assign(child, organisation, worker, by=None):
    return Assignment.objects.create(child=child, organisation=organisation, worker=worker, assigned_by=by or worker)


def fresh(user):
    """The same person in a new request: nothing the policy cached for them carries over."""
    user._driehoek_memberships = None
    return user
