"""Appending to the access log, and checking that nobody rewrote it: one hash chain per child.

Every entry is on a chain (`chain_of`): the chain of the child it is about, or the "system" chain for an
entry about no child. On its chain an entry has a place (`seq`: 1, 2, ...) and a hash over its own fields,
its chain, its place and the previous entry's hash, so changing or removing any entry breaks every hash after
it on that chain. The hash is an HMAC-SHA256 with `AUDIT_HMAC_KEY`, a key that is not in the database.

Appends to different chains never wait on each other: on PostgreSQL each chain has its own transaction-scoped
advisory lock; SQLite allows one writer at a time anyway. The unique (chain, seq) pair makes a fork impossible
even without the lock. The newest entries are caught when removed by comparing with an anchor of every chain's
head kept outside the database (`anchors.py`); the oldest may be pruned after a signed checkpoint
(`prune_before`). See docs/audit-log.md.
"""

import hashlib
import hmac
import json
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .models import AccessLogEntry, PrunePermit

security_log = logging.getLogger("driehoek.security")

GENESIS = "0" * 64
_LOCK_NAMESPACE = 7513  # the first key of pg_advisory_xact_lock(int, int); the second is the chain's

LEGACY_SCHEME = 1  # global chain, plain SHA-256 (entries written before keying); only read by migration 0004
KEYED_SCHEME = 2  # global chain, HMAC-SHA256; only read by migration 0004
CHAIN_SCHEME = 3  # chain per child, HMAC-SHA256 over the fields below, the chain, the place and the scheme
NEN7513_SCHEME = 4  # as 3, and also the NEN 7513 fields (migration 0005)
CURRENT_SCHEME = NEN7513_SCHEME

SYSTEM_CHAIN = "system"

_GLOBAL_CHAIN_FIELDS = (
    "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category",
    "object_type", "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip",
)  # fmt: skip
# The NEN 7513 fields (migration 0005): purpose of use, the responsible user and the access point
# (docs/audit-log.md). Entries written before them are scheme 3 and keep their exact hash.
NEN7513_FIELDS = ("purpose", "responsible_id", "responsible_name", "access_point")
# What is hashed, per scheme: the one place that defines it. A scheme's list never changes once entries carry
# it; hashing another field means a new scheme number with its own list here (and CURRENT_SCHEME pointing at it).
SCHEME_FIELDS = {
    LEGACY_SCHEME: _GLOBAL_CHAIN_FIELDS,
    KEYED_SCHEME: _GLOBAL_CHAIN_FIELDS,
    CHAIN_SCHEME: (*_GLOBAL_CHAIN_FIELDS, "chain", "seq"),
    NEN7513_SCHEME: (*_GLOBAL_CHAIN_FIELDS, "chain", "seq", *NEN7513_FIELDS),
}
HASHED_FIELDS = SCHEME_FIELDS[CURRENT_SCHEME]


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
    """The hash of one entry (a dict holding at least the scheme's fields) after `prev_hash`."""
    try:
        fields = SCHEME_FIELDS[scheme]
    except KeyError:
        raise ValueError(f"Unknown access-log hash scheme {scheme!r}.") from None
    # A NEN 7513 field left out by a writer is stored as NULL, and hashed as such.
    payload = {k: values.get(k) if k in NEN7513_FIELDS else values[k] for k in fields}
    at = payload["at"]
    payload["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    payload["prev"] = prev_hash
    if scheme == LEGACY_SCHEME:
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    payload["scheme"] = scheme
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hmac.new(hmac_key(), body, hashlib.sha256).hexdigest()


def chain_of(child_id) -> str:
    """The chain an entry goes on: its child's, or the system chain for an entry about no child."""
    return f"child:{child_id}" if child_id is not None else SYSTEM_CHAIN


def _lock_key(chain: str) -> int:
    if chain.startswith("child:"):
        return int(chain.removeprefix("child:")) % 2**31
    return -(zlib.crc32(chain.encode()) % 2**31) - 1  # negative: never a child's key


def _lock_chains(chains: list[str]) -> None:
    """One lock per chain, taken in a fixed order (two appends of several chains cannot deadlock)."""
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time
    keys = sorted({_lock_key(chain) for chain in chains})
    with connection.cursor() as cursor:
        if len(keys) == 1:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, keys[0]])
        else:
            cursor.execute(
                "SELECT count(pg_advisory_xact_lock(%s, k)) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS keys",
                [_LOCK_NAMESPACE, keys],
            )


def _heads(chains: list[str]) -> dict[str, tuple[int, str]]:
    """The newest (seq, hash) of each of these chains, in one query (each row found through the unique index)."""
    newest = AccessLogEntry.objects.filter(chain=OuterRef("chain")).order_by("-seq").values("seq")[:1]
    rows = AccessLogEntry.objects.filter(chain__in=chains, seq=Subquery(newest)).values_list("chain", "seq", "hash")
    return {chain: (seq, digest) for chain, seq, digest in rows}


def append(entries: list[dict]) -> list[AccessLogEntry]:
    """Append entries (dicts of model fields, without chain and hashes), each to its child's chain, in order.

    Runs inside the caller's transaction when there is one, so an entry commits or rolls back with the read or
    change it records; the chains' locks are held until then."""
    if not entries:
        return []
    now = timezone.now()
    prepared = []
    for values in entries:
        values = {"at": now, "ip": None, "consent_id": None, "object_id": "", **values}
        values["object_id"] = str(values["object_id"])
        values["chain"] = chain_of(values.get("child_id"))
        prepared.append(values)
    chains = list(dict.fromkeys(values["chain"] for values in prepared))
    # No savepoint of its own inside the caller's transaction: if the append fails, the read or change it
    # records fails with it (two queries fewer on every page that runs in a transaction).
    with transaction.atomic(savepoint=False):
        _lock_chains(chains)
        heads = _heads(chains)
        objs = []
        for values in prepared:
            seq, prev = heads.get(values["chain"], (0, GENESIS))
            values["seq"] = seq + 1
            digest = entry_hash(values, prev)
            objs.append(AccessLogEntry(**values, scheme=CURRENT_SCHEME, prev_hash=prev, hash=digest))
            heads[values["chain"]] = (seq + 1, digest)
        return AccessLogEntry.objects.bulk_create(objs)


# --- verification ---------------------------------------------------------------------------------------------


class Verification(NamedTuple):
    ok: bool
    checked: int  # entries found good
    broken_at: int | None  # id of the first entry that fails, when there is one
    reason: str = ""
    chain: str = ""  # the chain that fails
    chains: int = 0  # chains checked


ROW_FIELDS = (*HASHED_FIELDS, "pk", "scheme", "prev_hash", "hash")


def _heads_of(anchor) -> dict[str, tuple[int, str]]:
    return {chain: (int(seq), digest) for chain, (seq, digest) in (anchor.heads if anchor else {}).items()}


def verify_rows(rows: Iterable[dict], anchor_heads: dict, checkpoints: list[dict], only: str | None = None):
    """The check itself, over rows ordered by (chain, seq) (dicts of ROW_FIELDS, with "pk").

    `anchor_heads` ({chain: (seq, hash)}): every chain there must reach its anchored entry with that hash, or
    have been pruned past it. `checkpoints` ({chain: (seq, hash)} each): a chain may start right after one of its
    checkpointed entries instead of at the beginning. `only`: check just this chain (a family's own check).
    Also used by migration 0004, on the historical model."""
    starts: dict[str, set] = {}
    for heads in checkpoints:
        for chain, position in heads.items():
            starts.setdefault(chain, set()).add(position)
    checked = 0
    chains = 0
    current = None
    seen = set()
    prev = GENESIS
    prev_seq = 0
    first_seq = 0

    def finish(chain) -> Verification | None:
        anchored = anchor_heads.get(chain)
        if anchored is None:
            return None
        seq, digest = anchored
        if prev_seq < seq and first_seq - 1 < seq:
            return Verification(False, checked, None, f"the chain ends before the anchored entry {seq}", chain, chains)
        if first_seq - 1 == seq and first_start != digest:
            return Verification(False, checked, None, "the entry differs from the anchor", chain, chains)
        return None

    first_start = GENESIS
    for row in rows:
        chain = row["chain"]
        if chain != current:
            if current is not None:
                failed = finish(current)
                if failed:
                    return failed
            current, chains = chain, chains + 1
            seen.add(chain)
            first_seq, first_start = row["seq"], row["prev_hash"]
            start = (row["seq"] - 1, row["prev_hash"])
            if not (start == (0, GENESIS) or start in starts.get(chain, ())):
                reason = "the chain does not start at the beginning or a checkpoint"
                return Verification(False, checked, row["pk"], reason, chain, chains)
            prev, prev_seq = row["prev_hash"], row["seq"] - 1
        pk = row["pk"]
        if row["scheme"] < CHAIN_SCHEME:
            reason = "an entry with a hash scheme from before the chain per child"
            return Verification(False, checked, pk, reason, chain, chains)
        if row["chain"] != chain_of(row["child_id"]):
            return Verification(False, checked, pk, "an entry on another child's chain", chain, chains)
        try:
            expected = entry_hash(row, prev, row["scheme"])
        except ValueError:
            return Verification(False, checked, pk, "an unknown hash scheme", chain, chains)
        if row["seq"] != prev_seq + 1 or row["prev_hash"] != prev or not hmac.compare_digest(expected, row["hash"]):
            return Verification(False, checked, pk, "an entry was changed, removed or inserted", chain, chains)
        anchored = anchor_heads.get(chain)
        if anchored and anchored[0] == row["seq"] and anchored[1] != row["hash"]:
            return Verification(False, checked, pk, "the entry differs from the anchor", chain, chains)
        prev, prev_seq = row["hash"], row["seq"]
        checked += 1
    if current is not None:
        failed = finish(current)
        if failed:
            return failed
    wanted = [only] if only is not None else sorted(anchor_heads)
    for chain in wanted:
        if chain in seen or chain not in anchor_heads:
            continue
        pruned_to = max((seq for seq, _digest in starts.get(chain, ())), default=0)
        if pruned_to < anchor_heads[chain][0]:
            return Verification(False, checked, None, "a whole chain is missing", chain, chains)
    return Verification(True, checked, None, "", "", chains)


def _rows(queryset, batch_size: int) -> Iterator[dict]:
    """Rows ordered by (chain, seq), read in batches (keyset pagination on the unique index)."""
    after = None
    while True:
        page = queryset
        if after is not None:
            page = page.filter(Q(chain__gt=after[0]) | Q(chain=after[0], seq__gt=after[1]))
        batch = list(page.order_by("chain", "seq").values(*ROW_FIELDS)[:batch_size])
        if not batch:
            return
        yield from batch
        after = (batch[-1]["chain"], batch[-1]["seq"])


def past_retention(checkpoint, now=None) -> bool:
    """Only a checkpoint written more than AUDIT_RETENTION_DAYS ago may mark where a chain starts: a younger one
    would let someone delete a child's recent entries and call it pruning."""
    written = datetime.fromisoformat(checkpoint.written_at)
    return written <= (now or datetime.now(UTC)) - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def verify_chain(chain: str | None = None, anchor=None, checkpoints=(), batch_size: int = 2000) -> Verification:
    """Recompute every hash of one chain (`chain`), or of every chain of the installation (None).

    `anchor` (anchors.Anchor, optional) holds the heads of all chains recorded outside the database: each chain
    must reach its anchored entry with the same hash there. `checkpoints` (anchors.Anchor of kind "checkpoint")
    allow the oldest entries of a chain up to a checkpointed head to be gone (pruned after the retention
    period): the chain may then start with the entry that follows it. Checkpoints younger than the retention
    period are ignored (`past_retention`).
    """
    for outside in (anchor, *checkpoints):
        if outside is not None and not outside.is_authentic():
            return Verification(False, 0, None, "the anchor is not authentic (wrong AUDIT_HMAC_KEY, or forged)")
    anchor_heads = _heads_of(anchor)
    checkpoint_heads = [_heads_of(checkpoint) for checkpoint in checkpoints if past_retention(checkpoint)]
    queryset = AccessLogEntry.objects.all()
    if chain is not None:
        queryset = queryset.filter(chain=chain)
        anchor_heads = {chain: anchor_heads[chain]} if chain in anchor_heads else {}
        checkpoint_heads = [{chain: heads[chain]} for heads in checkpoint_heads if chain in heads]
    return verify_rows(_rows(queryset, batch_size), anchor_heads, checkpoint_heads, only=chain)


# --- retention ------------------------------------------------------------------------------------------------


class PruneError(Exception):
    """The start of a chain cannot be pruned at this checkpoint."""


def prune_before(chain: str, checkpoint) -> int:
    """Delete the entries of `chain` up to and including its head in `checkpoint`; returns how many went.

    The deliberate way past the DELETE trigger (docs/audit-log.md, "Retention"): the checkpoint must be an
    authentic checkpoint anchor older than the retention period, already recorded outside the database, and the
    chain must verify up to it;
    then, in one transaction, a permit row for exactly this chain and place lets the trigger pass the delete of
    those rows, and is removed again. Needs the owner role on PostgreSQL (the app role may not DELETE)."""
    if checkpoint.kind != "checkpoint" or not checkpoint.is_authentic():
        raise PruneError("not an authentic checkpoint")
    if not past_retention(checkpoint):
        raise PruneError("the checkpoint is younger than the retention period")
    if chain not in checkpoint.heads:
        raise PruneError(f"the checkpoint does not hold chain {chain}")
    up_to, digest = checkpoint.heads[chain]
    with transaction.atomic():
        _lock_chains([chain])
        at_checkpoint = AccessLogEntry.objects.filter(chain=chain, seq=up_to).values_list("hash", flat=True).first()
        if at_checkpoint is None:
            if AccessLogEntry.objects.filter(chain=chain, seq__lt=up_to).exists():
                raise PruneError("the checkpointed entry is missing")
            return 0  # already pruned this far
        if at_checkpoint != digest:
            raise PruneError("the entry at the checkpoint has another hash")
        result = verify_chain(chain=chain, checkpoints=[checkpoint])
        if not result.ok:
            raise PruneError(f"the chain does not verify: {result.reason}")
        permit = PrunePermit.objects.create(chain=chain, up_to_seq=up_to, checkpoint_written_at=checkpoint.written_at)
        table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE chain = %s AND seq <= %s", [chain, up_to])  # noqa: S608
            removed = cursor.rowcount
        permit.delete()
    security_log.info(
        "access log pruned",
        extra={"event": "audit_pruned", "chain": chain, "up_to_seq": up_to, "removed": removed,
               "checkpoint": checkpoint.written_at},
    )  # fmt: skip
    return removed
