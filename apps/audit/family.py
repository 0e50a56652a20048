"""The access log as one reader of the family may read it."""

import logging

from django.db.models import Q

from apps.access.policy import Action, decide
from apps.consent.models import Category

from . import anchors
from .log import chain_of, verify_chain

security_log = logging.getLogger("driehoek.security")
# The family's own reading, hidden on its log page unless asked for (docs/audit-log.md).
OWN_READS = ("view", "list")


def readable_categories(user, child) -> list[str]:
    return [c.value for c in Category if decide(user, Action.VIEW, child, c).allowed]


def family_user_ids(child) -> list[int]:
    """The accounts of the child's family: its guardians and the child's own account (no query: the policy's
    child is loaded with its guardianships)."""
    ids = [g.user_id for g in child.guardianships.all() if g.user_id]
    return [*ids, child.user_id] if child.user_id else ids


def readable_entries(user, child, categories: list[str] | None = None, *, own_reads: bool = True):
    """The child's log, without entries about a category this reader may not see.

    From 16 the young person decides what the parents see of health and support; who looked at those,
    and what it was called, is then part of what the parents do not see (docs/age-rules.md).
    `own_reads=False` leaves out what the family itself looked at (allowed views and lists by a guardian or the
    child); its changes, signatures and refused attempts stay."""
    categories = readable_categories(user, child) if categories is None else categories
    entries = child.access_log.filter(category__in=categories)
    if not own_reads:
        entries = entries.exclude(Q(actor_id__in=family_user_ids(child), allowed=True, action__in=OWN_READS))
    return entries.select_related("consent").order_by("-pk")


def verify_for_family(child):
    """Check this child's own chain against the newest anchor and the checkpoints ("keten gecontroleerd").

    The whole chain is checked, also entries this reader does not see (the hashes link them all); the answer
    says only whether it is intact, so it reveals nothing about the entries left out. A failure also goes to
    the security log. Returns (ok, anchored): anchored is False while no anchor exists yet."""
    try:
        anchor = anchors.newest()
        checkpoints = anchors.checkpoints()
    except anchors.AnchorError:
        anchor, checkpoints = None, []
        result = None
    else:
        result = verify_chain(chain=chain_of(child.pk), anchor=anchor, checkpoints=checkpoints)
    if result is None or not result.ok:
        security_log.error(
            "access log chain broken",
            extra={
                "event": "audit_chain_broken",
                "chain": chain_of(child.pk),
                "entry": getattr(result, "broken_at", None),
                "reason": getattr(result, "reason", "anchor unreadable"),
            },
        )
        return False, anchor is not None
    return True, anchor is not None
