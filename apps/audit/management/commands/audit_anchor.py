from django.core.management.base import BaseCommand

from apps.audit import anchors


class Command(BaseCommand):
    help = (
        "Record every chain head of the access log in AUDIT_ANCHOR_DIR and on the security log (the scheduler: "
        "hourly); --checkpoint records a checkpoint instead (the mark up to which pruning may later go)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true")

    def handle(self, *args, **options):
        if options["checkpoint"]:
            anchor = anchors.current("checkpoint")
            anchor = anchors.record(anchor) if anchor else None
        else:
            anchor = anchors.anchor_head("head")
        if anchor is None:
            self.stdout.write("The access log is empty: nothing to anchor.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Anchored {len(anchor.heads)} chains ({anchor.kind}, {anchor.written_at}).")
            )
