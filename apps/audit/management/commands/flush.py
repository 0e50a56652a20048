"""Django's `flush`, which empties every table, with the access log's guard triggers lifted meanwhile.

Only the database's owner can do this (on PostgreSQL the application's role may not TRUNCATE the log); it is
meant for tests and for a development database, and it is logged on the security log.
"""

import logging

from django.core.management.commands import flush
from django.db import connections

from apps.audit import guards

log = logging.getLogger("driehoek.security")


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        guarded = bool(guards.installed(connection))
        if guarded:
            guards.remove(connection)
        try:
            super().handle(**options)
        finally:
            if guarded:
                guards.install(connection)
        if guarded:
            log.warning("flush emptied every table, the access log too", extra={"event": "audit_flushed"})
