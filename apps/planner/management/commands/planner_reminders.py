from django.core.management.base import BaseCommand

from apps.planner import services


class Command(BaseCommand):
    help = "Send day-before reminders for start-of-year conversations (idempotent: safe to run repeatedly)."

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
