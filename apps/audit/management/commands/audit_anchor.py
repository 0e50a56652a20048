from django.core.management.base import BaseCommand

from apps.audit import anchors


class Command(BaseCommand):
    help = "Record the access log's newest entry in AUDIT_ANCHOR_DIR and on the security log (the scheduler: hourly)."

    def handle(self, *args, **options):
        anchor = anchors.anchor_head("head")
        if anchor is None:
            self.stdout.write("The access log is empty: nothing to anchor.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Anchored entry {anchor.pk} ({anchor.written_at})."))
