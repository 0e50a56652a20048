from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import services
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff


@pytest.fixture
def school_world(settings):
    """A school with a director, an IB'er, a teacher, a class of 6 pupils with one guardian each, and
    another school with its own guardian."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    school = SchoolFactory(name="De Wegwijzer")
    group = GroupFactory(school=school, name="Groep 5", year_level=5)
    other_group = GroupFactory(school=school, name="Groep 7", year_level=7)
    director = staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True, full_name="Dirk Directeur"))
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Ingrid IB"))
    teacher = staff(
        Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True, full_name="Tom Leerkracht")
    )
    guardians = []
    for i in range(6):
        child = ChildFactory(group=group)
        guardians.append(GuardianshipFactory(child=child, user=UserFactory(full_name=f"Ouder {i}")).user)
    seventh = GuardianshipFactory(child=ChildFactory(group=other_group), user=UserFactory(full_name="Ouder Zeven")).user
    elsewhere = GuardianshipFactory(user=UserFactory(full_name="Ouder Elders")).user
    return {
        "school": school,
        "group": group,
        "director": director,
        "ib": ib,
        "teacher": teacher,
        "guardians": guardians,
        "seventh": seventh,
        "elsewhere": elsewhere,
    }


@pytest.fixture
def meeting(school_world):
    starts = timezone.now() + timedelta(days=14)
    return services.create_meeting(
        school=school_world["school"],
        by=school_world["ib"],
        title="Ouderavond partnerschap",
        kind="parent_evening",
        starts_at=starts.replace(hour=18, minute=0, second=0, microsecond=0),
        rsvp_deadline=starts - timedelta(days=2),
        location="Aula",
        invitation_text="Wij horen graag hoe u de samenwerking ervaart.",
    )
