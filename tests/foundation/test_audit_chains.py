"""Issue 17 item 4: one chain per child. Appends to different children never wait on each other (PostgreSQL),
an append commits or rolls back with what it records, and migration 0004 re-chains an existing global log."""

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from apps.audit import anchors, guards
from apps.audit.log import GENESIS, KEYED_SCHEME, LEGACY_SCHEME, append, chain_of, entry_hash, verify_chain
from apps.audit.models import AccessLogEntry

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row and advisory locks of PostgreSQL")
BEFORE = ("audit", "0003_keyed_hashes_and_guards")
AFTER = ("audit", "0004_chain_per_child")
LATEST = ("audit", "0005_nen7513_fields")  # the app's models as they are now, to read the result with


def _entry(child_id: int, label: str = "de kindpagina") -> dict:
    return {
        "actor_id": None,
        "actor_name": "Test",
        "actor_role": "IB'er",
        "actor_organisation": "",
        "child_id": child_id,
        "category": "basic",
        "object_type": "child",
        "object_id": str(child_id),
        "object_label": label,
        "action": "view",
        "allowed": True,
        "basis": "test",
        "channel": "web",
    }


@pytest.mark.django_db
def test_one_append_for_several_children_puts_each_entry_on_its_own_chain():
    append([_entry(1), _entry(2), _entry(1)])
    append([_entry(2)])
    rows = list(AccessLogEntry.objects.order_by("pk").values_list("chain", "seq"))
    assert rows == [("child:1", 1), ("child:2", 1), ("child:1", 2), ("child:2", 2)]
    assert verify_chain().chains == 2 and verify_chain(chain=chain_of(1)).checked == 2


@pytest.mark.django_db
def test_an_append_rolls_back_with_the_change_it_records():
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        append([_entry(1)])
        raise Undone
    assert not AccessLogEntry.objects.exists()
    append([_entry(1)])
    assert AccessLogEntry.objects.get().seq == 1  # the chain starts again at 1, no gap


@pytest.mark.django_db
def test_a_fork_is_impossible_even_without_the_lock():
    append([_entry(1)])
    head = AccessLogEntry.objects.get()
    twin = {**_entry(1, "iets anders"), "at": head.at, "chain": head.chain, "seq": 1, "consent_id": None, "ip": None}
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.create(**twin, scheme=3, prev_hash=GENESIS, hash=entry_hash(twin, GENESIS))


def _write(child_id: int, results: dict, key: str, lock_timeout: str) -> None:
    started = time.monotonic()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
            append([_entry(child_id)])
        results[key] = ("ok", time.monotonic() - started)
    except OperationalError:
        results[key] = ("waited in vain", time.monotonic() - started)
    finally:
        connections.close_all()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_appends_for_two_children_do_not_wait_on_each_other():
    """Child 1's append holds its chain's lock until COMMIT (e.g. inside a long booking); child 2 goes ahead."""
    holding, release = threading.Event(), threading.Event()

    def long_transaction():
        try:
            with transaction.atomic():
                append([_entry(1)])
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=long_transaction)
    holder.start()
    try:
        assert holding.wait(10)
        results = {}
        other = threading.Thread(target=_write, args=(2, results, "other child", "3s"))
        other.start()
        other.join(10)
        same = threading.Thread(target=_write, args=(1, results, "same child", "300ms"))
        same.start()
        same.join(10)
    finally:
        release.set()
        holder.join(20)
    outcome, seconds = results["other child"]
    assert outcome == "ok" and seconds < 1.5
    assert results["same child"][0] == "waited in vain"  # the lock is real: one child's chain never forks
    assert list(AccessLogEntry.objects.order_by("chain", "seq").values_list("chain", "seq")) == [
        ("child:1", 1),
        ("child:2", 1),
    ]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_keep_every_chain_whole():
    def writer(child_id):
        try:
            for _ in range(10):
                append([_entry(child_id), _entry(100)])  # a list read touches a chain shared with the others
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    result = verify_chain()
    assert result.ok and result.checked == 160 and result.chains == 9
    assert AccessLogEntry.objects.filter(chain="child:100").order_by("-seq").values_list("seq", flat=True)[0] == 80


# --- migration 0004 re-chains the global log ----------------------------------------------------------------------


def _migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


def _global_chain(Entry, children: list[int]) -> list[int]:
    """An old log as 0003 left it: the first two entries unkeyed (scheme 1), the rest keyed (scheme 2), one chain."""
    prev = GENESIS
    ids = []
    at = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    for n, child_id in enumerate(children):
        values = {**_entry(child_id, f"pagina {n}"), "at": at + timedelta(minutes=n), "consent_id": None, "ip": None}
        scheme = LEGACY_SCHEME if n < 2 else KEYED_SCHEME
        digest = entry_hash(values, prev, scheme)
        ids.append(Entry.objects.create(**values, scheme=scheme, prev_hash=prev, hash=digest).pk)
        prev = digest
    return ids


@pytest.mark.django_db(transaction=True)
def test_the_migration_rechains_the_log_per_child_and_verifies(settings):
    executor = _migrate(BEFORE)
    try:
        Entry = executor.loader.project_state([BEFORE]).apps.get_model("audit", "AccessLogEntry")
        ids = _global_chain(Entry, [1, 2, 1, 1, 2, 3])
        _migrate(AFTER)
    finally:
        _migrate(LATEST)
    rows = {r["pk"]: r for r in AccessLogEntry.objects.values("pk", "chain", "seq", "scheme", "object_label")}
    assert [(rows[i]["chain"], rows[i]["seq"]) for i in ids] == [
        ("child:1", 1), ("child:2", 1), ("child:1", 2), ("child:1", 3), ("child:2", 2), ("child:3", 1),
    ]  # fmt: skip
    assert {r["scheme"] for r in rows.values()} == {3}  # every old entry is keyed now, on its child's chain
    assert [rows[i]["object_label"] for i in ids] == [f"pagina {n}" for n in range(6)]  # content unchanged
    anchor = anchors.newest()
    assert anchor.note == "0004_chain_per_child" and set(anchor.heads) == {"child:1", "child:2", "child:3"}
    result = verify_chain(anchor=anchor)
    assert result.ok and result.checked == 6 and result.chains == 3
    append([_entry(2)])  # the app goes on where the migration left child 2's chain
    assert AccessLogEntry.objects.filter(chain="child:2").order_by("-seq").values_list("seq", flat=True)[0] == 3
    assert verify_chain(anchor=anchors.newest()).ok
    assert guards.complete(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {guards.TABLE}")


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_to_rechain_a_broken_log(settings):
    """Re-chaining a log someone edited would launder the edit into a valid chain: the migration stops instead."""
    executor = _migrate(BEFORE)
    try:
        Entry = executor.loader.project_state([BEFORE]).apps.get_model("audit", "AccessLogEntry")
        ids = _global_chain(Entry, [1, 2, 1])
        guards.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {guards.TABLE} SET actor_name = 'iemand anders' WHERE id = %s", [ids[1]])
        guards.install(connection)
        with pytest.raises(Exception, match=f"does not verify \\(entry {ids[1]}: changed"):
            _migrate(AFTER)
        assert set(Entry.objects.values_list("scheme", flat=True)) == {1, 2}  # nothing was rewritten
    finally:
        guards.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {guards.TABLE}")
        _migrate(LATEST)


@pytest.mark.django_db(transaction=True)
def test_the_migration_checks_the_old_anchor_first(settings, tmp_path):
    """The newest entries of the old log cut off before migrating: the old-style anchor shows it."""
    executor = _migrate(BEFORE)
    try:
        Entry = executor.loader.project_state([BEFORE]).apps.get_model("audit", "AccessLogEntry")
        ids = _global_chain(Entry, [1, 2, 1])
        head = Entry.objects.get(pk=ids[-1])
        old = {"kind": "head", "pk": head.pk, "hash": head.hash, "legacy_until": ids[1], "note": "",
               "written_at": "2026-03-01T09:00:00.000000+00:00"}  # fmt: skip
        body = json.dumps(old, sort_keys=True, separators=(",", ":")).encode()
        import hashlib
        import hmac

        from apps.audit.log import hmac_key

        old["mac"] = hmac.new(hmac_key(), body, hashlib.sha256).hexdigest()
        directory = tmp_path / "audit-anchors"
        directory.mkdir(exist_ok=True)
        (directory / "anchor-20260301T090000000000Z-head-3.json").write_text(json.dumps(old))
        guards.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {guards.TABLE} WHERE id = %s", [ids[-1]])
        guards.install(connection)
        with pytest.raises(Exception, match="ends before the anchored entry"):
            _migrate(AFTER)
    finally:
        guards.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {guards.TABLE}")
        _migrate(LATEST)
