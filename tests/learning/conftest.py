from datetime import timedelta

import pytest
from django.utils import timezone

from apps.monitor import services
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

ALL_FOURS = {f"p{i}": "4" for i in range(1, 11)}


@pytest.fixture
def world(settings):
    """A school with a director, an IB'er, a teacher, groep 5 with 8 pupils (one parent each), groep 6 with 3,
    and another school with its own IB'er."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    school = SchoolFactory(name="De Wegwijzer")
    g5 = GroupFactory(school=school, name="Groep 5", year_level=5)
    g6 = GroupFactory(school=school, name="Groep 6", year_level=6)
    director = staff(Role.DIRECTOR, school=school, user=UserFactory(is_demo=True, full_name="Dirk Directeur"))
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True, full_name="Ingrid IB"))
    teacher = staff(
        Role.TEACHER, school=school, groups=[g5], user=UserFactory(is_demo=True, full_name="Tom Leerkracht")
    )
    parents5 = [GuardianshipFactory(child=ChildFactory(group=g5), user=UserFactory(full_name=f"Ouder {i}")).user
                for i in range(8)]  # fmt: skip
    parents6 = [GuardianshipFactory(child=ChildFactory(group=g6), user=UserFactory(full_name=f"Zes {i}")).user
                for i in range(3)]  # fmt: skip
    other = SchoolFactory(name="De Andere School")
    other_ib = staff(Role.IB, school=other, user=UserFactory(is_demo=True, full_name="Olga Elders"))
    return {
        "school": school, "g5": g5, "g6": g6, "director": director, "ib": ib, "teacher": teacher,
        "parents5": parents5, "parents6": parents6, "other": other, "other_ib": other_ib,
    }  # fmt: skip


def start(world, groups=None, perspectives=("parent", "professional", "child"), title="Peiling najaar"):
    return services.start_wave(
        school=world["school"], by=world["ib"], title=title, closes_on=timezone.localdate() + timedelta(days=14),
        groups=groups or [world["g5"], world["g6"]], perspectives=list(perspectives),
    )  # fmt: skip


@pytest.fixture
def wave(world):
    return start(world)


def answer(wave, users, values=None):
    for user in users:
        services.submit(wave, user, values or ALL_FOURS)
