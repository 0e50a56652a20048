import logging

from django.core.management.base import BaseCommand, CommandError

from apps.audit import anchors
from apps.audit.log import chain_of, verify_chain

log = logging.getLogger("driehoek.security")


class Command(BaseCommand):
    help = (
        "Check that every chain of the access log (one per child) is unbroken (nobody changed or removed entries) "
        "and still reaches its head in the newest anchor in AUDIT_ANCHOR_DIR (nobody cut off the newest entries)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--anchor", help="compare with this anchor instead: a file with one anchor, or security-log JSON lines"
        )
        source.add_argument("--backup", help="compare with the anchor in this backup's manifest ('latest': the newest)")
        parser.add_argument("--child", type=int, help="check only this child's chain (its id)")

    def handle(self, *args, **options):
        try:
            anchor = self._anchor(options)
            checkpoints = anchors.checkpoints()
        except anchors.AnchorError as e:
            log.error("access log anchor unreadable", extra={"event": "audit_chain_broken", "reason": str(e)})
            raise CommandError(str(e)) from e
        if anchor is None:
            self.stderr.write(
                self.style.WARNING(
                    "No anchor found: removal of the newest entries cannot be detected. "
                    "Check AUDIT_ANCHOR_DIR and that the scheduler runs apps.audit.tasks.anchor_audit_chain."
                )
            )
        chain = chain_of(options["child"]) if options["child"] is not None else None
        result = verify_chain(chain=chain, anchor=anchor, checkpoints=checkpoints)
        if not result.ok:
            where = f" at entry {result.broken_at}" if result.broken_at is not None else ""
            on = f" on chain {result.chain}" if result.chain else ""
            log.error(
                "access log chain broken",
                extra={
                    "event": "audit_chain_broken",
                    "entry": result.broken_at,
                    "chain": result.chain,
                    "reason": result.reason,
                },
            )
            raise CommandError(
                f"Access log chain broken{on}{where}: {result.reason} (after {result.checked} good entries)."
            )
        against = f", against anchor {anchor.kind} of {anchor.written_at}" if anchor else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Access log intact: {result.checked} entries on {result.chains} chains checked{against}."
            )
        )

    def _anchor(self, options):
        if options["anchor"]:
            return anchors.load(options["anchor"])
        if options["backup"]:
            from apps.backups import services

            try:
                return services.audit_anchor_of(options["backup"])
            except services.BackupError as e:
                raise CommandError(str(e)) from e
        return anchors.newest()
