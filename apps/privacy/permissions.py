"""Who decides on a correction request, built on the one policy (apps/access/policy.py).

Who *asks* (inspection, correction, an own statement) is the policy's `_rights_decision`; this file holds the
rule that is not about the child's category: the record's owner decides (docs/inspection-and-retention.md)."""

from apps.access.policy import Action, decide


def may_decide_correction(user, correction) -> bool:
    """The author of the record, while the policy still lets them change that category of the child's data.

    The record's own service corrects it (only its author may), so the coordinator does not decide in the
    author's place; when the author has gone the request stays open and shows in the coordinator's list."""
    if not decide(user, Action.CHANGE, correction.child, correction.category).allowed:
        return False
    return correction.owner_id == user.pk


def may_request(user, action, child, category="basic") -> bool:
    return decide(user, action, child, category).allowed
