from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.backups import services


class Command(BaseCommand):
    help = "Schrijf een versleutelde back-up van de database en de geüploade bestanden (REL-01)."

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP, help="Hoeveel back-ups bewaren.")
        parser.add_argument("--list", action="store_true", help="Toon de bewaarde back-ups.")

    def handle(self, *args, keep, list, **options):
        if list:
            for name in services.list_backups():
                self.stdout.write(name)
            return
        try:
            name = services.create_backup()
        except services.BackupError as e:
            raise CommandError(str(e)) from e
        removed = services.prune_backups(keep)
        self.stdout.write(self.style.SUCCESS(f"Back-up geschreven: {name}"))
        if removed:
            self.stdout.write(f"Oude back-ups opgeruimd: {len(removed)}")
