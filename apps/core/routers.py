"""Read replica routing (issue 17 item 5): off unless `DATABASE_REPLICA_URL` is set.

Only code that asks for it reads from the replica: a view decorated with `replica_reads` (pages that
show no child data and write nothing that a later read in the same request depends on). Everything
else, including the session and user look-up in the middleware, every write, and every read of child
data with its access-log entry, stays on the primary. A replica lags a little behind the primary, so
only pages where a few seconds of lag are harmless qualify.
"""

import contextvars
import functools

from django.conf import settings

_use_replica = contextvars.ContextVar("driehoek_use_replica", default=False)

REPLICA = "replica"


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def replica_reads(view):
    """Let this view's reads go to the replica (when one is configured)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = _use_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _use_replica.reset(token)

    return wrapper
