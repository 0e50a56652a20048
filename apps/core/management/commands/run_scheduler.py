import time

from django.core.management.base import BaseCommand

from apps.core.scheduler import enqueue_due


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders, escalations, digests) when they are due. `make worker` runs it."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic job once and stop.")
        parser.add_argument("--tick", type=int, default=60, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=60, **options):
        last_run: dict[str, float] = {}
        while True:
            for path in enqueue_due(last_run, time.time()):
                self.stdout.write(f"enqueued {path}")
            if once:
                return
            time.sleep(tick)
