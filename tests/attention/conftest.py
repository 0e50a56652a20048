"""A small school for the attention panel: a class with one pupil, her mother, its teacher and IB'er,
and people who must see nothing (another school's IB'er, a parent of another child)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.organisations.models import Membership, Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff


def fresh(user) -> User:
    """The user as a new request sees them (the policy caches roles on the user object)."""
    return User.objects.get(pk=user.pk)


def leave_school(user) -> None:
    Membership.objects.filter(user=user).update(active=False)


def by_tone(items) -> dict:
    """{tone: count}, summed, for asserting on one app's items."""
    result: dict[str, int] = {}
    for item in items:
        if item.count:
            result[item.tone] = result.get(item.tone, 0) + item.count
    return result


def at(days: int, hour: int = 18):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 5")
    child = ChildFactory(group=group, first_name="Noor")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True, full_name="Tom Smit"))
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    other_ib = staff(Role.IB, school=SchoolFactory(), user=UserFactory(is_demo=True, full_name="Ander IB"))
    stranger = GuardianshipFactory(user=UserFactory(full_name="Ouder Elders")).user
    return {
        "school": school,
        "group": group,
        "child": child,
        "mother": mother,
        "teacher": teacher,
        "ib": ib,
        "other_ib": other_ib,
        "stranger": stranger,
    }


@pytest.fixture
def youth_worker(world):
    """A CJG worker in Noor's circle with the family's consent for "support & plan"; returns (user, consent)."""
    from apps.consent import services as consent_services
    from tests.factories import CareOrganisationFactory, circle_member

    cjg = CareOrganisationFactory(name="CJG Rivierstad")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True, full_name="Maria de Vries"))
    circle_member(world["child"], worker, "CJG", organisation=cjg)
    consent = consent_services.request_consent(
        child=world["child"],
        by=world["mother"],
        organisation=cjg,
        grantee=worker,
        categories=["support"],
        starts_on=timezone.localdate() - timedelta(days=30),
    )
    return worker, consent
