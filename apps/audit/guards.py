"""Database triggers that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the access log.

They stop the application and anyone using its connection from rewriting the log by accident or on purpose;
the table's owner can still drop them, which the keyed hash and the anchors then detect. On PostgreSQL the
real barrier is the application's role, which has no UPDATE, DELETE or TRUNCATE on the log (`db_roles`).

DELETE has one deliberate way through: rows of one chain up to the place a row in the prune-permit table names
(`log.prune_before` writes that row, deletes, and removes it, in one transaction; docs/audit-log.md, "Retention").
The application's role has no privileges on that table. Migration 0003 installs the guards, 0004 this version.
Every `migrate` ends by putting them back if a table rebuild removed them
(SQLite rebuilds a table for many schema changes, and drops its triggers with it), and `flush` (tests, a
fresh development database) lifts them for the moment it empties every table. A change to these statements
needs a new migration.
"""

import logging

TABLE = "audit_accesslogentry"
PERMITS = "audit_prunepermit"
MESSAGE = "the access log is append-only"
_PERMITTED = f"EXISTS (SELECT 1 FROM {PERMITS} p WHERE p.chain = OLD.chain AND OLD.seq <= p.up_to_seq)"  # noqa: S608 - constants

log = logging.getLogger("driehoek.security")

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"WHEN NOT {_PERMITTED} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {_PERMITTED} THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_delete_guard()",
    # Row triggers do not fire on TRUNCATE; a statement trigger does.
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
    f"DROP FUNCTION IF EXISTS {TABLE}_delete_guard()",
]
_TRIGGERS = {
    "sqlite": {f"{TABLE}_no_update", f"{TABLE}_no_delete"},
    "postgresql": {f"{TABLE}_no_update", f"{TABLE}_no_delete", f"{TABLE}_no_truncate"},
}


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    statements = {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(connection.vendor, [])
    _run(connection, statements)


def remove(connection) -> None:
    statements = {"sqlite": _SQLITE_REMOVE, "postgresql": _PG_REMOVE}.get(connection.vendor, [])
    _run(connection, statements)


def installed(connection) -> set[str]:
    """The names of the log's guard triggers present in this database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal", [TABLE]
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()} & _TRIGGERS[connection.vendor]


def complete(connection) -> bool:
    return installed(connection) == _TRIGGERS.get(connection.vendor, set())


def ensure(connection) -> None:
    """Put the triggers back when the table exists without them (after `migrate`)."""
    if connection.vendor not in _TRIGGERS or TABLE not in connection.introspection.table_names():
        return
    if not complete(connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations WHERE app = 'audit' AND name = %s", [GUARDED_SINCE])
            if cursor.fetchone() is None:
                return  # an older schema, before the guards (migrating backwards)
        install(connection)
        log.warning("access-log guard triggers were missing and are restored", extra={"event": "audit_guards"})


GUARDED_SINCE = "0003_keyed_hashes_and_guards"
