"""Remove access-log entries older than the retention period (R9: 5 years), chain by chain, up to a checkpoint.

Run it as the owner role (on PostgreSQL the app role may not DELETE on the log). It picks the newest checkpoint
written more than AUDIT_RETENTION_DAYS ago, and for every chain in it removes the entries up to that chain's
head there (`log.prune_before`). Verification then starts each chain after the checkpoint. docs/audit-log.md.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.audit import anchors
from apps.audit.log import PruneError, prune_before


class Command(BaseCommand):
    help = "Remove access-log entries older than AUDIT_RETENTION_DAYS, up to the newest checkpoint that old."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say which checkpoint would be used")

    def handle(self, *args, **options):
        checkpoint = anchors.checkpoint_for_retention()
        if checkpoint is None:
            self.stdout.write("No checkpoint older than the retention period: nothing to remove.")
            return
        if options["dry_run"]:
            self.stdout.write(f"Would prune {len(checkpoint.heads)} chains up to checkpoint {checkpoint.written_at}.")
            return
        removed = 0
        for chain in sorted(checkpoint.heads):
            try:
                removed += prune_before(chain, checkpoint)
            except PruneError as e:
                raise CommandError(f"Chain {chain}: {e}") from e
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} entries up to checkpoint {checkpoint.written_at}."))
