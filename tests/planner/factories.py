"""Helpers for planner and conversation tests: a class with a teacher, families, an open round."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.organisations.models import Role
from tests.factories import (
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    staff,
    years_ago,
)


def evening(days_ahead: int, start=time(18, 0), end=time(20, 0)):
    day = timezone.localdate() + timedelta(days=days_ahead)
    return (
        timezone.make_aware(datetime.combine(day, start)),
        timezone.make_aware(datetime.combine(day, end)),
    )


def teacher_for(group, **kwargs):
    return staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True, **kwargs))


def family_school(pupils: int = 3):
    """A school with two classes, a teacher each, pupils with a guardian, and a sibling pair."""
    school = SchoolFactory()
    g5, g3 = GroupFactory(school=school, name="Groep 5"), GroupFactory(school=school, name="Groep 3", year_level=3)
    t5, t3 = teacher_for(g5), teacher_for(g3)
    children = [ChildFactory(group=g5, date_of_birth=years_ago(9)) for _ in range(pupils)]
    guardians = [GuardianshipFactory(child=c).user for c in children]
    sibling = ChildFactory(group=g3, date_of_birth=years_ago(7), last_name=children[0].last_name)
    GuardianshipFactory(child=sibling, user=guardians[0])
    return {
        "school": school,
        "g5": g5,
        "g3": g3,
        "t5": t5,
        "t3": t3,
        "children": children,
        "guardians": guardians,
        "sibling": sibling,
    }
