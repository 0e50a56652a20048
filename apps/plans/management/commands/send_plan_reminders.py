"""`manage.py send_plan_reminders`: the scheduler step (cron/systemd timer); safe to run repeatedly."""

from django.core.management.base import BaseCommand

from apps.plans.reminders import DEFAULT_DAYS_BEFORE, send_plan_reminders
from apps.plans.tasks import send_plan_reminders_task


class Command(BaseCommand):
    help = "Herinner eigenaren van afspraken en meld niet-afgeronde afspraken aan het aanspreekpunt."

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=None, help=f"standaard {DEFAULT_DAYS_BEFORE}")
        parser.add_argument("--enqueue", action="store_true", help="Zet het werk in de wachtrij voor `make worker`.")

    def handle(self, *args, days_before, enqueue, **options):
        if enqueue:
            result = send_plan_reminders_task.enqueue(days_before=days_before)
            self.stdout.write(f"enqueued {result.id}")
            return
        result = send_plan_reminders(days_before=days_before)
        counts = ("due_soon", "overdue", "evaluations", "skipped")
        self.stdout.write(" ".join(f"{name}={getattr(result, name)}" for name in counts))
