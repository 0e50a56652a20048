"""A small circle around one child for the reliability tests."""

import pytest

from apps.organisations.models import Role
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)


@pytest.fixture
def circle(settings, tmp_path):
    settings.DEMO_SKIP_TWO_FACTOR = True
    settings.MEDIA_ROOT = tmp_path / "media"
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school, date_of_birth=years_ago(9, days=40))
    mother = GuardianshipFactory(child=child, user=UserFactory(is_demo=True)).user
    father = GuardianshipFactory(child=child, relation="father").user
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    ib = staff(Role.IB, school=group.school, user=UserFactory(is_demo=True))
    circle_member(child, teacher, "leerkracht", school=group.school)
    circle_member(child, ib, "IB'er", school=group.school, coordinator=True)
    return {"group": group, "child": child, "mother": mother, "father": father, "teacher": teacher, "ib": ib}
