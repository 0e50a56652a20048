"""Extension points so each domain app adds its own links to the menu and the child page.

An app may provide `apps/<app>/links.py` with `nav_links(user)` and/or `child_links(child, user)`,
each returning a list of `(label, url)` pairs. Shared templates then never need editing per feature.
An app may also provide `apps/<app>/attention.py` with `items(user) -> list[AttentionItem]`: what
waits for this person, shown at the top of the home page ("Vraagt uw aandacht").
A menu link may carry a third item, a count (e.g. unread messages), shown as a badge when above zero.
"""

from dataclasses import dataclass
from importlib import import_module
from typing import NamedTuple

from django.conf import settings


def _link_modules():
    for app in settings.DOMAIN_APPS:
        try:
            yield import_module(f"{app}.links")
        except ModuleNotFoundError as e:
            if e.name != f"{app}.links":
                raise


class NavLink(NamedTuple):
    label: str
    url: str
    count: int | None = None


def nav_links(user) -> list[NavLink]:
    """Menu links of all apps; `(label, url)` and `(label, url, count)` pairs are both accepted."""
    from apps.notifications import menu_counts

    links = []
    for module in _link_modules():
        if hasattr(module, "nav_links"):
            links.extend(NavLink(*link) for link in module.nav_links(user))
    if getattr(user, "is_authenticated", False):
        menu_counts.flush(user)  # the counts this page built, stored once (docs/performance.md)
    return links


def child_links(child, user) -> list[tuple[str, str]]:
    links = []
    for module in _link_modules():
        if hasattr(module, "child_links"):
            links.extend(module.child_links(child, user))
    return links


# --- "Vraagt uw aandacht": what waits for this person, from every app -------------------------------

TONES = ("late", "todo", "good")  # also the order on the page: what is late first


@dataclass(frozen=True)
class AttentionItem:
    """One line of the home page's attention panel: a counted thing that waits for the user.

    `text` is the full sentence (already in the user's language, the count in it); `tone` is
    'late' (past a deadline), 'todo' (waits for you) or 'good' (something went well)."""

    text: str
    count: int
    url: str
    tone: str = "todo"


def _attention_modules():
    for app in settings.DOMAIN_APPS:
        try:
            yield import_module(f"{app}.attention")
        except ModuleNotFoundError as e:
            if e.name != f"{app}.attention":
                raise


def attention_items(user) -> list[AttentionItem]:
    """Every app's `attention.items(user)`, without empty lines, late ones first.

    Each app returns counts from a bounded number of queries, so the panel costs the same for one
    waiting item as for forty."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for module in _attention_modules():
        if hasattr(module, "items"):
            items.extend(item for item in module.items(user) if item.count > 0)
    return sorted(items, key=lambda item: TONES.index(item.tone) if item.tone in TONES else len(TONES))


def visible_child_ids(user, category: str):
    """The access policy's visible children for `category` as a subquery of ids (see
    `apps.access.policy.visible_child_ids`, which keeps it once per user object)."""
    from apps.access.policy import visible_child_ids as policy_visible_child_ids

    return policy_visible_child_ids(user, category)


def child_summaries(child, user) -> dict[str, str]:
    """One line per child-page tile ("2 open afspraken"), keyed by the tile's URL: each app's optional
    `child_summary(child, user)` in its links.py. Each app answers with a fixed number of queries (an
    aggregate, never a list), so the child page costs the same for a child with many entries as for one
    with none; it answers only for the links it shows this user (the same rule as `child_links`)."""
    from django.utils import translation

    from apps.notifications import menu_counts

    def build():
        summaries = {}
        for module in _link_modules():
            if hasattr(module, "child_summary"):
                summaries.update(module.child_summary(child, user))
        return summaries

    # Cached per person and child until the child's records change (docs/performance.md, "The frame").
    return menu_counts.child_lines(user, child, translation.get_language(), build)
