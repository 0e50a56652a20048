"""The clock for periodic jobs: it only enqueues tasks; `db_worker` runs them.

django-tasks has no periodic scheduler of its own. Every periodic task is idempotent (notification
keys), so enqueuing one early, twice, or after a restart never sends anything twice.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings


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


def enqueue_due(last_run: dict[str, float], now: float) -> list[str]:
    enqueued = []
    for periodic in due(periodic_tasks(), last_run, now):
        periodic.load().enqueue()
        last_run[periodic.path] = now
        enqueued.append(periodic.path)
    return enqueued
