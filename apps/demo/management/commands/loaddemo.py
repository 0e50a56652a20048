import json
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.demo import school


class Command(BaseCommand):
    help = "Load the fictional demo school De Wegwijzer (idempotent) and list the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the demo accounts as JSON.")

    def handle(self, *args, **options):
        created = school.build()
        # Every domain app may add its own demo data through `<app>.demo.load()`; each is idempotent.
        for app in settings.DOMAIN_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as e:
                if e.name != f"{app}.demo":
                    raise
                continue
            if hasattr(module, "load"):
                module.load()
        accounts = school.accounts_listing()
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        self.stdout.write(("Demo-school aangemaakt." if created else "Demo-school bestond al.") + "\n")
        self.stdout.write(f"Demo log-ins (wachtwoord voor iedereen: {school.DEMO_PASSWORD}):")
        for row in accounts:
            self.stdout.write(f"  {row['role']:<22} {row['email']:<40} {row['name']}")
