from django.core.management.base import BaseCommand

from apps.conversations import services


class Command(BaseCommand):
    help = "Day-before reminders and overdue-feedback notices for conversations (idempotent)."

    def handle(self, *args, **options):
        reminders = services.send_reminders()
        overdue = services.remind_overdue_feedback()
        self.stdout.write(f"{reminders} herinnering(en), {overdue} melding(en) over terugkoppeling.")
