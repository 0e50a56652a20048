from django.core.management.base import BaseCommand

from apps.meetings.services import send_due_reminders


class Command(BaseCommand):
    help = "Herinner genodigden die nog niet antwoordden, als de aanmelddatum binnen 3 dagen ligt (idempotent)."

    def handle(self, **options):
        self.stdout.write(f"{send_due_reminders()} herinnering(en) verstuurd.")
