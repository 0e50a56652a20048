"""Issue 16 item 5: nobody rewrites the access log without detection (SEC-31, SEC-36), on SQLite and PostgreSQL.

The attacker here can write the database (a copy of it, or the owner's credentials) but has neither
AUDIT_HMAC_KEY nor write access to AUDIT_ANCHOR_DIR. To tamper at all they first drop the guard triggers,
which the table's owner can do; the tests do the same through `tampering()`.
"""

import io
import json
import logging
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import asdict

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from apps.access.policy import Action, authorize
from apps.audit import anchors, guards
from apps.audit.log import (
    LEGACY_SCHEME,
    ROW_FIELDS,
    Actor,
    PruneError,
    chain_of,
    entry_hash,
    prune_before,
    verify_chain,
)
from apps.audit.models import AccessLogEntry
from apps.audit.tasks import anchor_audit_chain
from tests.factories import ChildFactory, GuardianshipFactory

pytestmark = pytest.mark.django_db
TABLE = AccessLogEntry._meta.db_table
ATTACKER_KEY = "a-guess-by-someone-who-has-only-the-database"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")


def _log(child, user, times):
    for _ in range(times):
        authorize(Actor(user=user), Action.VIEW, child, label="de kindpagina")


@pytest.fixture
def child_and_guardian():
    child = ChildFactory()
    guardian = GuardianshipFactory(child=child).user
    _log(child, guardian, 5)
    return child, guardian


@contextmanager
def tampering():
    """What an attacker with the owner's rights does first: lift the triggers. They come back afterwards."""
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        guards.install(connection)


def _rows(child=None):
    entries = AccessLogEntry.objects.filter(child=child) if child is not None else AccessLogEntry.objects.all()
    return list(entries.order_by("chain", "seq").values(*ROW_FIELDS))


def _rewrite_from(cursor, rows, start, *, scheme=None):
    """Recompute the hashes of rows[start:] with the app's own entry_hash, as the attacker can."""
    prev = rows[start - 1]["hash"] if start else "0" * 64
    for row in rows[start:]:
        row_scheme = scheme or row["scheme"]
        digest = entry_hash(row, prev, row_scheme)
        cursor.execute(
            f"UPDATE {TABLE} SET actor_name = %s, scheme = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row["actor_name"], row_scheme, prev, digest, row["pk"]],
        )
        prev = digest


# --- (c) the database itself refuses to change or remove entries ------------------------------------------------


def test_update_delete_and_truncate_are_refused_by_the_database(child_and_guardian):
    entry = AccessLogEntry.objects.order_by("pk").first()
    statements = [
        (f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["iemand anders", entry.pk]),
        (f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk]),
        (f"DELETE FROM {TABLE}", []),
    ]
    if connection.vendor == "postgresql":
        statements.append((f"TRUNCATE {TABLE}", []))
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the test's open transaction must not be what refuses TRUNCATE
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql, params)
    assert AccessLogEntry.objects.count() == 5
    assert AccessLogEntry.objects.get(pk=entry.pk).actor_name == entry.actor_name
    assert verify_chain().ok


def test_a_prune_permit_opens_only_its_own_chain_up_to_its_place(child_and_guardian):
    """The one way past the DELETE trigger is narrow: rows of the permit's chain up to its place, nothing else."""
    from apps.audit.models import PrunePermit

    child, guardian = child_and_guardian
    other = ChildFactory()
    _log(other, GuardianshipFactory(child=other).user, 2)
    chain = chain_of(child.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        PrunePermit.objects.create(chain=chain, up_to_seq=2, checkpoint_written_at="x")
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s AND seq = 3", [chain])  # beyond the permit
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        PrunePermit.objects.create(chain=chain, up_to_seq=5, checkpoint_written_at="x")
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s", [chain_of(other.pk)])  # another chain
    assert AccessLogEntry.objects.count() == 7 and not PrunePermit.objects.exists()
    assert verify_chain().ok


def test_guards_come_back_after_migrate_when_a_table_rebuild_lost_them(child_and_guardian):
    guards.remove(connection)
    assert not guards.installed(connection)
    call_command("migrate", verbosity=0)
    assert guards.complete(connection)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


@on_postgresql
def test_app_role_may_only_read_and_append_to_the_log():
    """SEC-36: the role the app runs as has no UPDATE, DELETE or TRUNCATE on the log, full DML elsewhere."""
    role = f"h6_test_app_{uuid.uuid4().hex[:8]}"
    backup_role = f"{role}_backup"
    call_command("db_roles", app_role=role, backup_role=backup_role, stdout=io.StringIO())
    call_command("db_roles", app_role=role, stdout=io.StringIO())  # a second run changes nothing
    try:
        with connection.cursor() as cursor:

            def may(who, table, privilege):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [who, table, privilege])
                return cursor.fetchone()[0]

            cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s", [role])
            assert cursor.fetchone() == (False, False, False)
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s", [role]
            )
            assert cursor.fetchone()[0] == 0  # owns nothing, so cannot drop the triggers either
            assert may(role, TABLE, "SELECT") and may(role, TABLE, "INSERT")
            for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                assert not may(role, TABLE, privilege), privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
                assert may(role, "circles_child", privilege), privilege
            assert not may(role, "circles_child", "TRUNCATE")
            assert may(role, "django_migrations", "SELECT") and not may(role, "django_migrations", "INSERT")
            cursor.execute(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = %s AND table_name = %s ORDER BY 1",
                [role, TABLE],
            )
            assert [p for (p,) in cursor.fetchall()] == ["INSERT", "SELECT"]
            assert may(backup_role, TABLE, "SELECT") and not may(backup_role, "circles_child", "INSERT")
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):  # a prune permit opens the DELETE trigger
                assert not may(role, guards.PERMITS, privilege), privilege

            # And the database enforces it for a session running as that role, before any trigger is reached.
            guards.remove(connection)
            try:
                for sql in (f"UPDATE {TABLE} SET actor_name = 'x'", f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"):
                    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                        cursor.execute(f"SET LOCAL ROLE {role}")
                        cursor.execute(sql)
                with transaction.atomic():
                    cursor.execute(f"SET LOCAL ROLE {role}")
                    cursor.execute(f"SELECT count(*) FROM {TABLE}")
                    cursor.execute("RESET ROLE")
            finally:
                guards.install(connection)
    finally:
        with connection.cursor() as cursor:
            for name in (role, backup_role):
                cursor.execute(f"DROP OWNED BY {name}")
                cursor.execute(f"DROP ROLE {name}")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL case is the test above")
def test_db_roles_on_sqlite_says_there_is_nothing_to_do(capsys):
    call_command("db_roles", app_role="driehoek_app")
    assert "Not PostgreSQL" in capsys.readouterr().out


# --- (a) removing the newest entries ----------------------------------------------------------------------------


def test_removing_the_newest_entries_fails_against_the_anchor(child_and_guardian):
    child, guardian = child_and_guardian
    anchor_audit_chain.call()
    _log(child, guardian, 3)
    anchor_audit_chain.call()
    call_command("verify_audit_chain")
    newest_two = list(AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True)[:2])
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", newest_two)
    assert verify_chain().ok  # the chain alone cannot tell: what is left is a valid chain ...
    result = verify_chain(anchor=anchors.newest())  # ... but it no longer reaches the anchor
    assert not result.ok and "ends before the anchored entry" in result.reason
    with pytest.raises(CommandError, match="ends before the anchored entry"):
        call_command("verify_audit_chain")


def test_removing_every_entry_fails_against_the_anchor(child_and_guardian):
    anchor_audit_chain.call()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    with pytest.raises(CommandError, match="whole chain is missing"):
        call_command("verify_audit_chain")


def test_removing_the_anchored_entry_and_appending_after_it_fails(child_and_guardian):
    child, guardian = child_and_guardian
    anchor_audit_chain.call()
    anchored = AccessLogEntry.objects.order_by("-pk").first()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [anchored.pk])
    _log(child, guardian, 1)  # the app appends in the gap's place, with the key
    result = verify_chain(anchor=anchors.newest())
    assert not result.ok and result.chain == chain_of(child.pk) and "differs from the anchor" in result.reason


# --- (b) editing an entry and recomputing the later hashes -------------------------------------------------------


def test_editing_an_entry_and_recomputing_without_the_key_fails(child_and_guardian):
    rows = _rows()
    rows[2]["actor_name"] = "iemand anders"
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY), tampering() as cursor:
        _rewrite_from(cursor, rows, 2)
    result = verify_chain()
    assert not result.ok and result.broken_at == rows[2]["pk"] and result.checked == 2
    with pytest.raises(CommandError, match=f"at entry {rows[2]['pk']}"):
        call_command("verify_audit_chain")


def test_relabelling_entries_as_unkeyed_to_recompute_them_fails(child_and_guardian):
    """The old scheme needs no key; marking keyed entries as old-style must not be a way around the key."""
    anchor_audit_chain.call()
    rows = _rows()
    rows[3]["actor_name"] = "iemand anders"
    with tampering() as cursor:
        _rewrite_from(cursor, rows, 3, scheme=LEGACY_SCHEME)
    result = verify_chain()
    assert not result.ok and result.broken_at == rows[3]["pk"] and "from before the chain per child" in result.reason
    rows = _rows()
    with tampering() as cursor:  # every entry unkeyed: a consistent old-style chain
        _rewrite_from(cursor, rows, 0, scheme=LEGACY_SCHEME)
    assert not verify_chain().ok
    with pytest.raises(CommandError, match="from before the chain per child"):
        call_command("verify_audit_chain")


def test_one_childs_chain_is_checked_on_its_own(child_and_guardian):
    """A change on one child's chain breaks that chain only; the family of another child still verifies."""
    child, _guardian = child_and_guardian
    other = ChildFactory()
    _log(other, GuardianshipFactory(child=other).user, 3)
    anchor_audit_chain.call()
    assert verify_chain(chain=chain_of(other.pk), anchor=anchors.newest()).checked == 3
    rows = _rows(child)
    rows[1]["actor_name"] = "iemand anders"
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY), tampering() as cursor:
        _rewrite_from(cursor, rows, 1)
    assert verify_chain(chain=chain_of(other.pk), anchor=anchors.newest()).ok
    result = verify_chain(chain=chain_of(child.pk), anchor=anchors.newest())
    assert not result.ok and result.broken_at == rows[1]["pk"] and result.chain == chain_of(child.pk)
    whole = verify_chain(anchor=anchors.newest())
    assert not whole.ok and whole.chain == chain_of(child.pk)
    call_command("verify_audit_chain", child=other.pk)
    with pytest.raises(CommandError, match=f"on chain child:{child.pk} at entry {rows[1]['pk']}"):
        call_command("verify_audit_chain", child=child.pk)


def test_moving_an_entry_to_another_childs_chain_fails(child_and_guardian):
    child, _guardian = child_and_guardian
    other = ChildFactory()
    _log(other, GuardianshipFactory(child=other).user, 1)
    row = _rows(child)[-1]
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET child_id = %s WHERE id = %s", [other.pk, row["pk"]])
    result = verify_chain()
    assert not result.ok and result.broken_at == row["pk"]


def test_the_key_comes_from_the_environment_and_changes_every_hash(child_and_guardian):
    row = _rows()[0]
    assert entry_hash(row, row["prev_hash"]) == row["hash"]
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        assert entry_hash(row, row["prev_hash"]) != row["hash"]
        assert not verify_chain().ok


def test_production_refuses_to_start_without_an_audit_key():
    code = (
        "import django,os;[os.environ.pop(k,None) for k in ('DEBUG','DRIEHOEK_TESTING','AUDIT_HMAC_KEY')];"
        "os.environ['SECRET_KEY']='x'*50;os.environ['DJANGO_SETTINGS_MODULE']='driehoek.settings';django.setup()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "AUDIT_HMAC_KEY" in result.stderr


# --- anchors: where they come from, and forged ones ---------------------------------------------------------------


def test_the_hourly_anchor_is_a_file_and_a_security_log_line(child_and_guardian, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="driehoek.security")
    head = AccessLogEntry.objects.order_by("-pk").first()
    other = ChildFactory()
    _log(other, GuardianshipFactory(child=other).user, 1)
    other_head = AccessLogEntry.objects.order_by("-pk").first()
    assert anchor_audit_chain.call() == 2  # two chains
    [stored] = anchors.stored(("head",))
    assert stored.heads == {head.chain: [5, head.hash], other_head.chain: [1, other_head.hash]}
    assert stored.is_authentic()
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "audit_anchor" and r.anchor["kind"] == "head"]
    assert record.anchor == asdict(stored)
    [checkpoint] = anchors.checkpoints()  # the first run also checkpoints every head (every 30 days)
    assert checkpoint.heads == stored.heads
    anchor_audit_chain.call()
    assert len(anchors.stored()) == 2  # an idle hour adds no file, and no second checkpoint within 30 days

    # The line as the SIEM keeps it can be fed back to the check, e.g. when AUDIT_ANCHOR_DIR was lost.
    from apps.core.logging import JsonFormatter

    lines = tmp_path / "security.jsonl"
    lines.write_text('{"event": "login"}\n' + JsonFormatter().format(record) + "\n")
    call_command("verify_audit_chain", anchor=str(lines))
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [head.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", anchor=str(lines))


def test_a_forged_anchor_is_refused(child_and_guardian):
    real = anchors.current("head")
    forged = anchors.Anchor("head", real.heads, real.written_at, "", mac="0" * 64)
    assert not forged.is_authentic()
    bigger = anchors.Anchor("head", {**real.heads, "child:999999": [1, "0" * 64]}, real.written_at, "", real.mac)
    assert not bigger.is_authentic()  # the MAC covers every head
    result = verify_chain(anchor=forged)
    assert not result.ok and "not authentic" in result.reason
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        assert not real.is_authentic()
    assert anchors.record(real).is_authentic()  # a good one, then a broken file beside it
    (anchors._directory() / "anchor-99999999T000000000000Z-head-1.json").write_text(json.dumps({"kind": "head"}))
    with pytest.raises(CommandError, match="No access-log anchor"):
        call_command("verify_audit_chain")


def test_no_anchor_yet_is_a_warning_not_a_pass_in_silence(child_and_guardian, capsys):
    call_command("verify_audit_chain")
    assert "No anchor found" in capsys.readouterr().err


# --- the old scheme and retention ---------------------------------------------------------------------------------


def test_anchors_of_the_global_chain_are_history_not_a_check(child_and_guardian):
    """Files from before the chain per child (one head, a "pk") stay in the directory but are not used."""
    old = {"kind": "head", "pk": 5, "hash": "f" * 64, "legacy_until": 0, "written_at": "2026-01-01T00:00:00+00:00"}
    path = anchors._directory() / "anchor-20260101T000000000000Z-head-5.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(old))
    assert anchors.newest() is None and anchors.stored() == []
    with pytest.raises(CommandError, match="from before the chain per child"):
        call_command("verify_audit_chain", anchor=str(path))


# --- retention: checkpoints and pruning the start of a chain ------------------------------------------------------


def _checkpoint():
    return anchors.record(anchors.current("checkpoint"))


@pytest.fixture
def no_retention(settings):
    """Checkpoints count at once (in production only those older than 5 years do: AUDIT_RETENTION_DAYS)."""
    settings.AUDIT_RETENTION_DAYS = 0


def test_pruning_before_a_checkpoint_keeps_verification_green(no_retention, child_and_guardian, caplog):
    """Retention (5 years): entries of a chain up to its head in a checkpoint may go; the chain then starts after it."""
    child, guardian = child_and_guardian
    other = ChildFactory()
    _log(other, GuardianshipFactory(child=other).user, 2)
    checkpoint = _checkpoint()
    _log(child, guardian, 2)
    anchor_audit_chain.call()
    caplog.set_level(logging.INFO, logger="driehoek.security")
    assert prune_before(chain_of(child.pk), checkpoint) == 5
    assert list(AccessLogEntry.objects.filter(child=child).order_by("seq").values_list("seq", flat=True)) == [6, 7]
    assert AccessLogEntry.objects.filter(child=other).count() == 2  # another chain is untouched
    [pruned] = [r for r in caplog.records if getattr(r, "event", None) == "audit_pruned"]
    assert (pruned.chain, pruned.removed, pruned.up_to_seq) == (chain_of(child.pk), 5, 5)
    assert not verify_chain().ok  # without the checkpoint the start is missing
    assert verify_chain(anchor=anchors.newest(), checkpoints=[checkpoint]).ok
    call_command("verify_audit_chain")  # finds the checkpoint in AUDIT_ANCHOR_DIR
    call_command("verify_audit_chain", child=child.pk)
    assert prune_before(chain_of(child.pk), checkpoint) == 0  # twice changes nothing
    _log(child, guardian, 1)  # the chain goes on after pruning
    call_command("verify_audit_chain")
    # An ordinary DELETE is still refused, also of what the checkpoint would allow on another chain.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE child_id = %s", [other.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE child_id = %s", [child.pk])


def test_tampering_after_pruning_is_still_detected(no_retention, child_and_guardian):
    child, guardian = child_and_guardian
    checkpoint = _checkpoint()
    _log(child, guardian, 3)
    anchor_audit_chain.call()
    prune_before(chain_of(child.pk), checkpoint)
    rows = _rows(child)
    with tampering() as cursor:  # one entry too many removed from the start
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[0]["pk"]])
    with pytest.raises(CommandError, match="does not start"):
        call_command("verify_audit_chain")
    with tampering() as cursor:  # ... or an entry after the checkpoint edited, the rest recomputed without the key
        cursor.execute(f"DELETE FROM {TABLE}")
    _log(child, guardian, 3)
    checkpoint = _checkpoint()
    _log(child, guardian, 3)
    anchor_audit_chain.call()
    prune_before(chain_of(child.pk), checkpoint)
    rows = _rows(child)
    rows[1]["actor_name"] = "iemand anders"
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY), tampering() as cursor:
        _rewrite_from(cursor, rows, 1)
    with pytest.raises(CommandError, match="changed, removed or inserted"):
        call_command("verify_audit_chain")


def test_pruning_needs_an_authentic_checkpoint_and_an_intact_chain(no_retention, child_and_guardian):
    child, _guardian = child_and_guardian
    checkpoint = _checkpoint()
    head = anchors.current("head")
    with pytest.raises(PruneError, match="not an authentic checkpoint"):
        prune_before(chain_of(child.pk), head)  # a head anchor is not a checkpoint
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY):
        forged = anchors.Anchor("checkpoint", checkpoint.heads, checkpoint.written_at).signed()
    with pytest.raises(PruneError, match="not an authentic checkpoint"):
        prune_before(chain_of(child.pk), forged)
    rows = _rows(child)
    rows[1]["actor_name"] = "iemand anders"
    with override_settings(AUDIT_HMAC_KEY=ATTACKER_KEY), tampering() as cursor:
        _rewrite_from(cursor, rows, 1)
    with pytest.raises(PruneError, match="another hash"):  # pruning must not remove the evidence of a break
        prune_before(chain_of(child.pk), checkpoint)
    assert AccessLogEntry.objects.count() == 5


def test_a_checkpoint_younger_than_the_retention_allows_nothing(child_and_guardian, settings):
    """Else deleting a child's whole recent log after the hourly task's checkpoint would pass as pruning."""
    child, _guardian = child_and_guardian
    anchor_audit_chain.call()  # also writes the first checkpoint, of every head
    [checkpoint] = anchors.checkpoints()
    with pytest.raises(PruneError, match="younger than the retention"):
        prune_before(chain_of(child.pk), checkpoint)
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    with pytest.raises(CommandError, match="whole chain is missing"):
        call_command("verify_audit_chain")
    settings.AUDIT_RETENTION_DAYS = 0  # five years later the same checkpoint does allow it
    call_command("verify_audit_chain")


def test_audit_prune_uses_the_newest_checkpoint_older_than_the_retention(child_and_guardian, settings):
    child, guardian = child_and_guardian
    old = _checkpoint()
    _log(child, guardian, 2)
    settings.AUDIT_RETENTION_DAYS = 1
    out = io.StringIO()
    call_command("audit_prune", stdout=out)  # the checkpoint is not a day old yet
    assert "nothing to remove" in out.getvalue() and AccessLogEntry.objects.count() == 7
    settings.AUDIT_RETENTION_DAYS = 0
    call_command("audit_prune", stdout=out)
    assert AccessLogEntry.objects.count() == 2 and f"up to checkpoint {old.written_at}" in out.getvalue()
    call_command("verify_audit_chain")


# --- backups: the manifest holds an anchor, and a restore says it set the log back ---------------------------------


@pytest.fixture
def backups(settings, tmp_path):
    from cryptography.fernet import Fernet

    settings.BACKUP_KEY = Fernet.generate_key().decode()
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "backups")},
        },
    }


@pytest.mark.django_db(transaction=True)  # SQLite's backup API waits forever on the test's open transaction
def test_each_backup_anchors_the_log_in_its_manifest(backups, child_and_guardian):
    from apps.backups import services

    head = AccessLogEntry.objects.order_by("-pk").first()
    name = services.create_backup()
    in_manifest = services.audit_anchor_of("latest")
    assert (in_manifest.kind, in_manifest.heads) == ("backup", {head.chain: [head.seq, head.hash]})
    assert in_manifest.is_authentic()
    [in_directory] = anchors.stored()
    assert in_directory.note == name and in_directory.heads == in_manifest.heads
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [head.pk])
    with pytest.raises(CommandError, match="ends before"):
        call_command("verify_audit_chain", backup="latest")


@pytest.mark.django_db(transaction=True)
def test_a_restore_sets_the_log_back_and_says_so(backups, caplog):
    from apps.backups import services

    child = ChildFactory()
    guardian = GuardianshipFactory(child=child).user
    _log(child, guardian, 2)
    name = services.create_backup()
    _log(child, guardian, 3)
    anchor_audit_chain.call()  # the hourly anchor saw the entries the restore will lose
    lost = anchors.newest()
    caplog.set_level(logging.WARNING, logger="driehoek.security")
    services.restore_backup(name)
    assert AccessLogEntry.objects.count() == 2
    assert not verify_chain(anchor=lost).ok  # against the older anchor the loss shows ...
    [warning] = [r for r in caplog.records if getattr(r, "event", None) == "audit_log_restored"]
    assert warning.previous_anchor["heads"] == lost.heads and warning.backup == name
    assert anchors.newest().kind == "restore"
    call_command("verify_audit_chain")  # ... and the newest anchor is the restore's, recorded on purpose
    assert guards.complete(connection)
