"""Who may do what with the groeidocument and the family's own plan (apps/plans/permissions.py), for every
role of the OPP's family fixture: the rules that sit on top of the one policy."""

import pytest

from apps.organisations.models import Role
from apps.plans import permissions as p
from tests.factories import SchoolFactory, staff
from tests.opp.conftest import load

pytestmark = pytest.mark.django_db

RULES = {
    "school part, MDO, close": p.may_draft,
    "parents' part": p.may_write_parents_view,
    "what goes with the request": p.may_consent,
    "export the request": p.may_export_request,
    "family's own plan": p.may_write_family_plan,
}
EXPECTED = {  # role -> the rules it passes; every other rule refuses
    "mother": {"parents' part", "what goes with the request", "family's own plan"},
    "other": {"parents' part", "what goes with the request", "family's own plan"},
    "father": set(),  # no gezag
    "pupil": {"family's own plan"},
    "ib": {"school part, MDO, close", "export the request"},
    "teacher": set(),
    "stranger": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_matrix(family, role):
    family["stranger"] = staff(Role.IB, school=SchoolFactory())
    child = load(family["child"])
    passed = {name for name, rule in RULES.items() if rule(family[role], child)}
    assert passed == EXPECTED[role]
