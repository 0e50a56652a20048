"""Who may do what with a case review, role by role: start it, read it, add a factor, read the summary.
Each refusal is a 403 and is logged (for the child's data)."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.casereview import services

pytestmark = pytest.mark.django_db

# role -> (may start, may read, may add a factor, may read the school's summary)
MATRIX = {
    "ib": (True, True, True, True),
    "director": (True, True, True, True),
    "teacher": (False, True, False, False),  # the class teacher reads (policy), does not coordinate
    "mother": (False, True, False, False),
    "worker": (False, True, False, False),  # the CJG worker with the family's consent reads
    "ib_elsewhere": (False, False, False, False),
}


def _try(call) -> bool:
    try:
        call()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("role", MATRIX)
def test_case_review_matrix(review_world, role):
    w = review_world
    user = w[role]
    may_start, may_read, may_write, may_summary = MATRIX[role]
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    before = AccessLogEntry.objects.filter(actor_id=user.pk, allowed=False).count()
    assert _try(lambda: services.start_review(Actor(user=user), w["child"])) is may_start
    assert _try(lambda: services.read_review(Actor(user=user), review)) is may_read
    assert (
        _try(lambda: services.add_factor(Actor(user=user), review, kind="helped", level="people", text="Warm"))
        is may_write
    )
    assert _try(lambda: services.school_summary(user, w["school"])) is may_summary
    refusals = [not may_start, not may_read, not may_write].count(True)
    assert AccessLogEntry.objects.filter(actor_id=user.pk, allowed=False).count() == before + refusals
