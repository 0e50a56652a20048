"""Anchors: the head of every chain of the access log, written down outside the database.

The keyed hash (log.py) stops anyone without AUDIT_HMAC_KEY from editing an entry and recomputing the rest
of its chain, but not from cutting off the newest entries: what is left still verifies. An anchor records the
newest entry of every chain at some moment (its place and hash, per chain). It is written every hour and at
every backup to AUDIT_ANCHOR_DIR (storage the database's users cannot write), into the backup's manifest, and as
a JSON line on the `driehoek.security` log. `verify_audit_chain` then fails when a chain no longer reaches its
anchored entry, or the entry there has another hash.

Each anchor carries an HMAC with the same key over all its heads, so a file placed in the directory by someone
without the key is refused rather than trusted. Kinds: "head" (hourly), "backup", "restore" (the log was
deliberately set back to a backup; the security log says so), and "checkpoint" (written every
AUDIT_CHECKPOINT_DAYS; the oldest entries of a chain up to its head in a checkpoint may be pruned after the
retention period, and verification then starts from it). Files from before the chain per child (one global
head, a "pk") are kept as history and skipped.
"""

import hashlib
import hmac
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection

from .log import hmac_key, past_retention

security_log = logging.getLogger("driehoek.security")

HEAD_KINDS = ("head", "backup", "restore")
KINDS = (*HEAD_KINDS, "checkpoint")


class AnchorError(Exception):
    """An anchor that cannot be read or is not authentic."""


@dataclass(frozen=True)
class Anchor:
    kind: str
    heads: dict  # {chain: [seq, hash]}: the newest entry of every chain
    written_at: str  # ISO 8601, UTC
    note: str = ""  # e.g. the backup's name
    mac: str = ""

    def _body(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "mac"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self) -> "Anchor":
        return replace(self, mac=hmac.new(hmac_key(), self._body(), hashlib.sha256).hexdigest())

    def is_authentic(self) -> bool:
        try:
            expected = hmac.new(hmac_key(), self._body(), hashlib.sha256).hexdigest()
        except TypeError:
            return False
        return self.kind in KINDS and hmac.compare_digest(expected, self.mac)

    def head(self, chain: str) -> tuple[int, str] | None:
        found = self.heads.get(chain)
        return (int(found[0]), str(found[1])) if found else None

    @classmethod
    def from_dict(cls, data: dict) -> "Anchor":
        if isinstance(data, dict) and "pk" in data and "heads" not in data:
            raise LegacyAnchor("An anchor of the one global chain, from before the chain per child (audit 0004).")
        try:
            heads = data["heads"]
            if not isinstance(heads, dict):
                raise TypeError("heads is not a mapping")
            return cls(
                kind=str(data["kind"]),
                heads={str(chain): [int(seq), str(digest)] for chain, (seq, digest) in heads.items()},
                written_at=str(data["written_at"]),
                note=str(data.get("note", "")),
                mac=str(data.get("mac", "")),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise AnchorError(f"Not an access-log anchor: {e}") from e


class LegacyAnchor(AnchorError):
    """An anchor file from before the chain per child: history, not something to verify against."""


def heads_now(using=None) -> dict:
    """{chain: [seq, hash]} of every chain, from the database (raw SQL, so migration 0004 can use it too)."""
    conn = using or connection
    table = conn.ops.quote_name("audit_accesslogentry")
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT e.chain, e.seq, e.hash FROM {table} e JOIN "  # noqa: S608 - no user input
            f"(SELECT chain, MAX(seq) AS seq FROM {table} GROUP BY chain) h ON h.chain = e.chain AND h.seq = e.seq"
        )
        return {chain: [seq, digest] for chain, seq, digest in cursor.fetchall()}


def current(kind: str, note: str = "", using=None) -> Anchor | None:
    """A signed anchor of every chain's newest entry now, or None while the log is empty."""
    heads = heads_now(using)
    if not heads:
        return None
    written_at = datetime.now(UTC).isoformat(timespec="microseconds")
    return Anchor(kind, heads, written_at, note).signed()


def _directory() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def record(anchor: Anchor) -> Anchor:
    """Write the anchor to AUDIT_ANCHOR_DIR (atomically) and to the security log; returns it signed."""
    anchor = anchor.signed()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = anchor.written_at.replace("-", "").replace(":", "").replace("+0000", "Z").replace(".", "")
    name = f"anchor-{stamp}-{anchor.kind}-{len(anchor.heads)}.json"
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".anchor-")
    with os.fdopen(handle, "w") as out:
        json.dump(asdict(anchor), out, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, directory / name)
    security_log.info("access log anchored", extra={"event": "audit_anchor", "anchor": asdict(anchor)})
    return anchor


def _paths() -> list[Path]:
    directory = _directory()
    return sorted(directory.glob("anchor-*.json")) if directory.is_dir() else []


def _load_current(path: Path) -> Anchor | None:
    try:
        return load(path)
    except LegacyAnchor:
        return None


def stored(kinds: tuple[str, ...] = KINDS) -> list[Anchor]:
    """The anchors in AUDIT_ANCHOR_DIR of these kinds, oldest first (the names sort by time)."""
    return [anchor for anchor in map(_load_current, _paths()) if anchor is not None and anchor.kind in kinds]


def newest(kinds: tuple[str, ...] = HEAD_KINDS) -> Anchor | None:
    for path in reversed(_paths()):
        anchor = _load_current(path)
        if anchor is not None and anchor.kind in kinds:
            return anchor
    return None


def checkpoints() -> list[Anchor]:
    """Every checkpoint in AUDIT_ANCHOR_DIR, oldest first: where chains may start after pruning."""
    return stored(("checkpoint",))


def load(path: Path | str) -> Anchor:
    """An anchor from a file: one anchor as JSON, or JSON lines of the security log (the last `audit_anchor`)."""
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise AnchorError(f"Cannot read anchor {path}: {e}") from e
    try:
        return Anchor.from_dict(json.loads(text))
    except LegacyAnchor:
        raise
    except (json.JSONDecodeError, AnchorError):
        pass
    found = None
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and entry.get("event") == "audit_anchor":
            found = entry.get("anchor")
    if found is None:
        raise AnchorError(f"No access-log anchor in {path}.")
    return Anchor.from_dict(found)


def anchor_head(kind: str = "head") -> Anchor | None:
    """Record every chain's head, unless the newest stored anchor already holds them (an idle hour adds no file)."""
    anchor = current(kind)
    if anchor is None:
        return None
    last = newest()
    if kind == "head" and last and last.heads == anchor.heads:
        return last
    return record(anchor)


def checkpoint_if_due(now: datetime | None = None) -> Anchor | None:
    """Record a checkpoint of every chain's head when the newest is older than AUDIT_CHECKPOINT_DAYS (or none)."""
    now = now or datetime.now(UTC)
    found = checkpoints()
    if found and now - datetime.fromisoformat(found[-1].written_at) < timedelta(days=settings.AUDIT_CHECKPOINT_DAYS):
        return None
    anchor = current("checkpoint")
    return record(anchor) if anchor else None


def checkpoint_for_retention(now: datetime | None = None) -> Anchor | None:
    """The newest checkpoint older than the log's retention (AUDIT_RETENTION_DAYS): what `audit_prune` prunes to."""
    old = [c for c in checkpoints() if past_retention(c, now)]
    return old[-1] if old else None
