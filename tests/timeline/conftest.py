"""A small circle around one child, shared by the timeline and plan tests."""

from types import SimpleNamespace

import pytest

from apps.audit.log import Actor
from apps.consent import services as consent_services
from apps.organisations.models import Role
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


def web(user) -> Actor:
    return Actor(user=user, channel="web")


@pytest.fixture
def circle(db):
    school = SchoolFactory()
    group = GroupFactory(school=school)
    child = ChildFactory(group=group, school=school, date_of_birth=years_ago(9, days=40))
    mother = GuardianshipFactory(
        child=child, relation="mother", has_authority=True, user=UserFactory(is_demo=True)
    ).user
    father = GuardianshipFactory(child=child, relation="father", has_authority=False).user
    cjg = CareOrganisationFactory()
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True))
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True))
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
    worker_no_consent = staff(Role.YOUTH_WORKER, organisation=CareOrganisationFactory(), user=UserFactory(is_demo=True))
    circle_member(child, ib, "IB'er", school=school, coordinator=True)
    circle_member(child, teacher, "leerkracht", school=school)
    circle_member(child, worker, "CJG", organisation=cjg)
    consent = consent_services.request_consent(
        child=child,
        by=mother,
        organisation=cjg,
        grantee=worker,
        categories=["support"],
        starts_on=child.created_at.date(),
    )
    outsider = UserFactory()
    return SimpleNamespace(
        school=school,
        group=group,
        child=child,
        mother=mother,
        father=father,
        ib=ib,
        teacher=teacher,
        worker=worker,
        worker_no_consent=worker_no_consent,
        outsider=outsider,
        consent=consent,
        cjg=cjg,
    )


@pytest.fixture(autouse=True)
def dutch():
    """Each test starts in Dutch (a test that switches to English must not leak into the next)."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
