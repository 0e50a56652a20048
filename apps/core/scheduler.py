"""The clock for periodic jobs: it only enqueues tasks; `db_worker` runs them.

django-tasks has no periodic scheduler of its own. Every periodic task is idempotent (notification
keys), so enqueuing one early, twice, or after a restart never sends anything twice. On top of that,
each enqueue is claimed in the database (`PeriodicClaim`) with a conditional UPDATE, so several
schedulers running at once (two hosts, a rolling deploy) enqueue each job once per interval.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction


@dataclass(frozen=True)
class Periodic:
    path: str  # dotted path to a django-tasks Task
    every_seconds: int

    def load(self):
        module, name = self.path.rsplit(".", 1)
        return getattr(import_module(module), name)


def periodic_tasks() -> list[Periodic]:
    return [Periodic(path, seconds) for path, seconds in settings.PERIODIC_TASKS]


def due(tasks: list[Periodic], last_run: dict[str, float], now: float) -> list[Periodic]:
    """Tasks whose interval has passed since they were last enqueued (never run: due at once)."""
    return [t for t in tasks if now - last_run.get(t.path, float("-inf")) >= t.every_seconds]


def claim(periodic: Periodic, now: float) -> bool:
    """True for exactly one caller per interval, across processes: the row update is the lock."""
    from apps.core.models import PeriodicClaim

    if not PeriodicClaim.objects.filter(path=periodic.path).exists():
        try:
            with transaction.atomic():
                PeriodicClaim.objects.create(path=periodic.path, last_enqueued=-1e18)
        except IntegrityError:  # another scheduler created it first
            pass
    won = PeriodicClaim.objects.filter(path=periodic.path, last_enqueued__lte=now - periodic.every_seconds).update(
        last_enqueued=now
    )
    return won == 1


def enqueue_due(last_run: dict[str, float], now: float) -> list[str]:
    """Enqueue what is due; `last_run` spares the database a claim for jobs this process just enqueued."""
    enqueued = []
    for periodic in due(periodic_tasks(), last_run, now):
        if not claim(periodic, now):
            continue
        last_run[periodic.path] = now
        periodic.load().enqueue()
        enqueued.append(periodic.path)
    return enqueued
