import pytest
from django.utils import timezone

from apps.consent import services as consent_services
from apps.organisations.models import Board, Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    circle_member,
    staff,
)


def consent_to_school(child, guardian):
    """The family's consent to the school for support and plan (signed by the guardian with gezag)."""
    return consent_services.request_consent(
        child=child, by=guardian, school=child.school, categories=["support"], starts_on=timezone.localdate()
    )


@pytest.fixture
def review_world(settings):
    """A school of a board with an IB'er, a director, the class teacher, a CJG worker with consent; one child
    with a mother (gezag) who consented, one child without any consent."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    board = Board.objects.create(name="Stichting Haaglanden")
    school = SchoolFactory(name="De Wegwijzer", board=board)
    other_school = SchoolFactory(name="De Horizon")
    group = GroupFactory(school=school, name="Groep 6", year_level=6)
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Ingrid IB"))
    director = staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True, full_name="Dirk Directeur"))
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True, full_name="Tom Les"))
    ib_elsewhere = staff(Role.IB, school=other_school, user=UserFactory(is_demo=True, full_name="Iris Elders"))
    child = ChildFactory(group=group, first_name="Sanne", last_name="Bakkerhof")
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Mira Bakkerhof")).user
    consent = consent_to_school(child, mother)
    cjg = CareOrganisationFactory(name="CJG Wegwijzer")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True, full_name="Cor CJG"))
    circle_member(child, worker, "CJG", organisation=cjg)
    consent_services.request_consent(
        child=child, by=mother, organisation=cjg, grantee=worker, categories=["support"], starts_on=timezone.localdate()
    )
    no_consent = ChildFactory(group=group, first_name="Pieter", last_name="Zonderjaweg")
    GuardianshipFactory(child=no_consent, user=UserFactory(full_name="Pa Zonder"))
    return {
        "board": board,
        "school": school,
        "group": group,
        "ib": ib,
        "director": director,
        "teacher": teacher,
        "ib_elsewhere": ib_elsewhere,
        "child": child,
        "mother": mother,
        "consent": consent,
        "worker": worker,
        "no_consent": no_consent,
    }
