"""The access log as one reader of the family may read it."""

import logging

from apps.access.policy import Action, decide
from apps.consent.models import Category

from . import anchors
from .log import chain_of, verify_chain

security_log = logging.getLogger("driehoek.security")


def readable_categories(user, child) -> list[str]:
    return [c.value for c in Category if decide(user, Action.VIEW, child, c).allowed]


def readable_entries(user, child, categories: list[str] | None = None):
    """The child's log, without entries about a category this reader may not see.

    From 16 the young person decides what the parents see of health and support; who looked at those,
    and what it was called, is then part of what the parents do not see (docs/age-rules.md)."""
    categories = readable_categories(user, child) if categories is None else categories
    return child.access_log.filter(category__in=categories).select_related("consent").order_by("-pk")


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
