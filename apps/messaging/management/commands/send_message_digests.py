from django.core.management.base import BaseCommand

from apps.messaging.services import send_all_digests


class Command(BaseCommand):
    help = "E-mail bundled message notices to everyone whose interval has passed (safe to run repeatedly)."

    def handle(self, *args, **options):
        sent = send_all_digests()
        self.stdout.write(f"{sent} e-mail(s) verstuurd.")
