"""A pupil who left the school (the import marks them, docs/import.md): the file stays and is read-only;
the teacher no longer has them in class; the IB'er and the guardians can still read it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.policy import AccessDenied, Action, authorize, decide, visible_children
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent.models import Category
from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def left_pupil():
    child = ChildFactory(left_on=timezone.localdate())
    return {
        "child": child,
        "mother": GuardianshipFactory(child=child).user,
        "teacher": staff(Role.TEACHER, school=child.school, groups=[child.group]),
        "ib": staff(Role.IB, school=child.school),
    }


def test_the_teacher_no_longer_sees_a_pupil_who_left(left_pupil):
    child, teacher = left_pupil["child"], left_pupil["teacher"]
    assert not decide(teacher, Action.VIEW, child, Category.BASIC)
    assert child not in visible_children(teacher)


def test_the_ib_and_the_guardian_still_read_the_file(left_pupil):
    child = left_pupil["child"]
    for who in (left_pupil["ib"], left_pupil["mother"]):
        assert decide(who, Action.VIEW, child, Category.SUPPORT), who
        assert child in visible_children(who, Category.SUPPORT)


@pytest.mark.parametrize("action", [Action.CREATE, Action.CHANGE, Action.MANAGE_CIRCLE, Action.GIVE_CONSENT])
def test_nobody_writes_to_the_file_of_a_pupil_who_left_and_the_refusal_is_logged(left_pupil, action):
    child = left_pupil["child"]
    for who in (left_pupil["ib"], left_pupil["mother"]):
        with pytest.raises(AccessDenied) as refused:
            authorize(Actor(user=who, channel="web"), action, child, Category.SUPPORT)
        assert "uitgeschreven" in str(refused.value)
        assert AccessLogEntry.objects.filter(actor_id=who.pk, child_id=child.pk, allowed=False).exists()


def test_a_leave_date_in_the_future_changes_nothing_yet():
    child = ChildFactory(left_on=timezone.localdate() + timedelta(days=3))
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    assert decide(teacher, Action.CHANGE, child, Category.DEVELOPMENT)
    assert child in visible_children(teacher)
