"""manage.py import_school --school BRIN FILE [FILE ...] [--apply]

Without --apply it prints the dry run and changes nothing. It acts as the school's first administrator
(or --as EMAIL), under the same permissions as the page. Exits non-zero with the Dutch reasons when a file
cannot be read or has unreadable rows.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import User
from apps.enrolment import services
from apps.enrolment.models import ImportRun
from apps.enrolment.parsers.records import UnreadableFile
from apps.enrolment.permissions import IMPORT_ROLES
from apps.organisations.models import Membership, School


class Command(BaseCommand):
    help = "Importeer EDEXML- of CSV-bestanden uit de leerlingadministratie voor één school."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="BRIN van de school (bijv. 99ZZ)")
        parser.add_argument("files", nargs="+")
        parser.add_argument("--apply", action="store_true", help="Verwerk de wijzigingen (anders alleen een voorbeeld)")
        parser.add_argument("--as", dest="as_email", default="", help="E-mailadres van wie importeert")
        parser.add_argument("--kind", default="", help="csv_pupils, csv_guardians of csv_staff (anders herkend)")

    def handle(self, *args, school, files, apply, as_email, kind, **options):
        school_obj = School.objects.filter(brin__iexact=school).first()
        if school_obj is None:
            raise CommandError(f"Er is geen school met BRIN {school}.")
        user = self._importer(school_obj, as_email)
        failed = False
        for name in files:
            failed |= not self._one(school_obj, user, Path(name), apply, kind)
        if failed:
            raise CommandError("Niet alle bestanden konden worden verwerkt; zie hierboven.")

    def _importer(self, school, email):
        if email:
            return User.objects.filter(email=email.lower()).first()
        m = Membership.objects.filter(school=school, role__in=IMPORT_ROLES, active=True).order_by("pk").first()
        if m is None:
            raise CommandError("Deze school heeft nog geen schooladministratie, directeur of IB'er; gebruik --as.")
        return m.user

    def _one(self, school, user, path: Path, apply: bool, kind: str) -> bool:
        try:
            services.check_size(path.stat().st_size)
            content = path.read_bytes()
            with transaction.atomic():
                run = services.start_import(user=user, school=school, file_name=path.name, content=content, kind=kind)
                if run.status == ImportRun.Status.MAPPING:
                    raise UnreadableFile(
                        f"{path.name}: de kolommen zijn niet herkend; koppel ze eenmalig op de pagina."
                    )
        except (OSError, UnreadableFile, PermissionDenied) as e:
            self.stderr.write(f"{path.name}: {e}")
            return False
        self._print(run)
        if run.row_errors or run.summary.get("refused"):
            return False
        if apply:
            run = services.confirm(user=user, run=run)
            if run.status == ImportRun.Status.APPLYING:
                run = services.apply_run(run.pk, mail=False)
            if run.status != ImportRun.Status.APPLIED:
                self.stderr.write(f"{path.name}: {run.error}")
                return False
            self.stdout.write(f"{path.name}: verwerkt.")
        else:
            services.discard(user=user, run=run)
            self.stdout.write(f"{path.name}: alleen een voorbeeld; er is niets veranderd (gebruik --apply).")
        return True

    def _print(self, run):
        s = run.summary
        if s.get("refused"):
            self.stderr.write(f"{run.file_name}: {s['refused']}")
            return
        c = s.get("counts", {})
        p, g, st, o = (c.get(k, {}) for k in ("pupils", "groups", "staff", "guardians"))
        self.stdout.write(
            f"{run.file_name} (schooljaar {s.get('school_year', '')}): leerlingen {p.get('added', 0)} nieuw, "
            f"{p.get('changed', 0)} gewijzigd, {p.get('moved', 0)} naar een andere groep, "
            f"{p.get('left', 0)} vertrokken; groepen {g.get('added', 0)} nieuw; "
            f"medewerkers {st.get('added', 0)} nieuw, {st.get('removed', 0)} vertrokken; "
            f"ouders {o.get('added', 0)} nieuw, {o.get('linked', 0)} koppelingen"
        )
        for w in s.get("warnings", []):
            self.stdout.write(f"  {w}")
        for e in s.get("errors", []):
            self.stderr.write(f"  regel {e['line']}: {e['message']}")
