"""The menu's counts (unread messages, unread notifications, open agreements) cached per person.

Each count is one query, but the unread-message count builds the policy's visible-threads query for every
category, which was half of every page's time (docs/performance.md, "The frame"). So the counts of one
person are kept together in the shared cache under one key, and read with one query per page:

- **Who changes a count clears it.** A notification for a person (a new message notifies its readers),
  their read receipts, their "mark all read" and a change of an agreement they own clear that person's
  entry; every change the policy depends on (`apps.access.apps.MEMO_SOURCES`: consents, guardianships,
  memberships, circles …) moves the shared generation, which makes every entry stale at once. Writes that
  bypass the model signals (`QuerySet.update`, `bulk_create`) call `forget` themselves.
- **Nothing lives long.** An entry holds for the day it was made and at most `TTL` seconds, so a consent
  that ends at midnight, a message to someone who gets no notification of it (an IB'er reading every
  thread of the school), or a change no signal reports shows in the counts within a minute.
- **One write per page at most**: counts built on a page are stored together when the menu is done
  (`flush`), because a write to the database cache is several queries.
- **Only numbers.** The cache holds counts, never what they count; every list behind a count is read live
  through the policy.

Outside a request or task (a shell, a test calling a count directly), or with the setting `MENU_COUNTS_CACHE`
off, nothing is cached. The test suite turns it off (a test that changes data between two visits would
otherwise compare a cached visit with one that refills the cache) and on for the tests of the frame itself
(`tests/performance/`)."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from apps.access.policy import current_memo

TTL = 60  # seconds
GENERATION = "menu-counts:generation"


def _key(user_id) -> str:
    return f"menu-counts:{user_id}"


def _state(user) -> dict | None:
    """This request's view of the person's cached counts (one cache read per request), or None outside one."""
    memo = current_memo()
    if memo is None or not getattr(settings, "MENU_COUNTS_CACHE", True):
        return None
    slot = ("menu-counts", user.pk)
    if slot not in memo.values:
        got = cache.get_many([GENERATION, _key(user.pk)])
        generation = got.get(GENERATION) or ""
        entry = got.get(_key(user.pk)) or {}
        day = timezone.localdate().isoformat()
        fresh = entry.get("generation") == generation and entry.get("day") == day
        memo.values[slot] = {"generation": generation, "day": day, "counts": dict(entry["counts"]) if fresh else {}}
    return memo.values[slot]


def count(user, name: str, build) -> int:
    """The person's count `name`: from the cache when it holds, else `build()` (and stored)."""
    state = _state(user)
    if state is None:
        return build()
    if name not in state["counts"]:
        state["counts"][name] = build()
        state["dirty"] = True
    return state["counts"][name]


def flush(user) -> None:
    """Store the counts this request built (once, after the menu)."""
    memo = current_memo()
    state = memo.values.get(("menu-counts", user.pk)) if memo is not None else None
    if state and state.pop("dirty", False):
        cache.set(_key(user.pk), state, TTL)


def _drop_request_state(user_ids=None) -> None:
    memo = current_memo()
    if memo is None:
        return
    for slot in [s for s in memo.values if isinstance(s, tuple) and s[:1] == ("menu-counts",)]:
        if user_ids is None or slot[1] in user_ids:
            del memo.values[slot]


def forget(user_ids) -> None:
    """These people's counts changed (their notifications, their reading)."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    if ids:
        cache.delete_many([_key(pk) for pk in ids])
        _drop_request_state(ids)


def forget_everyone(**_signal_kwargs) -> None:
    """Something that many people's counts depend on changed: every entry is stale from now on."""
    cache.set(GENERATION, secrets.token_hex(8), None)
    _drop_request_state()


# --- the child page's tile lines ("2 open afspraken"): per person and child, until the child's records change -----

# Models whose writes change a child's tile lines, and how to reach the child from a row.
CHILD_SOURCES = {
    "timeline.TimelineEntry": "child_id",
    "plans.Agreement": "child_id",
    "conversations.Conversation": "child_id",
    "messaging.Thread": "child_id",
    "messaging.Message": "thread__child_id",
}


def _child_key(child_id) -> str:
    return f"menu-counts:child:{child_id}"


def child_lines(user, child, language: str, build) -> dict:
    """The child page's tile lines for this person, in their language: from the cache while nothing of the
    child changed (each write to the child's timeline, agreements, conversations and messages moves the child's
    own version) and nothing the policy depends on changed, for at most `TTL` seconds; else `build()`.
    One cache read on a hit, instead of one policy-filtered aggregate per tile."""
    if current_memo() is None or not getattr(settings, "MENU_COUNTS_CACHE", True):
        return build()
    key = f"menu-counts:tiles:{user.pk}:{child.pk}:{language}"
    got = cache.get_many([GENERATION, _child_key(child.pk), key])
    version = (got.get(GENERATION) or "", got.get(_child_key(child.pk)) or "", timezone.localdate().isoformat())
    entry = got.get(key)
    if entry and tuple(entry["version"]) == version:
        return entry["lines"]
    lines = build()
    cache.set(key, {"version": version, "lines": {str(k): str(v) for k, v in lines.items()}}, TTL)
    return lines


def forget_child(child_id) -> None:
    """Something of this child changed: every person's tile lines of the child are stale."""
    if child_id is not None:
        cache.set(_child_key(child_id), secrets.token_hex(8), None)
