"""Anchors: the access log's head, written down outside the database.

The keyed hash (log.py) stops anyone without AUDIT_HMAC_KEY from editing an entry and recomputing the rest
of the chain, but not from cutting off the newest entries: what is left still verifies. An anchor records
which entry was the newest at some moment (its id and hash). It is written every hour and at every backup to
AUDIT_ANCHOR_DIR (storage the database's users cannot write), into the backup's manifest, and as a JSON line
on the `driehoek.security` log. `verify_audit_chain` then fails when the chain no longer reaches the newest
anchor, or the entry there has another hash.

Each anchor carries an HMAC with the same key, so a file placed in the directory by someone without the key
is refused rather than trusted. Kinds: "head" (hourly), "backup", "restore" (the chain was deliberately set
back to a backup; the security log says so), and "checkpoint" (the oldest entries up to and including this
one may be pruned after the retention period; verification then starts from it).
"""

import hashlib
import hmac
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from .log import KEYED_SCHEME, LEGACY_SCHEME, hmac_key
from .models import AccessLogEntry

security_log = logging.getLogger("driehoek.security")

HEAD_KINDS = ("head", "backup", "restore")
KINDS = (*HEAD_KINDS, "checkpoint")


class AnchorError(Exception):
    """An anchor that cannot be read or is not authentic."""


@dataclass(frozen=True)
class Anchor:
    kind: str
    pk: int  # the anchored entry
    hash: str  # its hash
    legacy_until: int  # the newest entry hashed with the old, unkeyed scheme (0: none); none may come after it
    written_at: str  # ISO 8601, UTC
    note: str = ""  # e.g. the backup's name
    mac: str = ""

    def _body(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "mac"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self) -> "Anchor":
        return replace(self, mac=hmac.new(hmac_key(), self._body(), hashlib.sha256).hexdigest())

    def is_authentic(self) -> bool:
        expected = hmac.new(hmac_key(), self._body(), hashlib.sha256).hexdigest()
        return self.kind in KINDS and hmac.compare_digest(expected, self.mac)

    @classmethod
    def from_dict(cls, data: dict) -> "Anchor":
        try:
            return cls(
                kind=str(data["kind"]),
                pk=int(data["pk"]),
                hash=str(data["hash"]),
                legacy_until=int(data["legacy_until"]),
                written_at=str(data["written_at"]),
                note=str(data.get("note", "")),
                mac=str(data.get("mac", "")),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise AnchorError(f"Not an access-log anchor: {e}") from e


def _legacy_until() -> int:
    """The id of the newest unkeyed entry. They all precede the keyed ones, so this stops at the first keyed one."""
    first_keyed = AccessLogEntry.objects.filter(scheme=KEYED_SCHEME).order_by("pk").values_list("pk", flat=True)[:1]
    if first_keyed:
        before = AccessLogEntry.objects.filter(pk__lt=first_keyed[0]).order_by("-pk").values_list("pk", flat=True)
        return before.first() or 0
    return AccessLogEntry.objects.filter(scheme=LEGACY_SCHEME).order_by("-pk").values_list("pk", flat=True).first() or 0


def current(kind: str, note: str = "") -> Anchor | None:
    """A signed anchor of the newest entry now, or None while the log is empty."""
    head = AccessLogEntry.objects.order_by("-pk").values("pk", "hash").first()
    if head is None:
        return None
    written_at = datetime.now(UTC).isoformat(timespec="microseconds")
    return Anchor(kind, head["pk"], head["hash"], _legacy_until(), written_at, note).signed()


def _directory() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def record(anchor: Anchor) -> Anchor:
    """Write the anchor to AUDIT_ANCHOR_DIR (atomically) and to the security log; returns it signed."""
    anchor = anchor.signed()
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = anchor.written_at.replace("-", "").replace(":", "").replace("+0000", "Z").replace(".", "")
    name = f"anchor-{stamp}-{anchor.kind}-{anchor.pk}.json"
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


def stored(kinds: tuple[str, ...] = KINDS) -> list[Anchor]:
    """The anchors in AUDIT_ANCHOR_DIR of these kinds, oldest first (the names sort by time)."""
    return [anchor for anchor in map(load, _paths()) if anchor.kind in kinds]


def newest(kinds: tuple[str, ...] = HEAD_KINDS) -> Anchor | None:
    for path in reversed(_paths()):
        anchor = load(path)
        if anchor.kind in kinds:
            return anchor
    return None


def load(path: Path | str) -> Anchor:
    """An anchor from a file: one anchor as JSON, or JSON lines of the security log (the last `audit_anchor`)."""
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise AnchorError(f"Cannot read anchor {path}: {e}") from e
    try:
        return Anchor.from_dict(json.loads(text))
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
    """Record the current head, unless the newest stored anchor already holds it (an idle hour adds no file)."""
    anchor = current(kind)
    if anchor is None:
        return None
    last = newest()
    if kind == "head" and last and last.pk == anchor.pk and last.hash == anchor.hash:
        return last
    return record(anchor)
