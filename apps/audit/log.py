"""Appending to the access log, and checking that nobody rewrote it.

Each entry's hash covers its own fields and the previous entry's hash, so changing or removing any
entry breaks every hash after it. Appends are serialised (an advisory lock on PostgreSQL; SQLite
already allows one writer at a time) so the chain never forks.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.utils import timezone

from .models import AccessLogEntry

GENESIS = "0" * 64
_LOCK_KEY = 7513

HASHED_FIELDS = (
    "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category",
    "object_type", "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip",
)  # fmt: skip


@dataclass
class Actor:
    """Who acts, and through which access point (web, api, job, export)."""

    user: object
    channel: str = "web"
    ip: str | None = None

    @classmethod
    def from_request(cls, request, channel: str = "web") -> "Actor":
        return cls(user=request.user, channel=channel, ip=request.META.get("REMOTE_ADDR"))


def entry_hash(values: dict, prev_hash: str) -> str:
    payload = {k: values[k] for k in HASHED_FIELDS}
    at = payload["at"]
    payload["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    payload["prev"] = prev_hash
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


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
            objs.append(AccessLogEntry(**values, prev_hash=prev, hash=digest))
            prev = digest
        return AccessLogEntry.objects.bulk_create(objs)


def verify_chain(batch_size: int = 2000) -> tuple[bool, int, int | None]:
    """Walk the whole log in order. Returns (ok, entries checked, pk of the first broken entry)."""
    prev = GENESIS
    checked = 0
    last_pk = 0
    fields = (*HASHED_FIELDS, "pk", "prev_hash", "hash")
    while True:
        rows = list(AccessLogEntry.objects.filter(pk__gt=last_pk).order_by("pk").values(*fields)[:batch_size])
        if not rows:
            return True, checked, None
        for row in rows:
            if row["prev_hash"] != prev or entry_hash(row, prev) != row["hash"]:
                return False, checked, row["pk"]
            prev = row["hash"]
            checked += 1
            last_pk = row["pk"]
