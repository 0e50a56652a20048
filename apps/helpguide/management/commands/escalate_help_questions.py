from django.core.management.base import BaseCommand

from apps.helpguide.services import escalate_overdue


class Command(BaseCommand):
    help = "Escalate help questions nobody acknowledged in time (safe to run repeatedly)."

    def handle(self, *args, **options):
        self.stdout.write(f"{escalate_overdue()} hulpvraag/-vragen doorgezet.")
