"""Least-privilege database roles on PostgreSQL (SEC-36).

Run it as the role that owns the tables (the one that runs `migrate`), after every `migrate`:

    manage.py db_roles --app-role driehoek_app [--password-env DRIEHOEK_APP_PASSWORD] [--backup-role driehoek_backup]

The application role may log in, is no superuser and owns nothing. It gets SELECT, INSERT, UPDATE and DELETE on
every table that exists now, except: on the access log only SELECT and INSERT (no UPDATE, DELETE or TRUNCATE),
on `django_migrations` only SELECT, and on the log's prune permits nothing (a permit lets a DELETE of old
entries past the trigger; only the owner prunes). The backup role only reads. Running it again changes nothing; it also
repairs grants that drifted. On SQLite there are no roles and it says so.
"""

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.audit.guards import PERMITS as PRUNE_PERMITS
from apps.audit.guards import TABLE as LOG_TABLE

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = "Create or update the PostgreSQL roles the application and the backups run as (least privilege, SEC-36)."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="the role the web and worker processes log in as")
        parser.add_argument(
            "--password-env", help="name of an environment variable holding the app role's password (never argv)"
        )
        parser.add_argument("--backup-role", help="also a read-only role for pg_dump")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: there are no database roles to set (SQLite relies on its triggers).")
            return
        app_role = self._name(options["app_role"])
        backup_role = self._name(options["backup_role"]) if options["backup_role"] else None
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"The environment variable {options['password_env']} is empty.")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if app_role == owner or backup_role == owner:
                raise CommandError("The application role must not be the role that owns the tables.")
            for role in filter(None, (app_role, backup_role)):
                self._create(cursor, role)
            if password is not None:
                cursor.execute(f"ALTER ROLE {connection.ops.quote_name(app_role)} PASSWORD %s", [password])
            self._grant_app(cursor, app_role, database)
            if backup_role:
                self._grant_read_only(cursor, backup_role, database)
        self.stdout.write(
            self.style.SUCCESS(
                f"Role {app_role}: full data access except the access log (SELECT, INSERT only) and its prune permits"
                + (f"; role {backup_role}: read only" if backup_role else "")
                + ". Run this again after every migrate."
            )
        )

    def _name(self, role: str) -> str:
        if not _ROLE_NAME.match(role):
            raise CommandError(f"Not a plain role name: {role!r} (lower-case letters, digits, underscores).")
        return role

    def _create(self, cursor, role: str) -> None:
        cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        quoted = connection.ops.quote_name(role)
        if found is None:
            cursor.execute(f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT")
        elif any(found):
            raise CommandError(f"Role {role} is a superuser or may create roles or databases; refusing to use it.")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s AND c.relnamespace = 'public'::regnamespace",
            [role],
        )
        if cursor.fetchone()[0]:
            raise CommandError(f"Role {role} owns tables; the owner is the migration role, not the app.")

    def _grant_app(self, cursor, role: str, database: str) -> None:
        q = connection.ops.quote_name
        role_q = q(role)
        cursor.execute(f"GRANT CONNECT ON DATABASE {q(database)} TO {role_q}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role_q}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
        # No ALTER DEFAULT PRIVILEGES on purpose: pg_restore creates every table anew, and default privileges
        # would then hand the app UPDATE and DELETE on the log again. A table a later migration adds stays
        # closed to the app (it fails loudly) until this command runs again.
        # PUBLIC holds nothing on the log either, so no other role gets write access through it.
        cursor.execute(f"REVOKE ALL ON {q(LOG_TABLE)} FROM PUBLIC")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {q(LOG_TABLE)} FROM {role_q}")
        for table in READ_ONLY_TABLES:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {q(table)} FROM {role_q}")
        # The prune permits open the log's DELETE trigger: the app may not even read them (docs/audit-log.md).
        cursor.execute(f"REVOKE ALL ON {q(PRUNE_PERMITS)} FROM PUBLIC")
        cursor.execute(f"REVOKE ALL ON {q(PRUNE_PERMITS)} FROM {role_q}")

    def _grant_read_only(self, cursor, role: str, database: str) -> None:
        q = connection.ops.quote_name
        role_q = q(role)
        cursor.execute(f"GRANT CONNECT ON DATABASE {q(database)} TO {role_q}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role_q}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role_q}")
        cursor.execute(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
