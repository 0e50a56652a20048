"""Appending to the access log, and checking that nobody rewrote it.

Each entry's hash covers its own fields and the previous entry's hash, so changing or removing any
entry breaks every hash after it. Since scheme 2 the hash is an HMAC-SHA256 with `AUDIT_HMAC_KEY`, a key
that is not in the database: someone who can write the database cannot recompute the chain. Entries
written before that (scheme 1, plain SHA-256) keep their hash; they can only form the start of the chain.
The newest entries are caught when removed by comparing with an anchor kept outside the database
(`anchors.py`). Appends are serialised (an advisory lock on PostgreSQL; SQLite already allows one writer
at a time) so the chain never forks. See docs/audit-log.md.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from .models import AccessLogEntry

GENESIS = "0" * 64
_LOCK_KEY = 7513

LEGACY_SCHEME = 1  # plain SHA-256 over the fields and the previous hash (entries written before keying)
KEYED_SCHEME = 2  # HMAC-SHA256 with AUDIT_HMAC_KEY over the same fields, the scheme and the previous hash
CURRENT_SCHEME = KEYED_SCHEME

HASHED_FIELDS = (
    "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category",
    "object_type", "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip",
    "purpose", "responsible_id", "responsible_name", "access_point",
)  # fmt: skip
# The NEN 7513 fields (migration 0004): NULL on entries written before them, so the hash covers them only when set;
# an older entry's payload, and so its hash, is what it was. Every new entry sets all four (docs/audit-log.md).
NEN7513_FIELDS = frozenset({"purpose", "responsible_id", "responsible_name", "access_point"})


@dataclass
class Actor:
    """Who acts, and through which channel (web, api, feed, job, import).

    NEN 7513 (docs/audit-log.md): `purpose` overrides the purpose of use the policy derives from the rule that
    decided; `on_behalf_of` names the responsible user when that is someone else than `user`; `access_point`
    overrides the one derived from the channel and the action (page, api, feed, task, export, import)."""

    user: object
    channel: str = "web"
    ip: str | None = None
    purpose: str = ""
    on_behalf_of: object = None
    access_point: str = ""

    @classmethod
    def from_request(cls, request, channel: str = "web") -> "Actor":
        return cls(user=request.user, channel=channel, ip=request.META.get("REMOTE_ADDR"))


def hmac_key() -> bytes:
    key = settings.AUDIT_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("AUDIT_HMAC_KEY is not set.")
    return key.encode()


def entry_hash(values: dict, prev_hash: str, scheme: int = CURRENT_SCHEME) -> str:
    payload = {}
    for k in HASHED_FIELDS:
        if k not in NEN7513_FIELDS or values.get(k) is not None:
            payload[k] = values[k]
    at = payload["at"]
    payload["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    payload["prev"] = prev_hash
    if scheme == LEGACY_SCHEME:
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    if scheme == KEYED_SCHEME:
        payload["scheme"] = scheme
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
        return hmac.new(hmac_key(), body, hashlib.sha256).hexdigest()
    raise ValueError(f"Unknown access-log hash scheme {scheme!r}.")


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def append(entries: list[dict]) -> list[AccessLogEntry]:
    """Append entries (dicts of model fields, without hashes) in one go, chained in order."""
    if not entries:
        return []
    with transaction.atomic():
        _lock_chain()
        prev = AccessLogEntry.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
        objs = []
        now = timezone.now()
        for values in entries:
            values = {"at": now, "ip": None, "consent_id": None, "object_id": "", **values}
            values["object_id"] = str(values["object_id"])
            digest = entry_hash(values, prev)
            objs.append(AccessLogEntry(**values, scheme=CURRENT_SCHEME, prev_hash=prev, hash=digest))
            prev = digest
        return AccessLogEntry.objects.bulk_create(objs)


class Verification(NamedTuple):
    ok: bool
    checked: int  # entries found good
    broken_at: int | None  # id of the first entry that fails, when there is one
    reason: str = ""


def verify_chain(anchor=None, checkpoint=None, batch_size: int = 2000) -> Verification:
    """Walk the whole log in order, recomputing every hash.

    `anchor` (anchors.Anchor, optional) is the newest head recorded outside the database: the chain must reach
    it with the same hash there, and no unkeyed entry may come after the one it names. `checkpoint` (optional)
    allows the oldest entries up to it to be gone (pruned after the retention period): the chain may then start
    with the entry that follows it.
    """
    for outside in (anchor, checkpoint):
        if outside is not None and not outside.is_authentic():
            return Verification(False, 0, None, "the anchor is not authentic (wrong AUDIT_HMAC_KEY, or forged)")
    prev = None
    scheme_so_far = LEGACY_SCHEME
    checked = 0
    last_pk = 0
    reached_anchor = anchor is None
    fields = (*HASHED_FIELDS, "pk", "scheme", "prev_hash", "hash")
    while True:
        rows = list(AccessLogEntry.objects.filter(pk__gt=last_pk).order_by("pk").values(*fields)[:batch_size])
        if not rows:
            break
        for row in rows:
            pk = row["pk"]
            if prev is None:  # the first entry starts the chain, or follows a checkpoint
                if row["prev_hash"] == GENESIS:
                    prev = GENESIS
                elif checkpoint is not None and row["prev_hash"] == checkpoint.hash and pk > checkpoint.pk:
                    prev = checkpoint.hash
                else:
                    return Verification(False, checked, pk, "the chain does not start at the beginning or a checkpoint")
            scheme = row["scheme"]
            if scheme < scheme_so_far:
                return Verification(False, checked, pk, "an unkeyed entry after keyed ones")
            if anchor is not None and scheme == LEGACY_SCHEME and pk > anchor.legacy_until:
                return Verification(False, checked, pk, "an unkeyed entry newer than the anchor allows")
            try:
                expected = entry_hash(row, prev, scheme)
            except ValueError:
                return Verification(False, checked, pk, "an unknown hash scheme")
            if row["prev_hash"] != prev or not hmac.compare_digest(expected, row["hash"]):
                return Verification(False, checked, pk, "an entry was changed, removed or inserted")
            for outside in (anchor, checkpoint):
                if outside is not None and pk == outside.pk and row["hash"] != outside.hash:
                    return Verification(False, checked, pk, "the entry differs from the anchor")
            reached_anchor = reached_anchor or pk == anchor.pk
            scheme_so_far = scheme
            prev = row["hash"]
            checked += 1
            last_pk = pk
    if not reached_anchor:
        if last_pk < anchor.pk:
            return Verification(False, checked, None, f"the chain ends before the anchored entry {anchor.pk}")
        return Verification(False, checked, anchor.pk, "the anchored entry is missing")
    return Verification(True, checked, None)
