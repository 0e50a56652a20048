"""The access log as one reader of the family may read it."""

from apps.access.policy import Action, decide
from apps.consent.models import Category


def readable_categories(user, child) -> list[str]:
    return [c.value for c in Category if decide(user, Action.VIEW, child, c).allowed]


def readable_entries(user, child, categories: list[str] | None = None):
    """The child's log, without entries about a category this reader may not see.

    From 16 the young person decides what the parents see of health and support; who looked at those,
    and what it was called, is then part of what the parents do not see (docs/age-rules.md)."""
    categories = readable_categories(user, child) if categories is None else categories
    return child.access_log.filter(category__in=categories).select_related("consent").order_by("-pk")
