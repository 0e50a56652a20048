"""One hash chain per child instead of one for the whole database (issue 17 item 4, docs/audit-log.md).

Before anything is rewritten, the existing global chain is checked (its plain and keyed hashes, and the newest
old-style anchor in AUDIT_ANCHOR_DIR when there is one): a broken log is not re-chained, so a break is never
laundered into a valid chain; the migration stops and says where. Then every entry, oldest first, is put on
its child's chain with a place (`seq`) and an HMAC of scheme 3, the new chains are verified, and an anchor of
every chain head is recorded (file and security log). Needs the production AUDIT_HMAC_KEY, which the app
needs anyway. Backwards: the entries are chained again into the one global chain (scheme 2), in id order.
The guard triggers are lifted meanwhile and put back in their new form (a prune permit may pass a DELETE).
"""

import hmac
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

BATCH = 2000
# The fields of schemes 1 to 3 as they are at this migration (apps/audit/log.py SCHEME_FIELDS), frozen here.
V3_FIELDS = (
    "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category",
    "object_type", "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip",
)  # fmt: skip


class BrokenLogError(Exception):
    pass


def _batches(Entry, fields):
    last = 0
    while True:
        rows = list(Entry.objects.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _old_anchor():
    """The newest anchor of the global chain in AUDIT_ANCHOR_DIR ({"pk", "hash", "legacy_until"}), if any."""
    directory = Path(settings.AUDIT_ANCHOR_DIR)
    for path in sorted(directory.glob("anchor-*.json"), reverse=True) if directory.is_dir() else []:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "pk" in data and "heads" not in data:
            body = json.dumps({k: v for k, v in data.items() if k != "mac"}, sort_keys=True, separators=(",", ":"))
            from apps.audit.log import hmac_key

            expected = hmac.new(hmac_key(), body.encode(), "sha256").hexdigest()
            if not hmac.compare_digest(expected, str(data.get("mac", ""))):
                raise BrokenLogError(f"The anchor {path.name} is not authentic.")
            return data
    return None


def _check_global_chain(Entry):
    from apps.audit.log import GENESIS, KEYED_SCHEME, LEGACY_SCHEME, entry_hash

    anchor = _old_anchor()
    prev, scheme_so_far, reached = None, LEGACY_SCHEME, anchor is None
    for rows in _batches(Entry, (*V3_FIELDS, "scheme", "prev_hash", "hash")):
        for row in rows:
            if prev is None:
                if row["prev_hash"] != GENESIS:
                    raise BrokenLogError(f"entry {row['pk']}: the chain does not start at the beginning")
                prev = GENESIS
            if row["scheme"] not in (LEGACY_SCHEME, KEYED_SCHEME) or row["scheme"] < scheme_so_far:
                raise BrokenLogError(f"entry {row['pk']}: unexpected hash scheme {row['scheme']}")
            if anchor and row["scheme"] == LEGACY_SCHEME and row["pk"] > int(anchor["legacy_until"]):
                raise BrokenLogError(f"entry {row['pk']}: an unkeyed entry newer than the anchor allows")
            expected = entry_hash(row, prev, row["scheme"])
            if row["prev_hash"] != prev or not hmac.compare_digest(expected, row["hash"]):
                raise BrokenLogError(f"entry {row['pk']}: changed, removed or inserted")
            if anchor and row["pk"] == int(anchor["pk"]):
                if row["hash"] != anchor["hash"]:
                    raise BrokenLogError(f"entry {row['pk']} differs from the anchor")
                reached = True
            prev, scheme_so_far = row["hash"], row["scheme"]
    if not reached:
        raise BrokenLogError(f"the chain ends before the anchored entry {anchor['pk']}")


def rechain_per_child(apps, schema_editor):
    from apps.audit import anchors
    from apps.audit.log import CHAIN_SCHEME, GENESIS, chain_of, entry_hash, verify_rows

    Entry = apps.get_model("audit", "AccessLogEntry")
    if not Entry.objects.exists():
        return
    try:
        _check_global_chain(Entry)
    except BrokenLogError as e:
        raise BrokenLogError(
            f"The access log does not verify ({e}); it is not re-chained. Run verify_audit_chain with the previous "
            "version, find out what happened (restore the backup if it was tampered with), then migrate again."
        ) from e
    heads: dict[str, tuple[int, str]] = {}
    for rows in _batches(Entry, V3_FIELDS):
        objs = []
        for row in rows:
            chain = chain_of(row["child_id"])
            seq, prev = heads.get(chain, (0, GENESIS))
            row.update(chain=chain, seq=seq + 1)
            digest = entry_hash(row, prev, CHAIN_SCHEME)
            heads[chain] = (seq + 1, digest)
            objs.append(Entry(pk=row["pk"], chain=chain, seq=seq + 1, scheme=CHAIN_SCHEME, prev_hash=prev, hash=digest))
        Entry.objects.bulk_update(objs, ["chain", "seq", "scheme", "prev_hash", "hash"], batch_size=500)

    def ordered():
        for chain in sorted(heads):
            yield from (
                Entry.objects.filter(chain=chain)
                .order_by("seq")
                .values("pk", *V3_FIELDS, "chain", "seq", "scheme", "prev_hash", "hash")
                .iterator(chunk_size=BATCH)
            )

    expected = {chain: head for chain, head in heads.items()}
    result = verify_rows(ordered(), expected, [])
    if not result.ok or result.checked != Entry.objects.count():
        raise BrokenLogError(f"Re-chaining failed its own check: {result.reason} ({result.chain}).")
    anchor = anchors.current("head", note="0004_chain_per_child", using=schema_editor.connection)
    if anchor is not None:
        anchors.record(anchor)


def rechain_globally(apps, schema_editor):
    from apps.audit.log import GENESIS, KEYED_SCHEME, entry_hash

    Entry = apps.get_model("audit", "AccessLogEntry")
    prev = GENESIS
    for rows in _batches(Entry, V3_FIELDS):
        objs = []
        for row in rows:
            digest = entry_hash(row, prev, KEYED_SCHEME)
            objs.append(Entry(pk=row["pk"], scheme=KEYED_SCHEME, prev_hash=prev, hash=digest))
            prev = digest
        Entry.objects.bulk_update(objs, ["scheme", "prev_hash", "hash"], batch_size=500)


def lift_guards(apps, schema_editor):
    from apps.audit import guards

    guards.remove(schema_editor.connection)


def install_guards(apps, schema_editor):
    from apps.audit import guards

    guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_keyed_hashes_and_guards"),
    ]

    operations = [
        migrations.RunPython(lift_guards, install_guards),
        migrations.CreateModel(
            name="PrunePermit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.CharField(max_length=40)),
                ("up_to_seq", models.PositiveBigIntegerField()),
                ("checkpoint_written_at", models.CharField(max_length=40)),
            ],
            options={"verbose_name": "prune permit"},
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="chain",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=3),
        ),
        migrations.RunPython(rechain_per_child, rechain_globally),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_one_entry_per_chain_place"),
        ),
        # Last: on SQLite the operations above rebuild the table, which drops its triggers.
        migrations.RunPython(install_guards, lift_guards),
    ]
