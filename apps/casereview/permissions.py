"""Who may do what with a case review (listed in `apps.access.policy`'s docstring; docs/learning-community.md).

Every read and write is first the one policy's decision on the child in the category "ondersteuning en plan"
(`services` calls `authorize`, lists filter with `visible_q`). On top of that:

- the coordinator of the child's school (IB'er or director) starts and runs a review;
- a participant (a parent, a professional at the table) gives their own answer on how fitting the help was;
- the anonymous summary of a school is for its IB'ers and director; that of the region (the school board) for
  the IB'ers and directors of the board's schools. It holds no names and shows nothing under 5 reviews.
"""

from apps.access.owner import owner_of
from apps.access.policy import Action, decide, memberships_of
from apps.consent.models import Category
from apps.organisations.models import Role

COORDINATOR_ROLES = {Role.IB, Role.DIRECTOR}


def is_coordinator_at(user, school_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.school_id == school_id and m.role in COORDINATOR_ROLES for m in memberships_of(user))


def may_coordinate(user, child) -> bool:
    """The IB'er or director of the child's school (the policy must also allow the change)."""
    return is_coordinator_at(user, child.school_id)


def participant_of(user, review):
    return next((p for p in review.participants.all() if p.user_id == user.pk), None)


def may_give_fit(user, review, participant) -> bool:
    """Everyone gives their own answer; the coordinator may note the answers given at the table."""
    return participant.user_id == user.pk or may_coordinate(user, review.child)


def may_see_school_summary(user, school) -> bool:
    return is_coordinator_at(user, school.pk)


def may_see_region_summary(user, board) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.role in COORDINATOR_ROLES and m.school is not None and m.school.board_id == board.pk
        for m in memberships_of(user)
    )


def may_link_action_point(user, point) -> bool:
    """Linking an action point to the knowledge base: whoever may change the review — the policy's CHANGE on
    the child (support and plan) and the coordinator rule above (the same as `services.authorize_coordinator`)."""
    review = point.review
    return decide(
        user, Action.CHANGE, review.child, Category.SUPPORT, owner=owner_of(review)
    ).allowed and may_coordinate(user, review.child)
