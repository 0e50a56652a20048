"""Demo absence (idempotent): a handful of pupils whose registrations of the last school weeks trip each
rule once — Noor sick 4 times, Daan 7 days in a row, Yara 16 unauthorised hours (the leerplichtambtenaar
is involved), Ravi luxe verzuim, Finn absent on three Mondays, Sem away for more than 4 weeks, and a
"zorgelijk" signal for Lotte. Yara's report is filed in DUO ("geregistreerd"), and the school has a few
test days coming up."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.demo.school import DOMAIN

from . import services
from .models import Absence, Rule, SickReport, Signal, TestDay

TEST_DAYS = ("Rekentoets", "Cito begrijpend lezen", "Spellingtoets")


def _child(first: str, last: str):
    return Child.objects.filter(first_name=first, last_name=last).select_related("school").first()


@transaction.atomic
def load() -> bool:
    noor = _child("Noor", "Peters")
    if noor is None or SickReport.objects.filter(child=noor).exists():
        return False
    try:
        teacher = User.objects.get(email=f"leerkracht1@{DOMAIN}")
        ib = User.objects.get(email=f"ib@{DOMAIN}")
        officer = User.objects.get(email=f"leerplicht@{DOMAIN}")
    except User.DoesNotExist:
        return False
    today = timezone.localdate()
    cal = services.calendar_for(noor.school_id, today - timedelta(days=200), today - timedelta(days=1))
    days = cal.days[-55:]  # the last 11 school weeks before today
    reports, absences = [], []
    reports += [
        SickReport(child=noor, first_day=days[i], last_day=days[i], reported_by=teacher) for i in (3, 16, 31, 47)
    ]
    if daan := _child("Daan", "Peters"):
        reports.append(SickReport(child=daan, first_day=days[20], last_day=days[27], reported_by=teacher))
    if yara := _child("Yara", "Bakkali"):
        absences += [_absence(yara, days[i], "unauthorised", 5.5, teacher) for i in (40, 41, 44)]
    if ravi := _child("Ravi", "Kaya"):
        absences.append(_absence(ravi, days[24], "luxe", 5.5, teacher))
    if finn := _child("Finn", "Postma"):
        mondays = [d for d in days[25:] if d.weekday() == 0][:3]
        absences += [_absence(finn, d, "unauthorised", 1, teacher) for d in mondays]
    if sem := _child("Sem", "de Wit"):
        absences += [_absence(sem, d, "unauthorised", 5.5, teacher) for d in days[:22]]
    coming = services.calendar_for(noor.school_id, today + timedelta(days=7), today + timedelta(days=60)).days
    TestDay.objects.bulk_create(
        [
            TestDay(school=noor.school, day=d, name=name, added_by=ib)
            for d, name in zip(coming[::10], TEST_DAYS, strict=False)
        ]
    )
    SickReport.objects.bulk_create(reports)
    Absence.objects.bulk_create(absences)
    services.evaluate_school(noor.school, today=today)
    duo = Signal.objects.filter(child=yara, rule=Rule.DUO).first() if yara else None
    if duo:
        services.complete_step(Actor(ib, channel="job"), duo, note="Melding gedaan bij DUO.", officer=officer)
        services.set_duo_status(Actor(ib, channel="job"), duo, "registered", reference="DEMO-0001", today=today)
    if lotte := _child("Lotte", "de Boer"):
        services.flag_worry(Actor(ib, channel="job"), lotte, note="Lotte is vaak moe en stil.")
    return True


def _absence(child, day, reason, hours, author) -> Absence:
    return Absence(child=child, day=day, reason=reason, hours=Decimal(str(hours)), recorded_by=author)
