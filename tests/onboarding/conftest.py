"""The cast of the onboarding tests: a platform admin, a board with a school, its administrator and staff."""

import pytest
from allauth.mfa.models import Authenticator

from apps.organisations.models import Board, Membership, Role, School
from tests.factories import ChildFactory, GroupFactory, UserFactory, staff


def with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def security_events(caplog, event):
    return [r for r in caplog.records if r.name == "driehoek.security" and getattr(r, "event", None) == event]


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def platform_admin(db):
    return with_totp(UserFactory(is_staff=True, is_superuser=True, full_name="Petra Platform"))


@pytest.fixture
def world(db):
    """Board Rivierland with school De Wegwijzer (a pupil, a teacher, a school admin) and another school."""
    board = Board.objects.create(name="Stichting Rivierland")
    school = School.objects.create(name="De Wegwijzer", brin="12AB", vestiging="00", board=board, city="Rivierstad")
    other = School.objects.create(name="De Horizon", brin="34CD", city="Elders")
    group = GroupFactory(school=school, name="Groep 5")
    child = ChildFactory(group=group, school=school, first_name="Fenna", last_name="Zonneveld")
    admin = with_totp(staff(Role.SCHOOL_ADMIN, school=school, user=UserFactory(full_name="Sanne Administratie")))
    teacher = with_totp(staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(full_name="Tom Leraar")))
    other_admin = with_totp(staff(Role.SCHOOL_ADMIN, school=other))
    board_admin = with_totp(UserFactory(full_name="Bart Bestuur"))
    Membership.objects.create(user=board_admin, role=Role.BOARD_ADMIN, board=board)
    return {
        "board": board,
        "school": school,
        "other": other,
        "group": group,
        "child": child,
        "admin": admin,
        "teacher": teacher,
        "other_admin": other_admin,
        "board_admin": board_admin,
    }
