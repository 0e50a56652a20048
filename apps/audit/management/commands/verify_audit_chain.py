from django.core.management.base import BaseCommand, CommandError

from apps.audit.log import verify_chain


class Command(BaseCommand):
    help = "Check that the access log's hash chain is unbroken (nobody changed or removed entries)."

    def handle(self, *args, **options):
        ok, checked, broken_at = verify_chain()
        if not ok:
            raise CommandError(f"Access log chain broken at entry {broken_at} (after {checked} good entries).")
        self.stdout.write(self.style.SUCCESS(f"Access log intact: {checked} entries checked."))
