from django.core.management.base import BaseCommand, CommandError

from apps.backups import services


class Command(BaseCommand):
    help = "Zet een back-up terug: vervangt ALLE gegevens en bestanden, en controleert daarna of alles klopt."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="De naam van de back-up (zie `backup --list`).")
        parser.add_argument("--latest", action="store_true", help="De nieuwste back-up.")
        parser.add_argument("--yes", action="store_true", help="Niet om bevestiging vragen.")

    def handle(self, *args, name, latest, yes, **options):
        if latest:
            names = services.list_backups()
            if not names:
                raise CommandError("Er is nog geen back-up.")
            name = names[-1]
        if not name:
            raise CommandError("Geef de naam van een back-up, of --latest.")
        if not yes:
            self.stdout.write(f"Dit vervangt alle gegevens en bestanden door die van {name}.")
            if input("Typ 'herstel' om door te gaan: ").strip() != "herstel":
                raise CommandError("Niets gewijzigd.")
        try:
            restored = services.restore_backup(name)
        except services.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                f"Teruggezet: {name} (van {restored.created_at}); {restored.tables} tabellen en "
                f"{restored.files} bestanden komen overeen met de back-up; {restored.seconds} s."
            )
        )
        self.stdout.write("Draai nu `manage.py migrate` als de code nieuwer is dan de back-up.")
