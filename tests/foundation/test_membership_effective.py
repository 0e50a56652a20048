"""The policy reads a person's active memberships once per request and filters the effective ones in Python
(`Membership.is_effective`); that must be exactly the database rule (`Membership.objects.effective()`), and
the two-factor rule still counts a membership at an inactive school."""

import pytest

from apps.access.policy import memberships_of, policy_scope
from apps.accounts.twofactor import needs_two_factor
from apps.organisations.models import Board, Membership, Role
from tests.factories import CareOrganisationFactory, SchoolFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_the_python_rule_is_the_database_rule_for_every_kind_of_organisation():
    active_board, closed_board = Board.objects.create(name="Open"), Board.objects.create(name="Dicht", active=False)
    schools = [
        SchoolFactory(),
        SchoolFactory(active=False),
        SchoolFactory(board=active_board),
        SchoolFactory(board=closed_board),
    ]
    orgs = [CareOrganisationFactory(), CareOrganisationFactory(active=False)]
    user = UserFactory()
    for school in schools:
        staff(Role.TEACHER, school=school, user=user)
    for org in orgs:
        staff(Role.YOUTH_WORKER, organisation=org, user=user)
    for board in (active_board, closed_board):
        Membership.objects.create(user=user, role=Role.BOARD_ADMIN, board=board)
    Membership.objects.create(user=user, role=Role.IB, school=schools[0], active=False)
    expected = set(Membership.objects.effective().filter(user=user))
    with policy_scope():
        assert set(memberships_of(user)) == expected
    assert len(expected) == 4  # the active school, the school under an active board, the CJG, the open board
    rows = Membership.objects.filter(user=user).select_related("school__board", "organisation", "board")
    assert {m for m in rows if m.is_effective} == expected


def test_a_member_of_an_inactive_school_still_needs_two_factor():
    user = UserFactory()
    staff(Role.TEACHER, school=SchoolFactory(active=False), user=user)
    with policy_scope():
        assert memberships_of(user) == []
        assert needs_two_factor(user)
    assert not needs_two_factor(UserFactory())
