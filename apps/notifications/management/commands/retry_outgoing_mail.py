from django.core.management.base import BaseCommand

from apps.notifications.services import retry_outgoing_mail


class Command(BaseCommand):
    help = "Send queued e-mails whose wait is over (safe to run repeatedly, also twice at once)."

    def handle(self, *args, **options):
        sent = retry_outgoing_mail()
        self.stdout.write(f"{sent} e-mail(s) verstuurd.")
