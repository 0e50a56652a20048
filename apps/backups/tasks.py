"""The nightly backup. Without BACKUP_KEY it logs an error every night instead of silently doing nothing."""

import logging

from django.conf import settings
from django_tasks import task

from . import services

log = logging.getLogger("driehoek.backups")


@task()
def nightly_backup() -> str:
    try:
        name = services.create_backup()
    except services.BackupError:
        log.error("nightly backup failed", exc_info=True)
        return ""
    services.prune_backups(settings.BACKUP_KEEP)
    return name


@task()
def check_backup_freshness() -> bool:
    """The alert of REL-14: an error in the log every hour while the newest backup is older than the RPO."""
    stale = services.backup_is_stale()
    if stale:
        log.error("backup is stale", extra={"event": "backup_stale", "max_age_hours": settings.BACKUP_MAX_AGE_HOURS})
    return stale
