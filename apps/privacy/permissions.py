"""Who decides on a correction request, built on the one policy (apps/access/policy.py).

Who *asks* (inspection, correction, an own statement) is the policy's `_rights_decision`; this file holds the
rule that is not about the child's category: the record's owner decides (docs/inspection-and-retention.md)."""

from apps.access.policy import Action, decide


def may_decide_correction(user, correction) -> bool:
    """The author of the record, or the school's coordinator (IB'er, director) when the author has gone."""
    if not decide(user, Action.CHANGE, correction.child, correction.category).allowed:
        return False
    return correction.owner_id == user.pk or decide(user, Action.HANDLE_INSPECTION, correction.child).allowed


def may_request(user, action, child, category="basic") -> bool:
    return decide(user, action, child, category).allowed
