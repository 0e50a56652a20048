"""Who does what with a child's OPP, on top of the one policy (apps/access/policy.py, docs/opp.md).

- drafting the OPP (perspective, OOGO record, support lines, laying a version before the parents, setting
  it): `Action.DRAFT_OPP` — the IB'er and the director of the child's school;
- the parents' view: a guardian with gezag who may change the plan; the school never writes it;
- the pupil's view: the pupil (own account from 12), or whoever drafts the OPP writing down what the pupil
  said; signing "I was heard": the pupil alone, from 12;
- consenting to the handelingsdeel: `Action.CONSENT_OPP` — a parent with confirmed gezag.
"""

from django.db.models import Q

from apps.access.owner import owner_of
from apps.access.policy import SCHOOL_RIGHTS, Action, decide, memberships_of
from apps.consent.models import Category

OPP_CATEGORY = Category.SUPPORT
HEARD_FROM_AGE = 12


def _guardianship(user, child):
    return next((g for g in child.guardianships.all() if g.user_id == getattr(user, "pk", None)), None)


def may_draft(user, child) -> bool:
    return decide(user, Action.DRAFT_OPP, child, OPP_CATEGORY).allowed


def may_write_parents_view(user, child) -> bool:
    g = _guardianship(user, child)
    return g is not None and decide(user, Action.CHANGE, child, OPP_CATEGORY).allowed


def is_pupil(user, child) -> bool:
    return child.user_id is not None and child.user_id == getattr(user, "pk", None)


def may_write_pupil_view(user, child) -> bool:
    if is_pupil(user, child):
        return decide(user, Action.CHANGE, child, OPP_CATEGORY).allowed
    return may_draft(user, child)


def may_sign_heard(user, child, today) -> bool:
    return (
        is_pupil(user, child)
        and child.age(today) >= HEARD_FROM_AGE
        and decide(user, Action.CHANGE, child, OPP_CATEGORY).allowed
    )


def may_consent(user, child) -> bool:
    return decide(user, Action.CONSENT_OPP, child, OPP_CATEGORY).allowed


def drafting_school_ids(user) -> list[int]:
    """The schools where this user drafts OPPs (the same table as `decide`)."""
    return [
        m.school_id
        for m in memberships_of(user)
        if m.is_school_role and OPP_CATEGORY in SCHOOL_RIGHTS.get(m.role, {}).get(Action.DRAFT_OPP, frozenset())
    ]


def drafting_schools_q(user, path: str = "child__school_id") -> Q:
    """Objects of children at the schools where this user drafts OPPs."""
    return Q(**{f"{path}__in": drafting_school_ids(user)})


def may_edit_dispute_text(user, school_id: int) -> bool:
    """The school's text on disagreement: whoever drafts the school's OPPs (IB'er, director); no child data."""
    return getattr(user, "is_authenticated", False) and int(school_id) in drafting_school_ids(user)


# --- the groeidocument and the family's own plan (docs/opp.md) ---------------------------------------
# The school's part, the MDO and closing: whoever drafts the OPP (`DRAFT_OPP`). The parents' part: a
# guardian, as the OPP's parents' view. What goes with the request: a parent with confirmed gezag, as the
# handelingsdeel (`CONSENT_OPP`). Exporting the request: whoever drafts the OPP and may export.


def may_write_family_plan(user, child) -> bool:
    """The family's own plan: a guardian who may change the plan, or the pupil with an own account."""
    if is_pupil(user, child) or _guardianship(user, child) is not None:
        return decide(user, Action.CHANGE, child, OPP_CATEGORY).allowed
    return False


def may_export_request(user, child) -> bool:
    return may_draft(user, child) and decide(user, Action.EXPORT, child, OPP_CATEGORY).allowed


def may_link_agreement(user, agreement) -> bool:
    """Linking an agreement to the knowledge base: whoever may change it (the policy's CHANGE on the plan's
    category, with the agreement's owner, as `services.change_agreement`)."""
    return decide(user, Action.CHANGE, agreement.child, OPP_CATEGORY, owner=owner_of(agreement)).allowed
