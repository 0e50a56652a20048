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
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from apps.access.policy import Action, authorize
from apps.audit import anchors, guards
from apps.audit.log import HASHED_FIELDS, LEGACY_SCHEME, Actor, entry_hash, verify_chain
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


def _rows():
    return list(AccessLogEntry.objects.order_by("pk").values(*HASHED_FIELDS, "pk", "scheme", "prev_hash", "hash"))


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
    with pytest.raises(CommandError, match="ends before"):
        call_command("verify_audit_chain")


def test_removing_the_anchored_entry_and_appending_after_it_fails(child_and_guardian):
    child, guardian = child_and_guardian
    anchor = anchor_audit_chain.call()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [anchor])
    _log(child, guardian, 1)  # the app appends after the gap, with the key
    result = verify_chain(anchor=anchors.newest())
    assert not result.ok and result.broken_at == anchor and "missing" in result.reason


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
    assert not verify_chain().ok  # unkeyed after keyed
    rows = _rows()
    with tampering() as cursor:  # every entry unkeyed: a consistent old-style chain
        _rewrite_from(cursor, rows, 0, scheme=LEGACY_SCHEME)
    result = verify_chain(anchor=anchors.newest())
    assert not result.ok and "unkeyed entry newer than the anchor" in result.reason
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


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
    assert anchor_audit_chain.call() == head.pk
    [stored] = anchors.stored()
    assert (stored.kind, stored.pk, stored.hash) == ("head", head.pk, head.hash) and stored.is_authentic()
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "audit_anchor"]
    assert record.anchor == asdict(stored)
    anchor_audit_chain.call()
    assert len(anchors.stored()) == 1  # an idle hour adds no file

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
    forged = anchors.Anchor("head", real.pk, real.hash, real.legacy_until, real.written_at, "", mac="0" * 64)
    assert not forged.is_authentic()
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


def test_entries_from_before_keying_keep_verifying(child_and_guardian):
    """A database from before migration 0003: its entries got scheme 1 and their plain hashes stay valid."""
    with tampering() as cursor:  # make the first three what 0003 leaves of an older database
        _rewrite_from(cursor, _rows()[:3], 0, scheme=LEGACY_SCHEME)
        _rewrite_from(cursor, _rows(), 3)  # the later entries were written after the upgrade, with the key
    rows = _rows()
    assert [r["scheme"] for r in rows] == [1, 1, 1, 2, 2]
    assert verify_chain().ok
    anchor = anchors.anchor_head()
    assert anchor.legacy_until == rows[2]["pk"]
    call_command("verify_audit_chain")
    with tampering() as cursor:  # an old entry edited, the old ones recomputed (no key needed for those)
        rows[1]["actor_name"] = "iemand anders"
        _rewrite_from(cursor, rows[:3], 1)
    result = verify_chain(anchor=anchors.newest())
    assert not result.ok and result.broken_at in (rows[2]["pk"], rows[3]["pk"])


def test_a_checkpoint_lets_the_oldest_entries_be_pruned(child_and_guardian):
    """Retention (5 years): entries up to an anchored checkpoint may go; the chain then starts after it."""
    rows = _rows()
    anchor_audit_chain.call()
    written_at = datetime.now(UTC).isoformat(timespec="microseconds")
    checkpoint = anchors.record(anchors.Anchor("checkpoint", rows[2]["pk"], rows[2]["hash"], 0, written_at))
    with tampering() as cursor:  # the pruning job would run as the owner, like this
        cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [checkpoint.pk])
    assert AccessLogEntry.objects.count() == 2
    assert not verify_chain().ok  # without the checkpoint the start is missing
    assert verify_chain(checkpoint=checkpoint).ok
    call_command("verify_audit_chain")  # finds the checkpoint in AUDIT_ANCHOR_DIR
    with tampering() as cursor:  # pruning one entry too many is still caught
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [rows[3]["pk"]])
    with pytest.raises(CommandError, match="does not start"):
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
    assert (in_manifest.kind, in_manifest.pk, in_manifest.hash) == ("backup", head.pk, head.hash)
    assert in_manifest.is_authentic()
    [in_directory] = anchors.stored()
    assert in_directory.note == name and in_directory.pk == head.pk
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
    assert warning.previous_anchor["pk"] == lost.pk and warning.backup == name
    assert anchors.newest().kind == "restore"
    call_command("verify_audit_chain")  # ... and the newest anchor is the restore's, recorded on purpose
    assert guards.complete(connection)
