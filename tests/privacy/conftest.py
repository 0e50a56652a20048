"""A family around one child, a classmate, the school's coordinator and a youth worker with consent."""

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
def fam(db):
    school = SchoolFactory()
    group = GroupFactory(school=school)
    child = ChildFactory(
        group=group, school=school, date_of_birth=years_ago(9, days=40), first_name="Noor", last_name="Jansen"
    )
    mother = GuardianshipFactory(child=child, relation="mother", has_authority=True).user
    father = GuardianshipFactory(child=child, relation="father", has_authority=False).user
    classmate = ChildFactory(group=group, school=school, first_name="Daan", last_name="Visser")
    classmate_mother = GuardianshipFactory(child=classmate, relation="mother").user
    cjg = CareOrganisationFactory()
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True))
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True))
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
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
    return SimpleNamespace(
        school=school,
        group=group,
        child=child,
        mother=mother,
        father=father,
        classmate=classmate,
        classmate_mother=classmate_mother,
        ib=ib,
        teacher=teacher,
        worker=worker,
        cjg=cjg,
        consent=consent,
        outsider=UserFactory(),
    )


@pytest.fixture
def logged_in(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def login(user):
        client.force_login(user)
        return client

    return login
