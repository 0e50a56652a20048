from django.core.management.base import BaseCommand

from apps.meetings.services import flag_stalled_actions


class Command(BaseCommand):
    help = "Meld acties zonder voortgang in 6 weken aan eigenaar en directeur (veilig om vaker te draaien)."

    def handle(self, **options):
        self.stdout.write(f"{flag_stalled_actions()} melding(en) verstuurd.")
