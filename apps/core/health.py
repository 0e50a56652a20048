"""Readiness checks (REL-14): a load balancer sends traffic only to an instance that can serve it."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return False
    return True


def migrations_applied() -> bool:
    """An instance on newer code than its database would fail on the first query of a new column."""
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def disk_free_percent(path: Path) -> float:
    """Free space where uploads are written; an instance with a full disk loses attachments."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return 100.0 * usage.free / usage.total


def readiness() -> dict[str, bool]:
    """Each check by name; the instance is ready only when all pass. No details that help an attacker."""
    checks = {"database": database_reachable()}
    checks["migrations"] = checks["database"] and migrations_applied()
    checks["disk"] = disk_free_percent(settings.MEDIA_ROOT) >= settings.READY_MIN_FREE_DISK_PERCENT
    return checks
