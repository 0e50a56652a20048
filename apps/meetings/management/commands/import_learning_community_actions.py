from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.meetings.services import import_seed_actions
from apps.organisations.models import School


class Command(BaseCommand):
    help = "Importeer de acht acties met werkprincipes van de leergemeenschap (seed 000) voor een school."

    def add_arguments(self, parser):
        parser.add_argument("school", help="naam of id van de school")
        parser.add_argument("owner", help="e-mailadres van de eigenaar van de acties")

    def handle(self, school, owner, **options):
        found = School.objects.filter(pk=int(school)) if school.isdigit() else School.objects.filter(name=school)
        if not found.exists():
            raise CommandError(f"School niet gevonden: {school}")
        user = User.objects.filter(email=owner).first()
        if user is None:
            raise CommandError(f"Gebruiker niet gevonden: {owner}")
        try:
            created = import_seed_actions(found.get(), user)
        except Exception as e:  # a ValidationError in Dutch
            raise CommandError(str(e)) from e
        self.stdout.write(f"{created} actie(s) geïmporteerd.")
