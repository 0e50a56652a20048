"""Demo timelines for a handful of children of De Wegwijzer (idempotent: skipped when present)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.circles.models import Child
from apps.demo.school import DOMAIN, SCHOOL_NAME

from .models import Kind, TimelineEntry


def _child(first, last):
    return Child.objects.filter(first_name=first, last_name=last, school__name=SCHOOL_NAME).first()


def _user(local):
    return User.objects.filter(email=f"{local}@{DOMAIN}").first()


def _years_back(today: date, years: int, month: int, day: int) -> date:
    return date(today.year - years, month, day)


def stories(today: date) -> dict:
    """(child) -> list of (date, end, kind, category, author e-mail local part, text)."""
    y = today.year
    return {
        # Separated family, father without authority; CJG supports mother and Lotte.
        ("Lotte", "de Boer"): [
            (date(y - 10, 2, 20), None, Kind.LIFE_EVENT, "basic", "ouder.deboer", "Lotte is geboren."),
            (date(y - 6, 8, 25), None, Kind.SCHOOL, "development", "ib", "Start in groep 1/2 op De Wegwijzer."),
            (date(y - 4, 3, 1), None, Kind.LIFE_EVENT, "basic", "ouder.deboer", "Papa en mama gaan uit elkaar."),
            (
                date(y - 4, 6, 1),
                None,
                Kind.LIFE_EVENT,
                "basic",
                "ouder.deboer",
                "Verhuisd naar een appartement bij de school.",
            ),
            (
                date(y - 3, 10, 1),
                None,
                Kind.STRENGTH,
                "basic",
                "leerkracht6",
                "Lotte zorgt goed voor jongere kinderen op het plein.",
            ),
            (
                date(y - 2, 1, 15),
                None,
                Kind.SIGNAL,
                "development",
                "ib",
                "Stiller in de klas na de vakantie; minder zin in lezen.",
            ),
            (
                date(y - 2, 2, 10),
                None,
                Kind.CONVERSATION,
                "support",
                "ib",
                "Gesprek met moeder en Lotte over hoe het thuis gaat.",
            ),
            (
                date(y - 2, 3, 1),
                date(y - 1, 6, 30),
                Kind.SUPPORT,
                "support",
                "cjg",
                "CJG-ondersteuning: gesprekken met Lotte en moeder.",
            ),
            (
                date(y - 1, 5, 20),
                None,
                Kind.STRENGTH,
                "basic",
                "ouder.deboer",
                "Lotte heeft haar zwemdiploma C gehaald!",
            ),
            (
                date(y - 1, 9, 1),
                None,
                Kind.SCHOOL,
                "development",
                "leerkracht6",
                "Overgang naar groep 6; goed gestart.",
            ),
            (
                today - timedelta(days=30),
                None,
                Kind.LIFE_EVENT,
                "health",
                "ouder.deboer",
                "Oma is overleden; Lotte is verdrietig.",
            ),
            (
                today - timedelta(days=10),
                None,
                Kind.STRENGTH,
                "basic",
                "leerkracht6",
                "Mooie spreekbeurt over paarden.",
            ),
        ],
        # Youth-care trajectory; Sem (12) adds entries himself.
        ("Sem", "de Wit"): [
            (date(y - 12, 3, 15), None, Kind.LIFE_EVENT, "basic", "ouder.dewit", "Sem is geboren."),
            (
                date(y - 5, 9, 1),
                None,
                Kind.SIGNAL,
                "development",
                "ib",
                "Veel onrust in de klas; moeite met samenwerken.",
            ),
            (
                date(y - 4, 1, 10),
                None,
                Kind.SUPPORT,
                "support",
                "ib",
                "Aanmelding bij het CJG met toestemming van moeder.",
            ),
            (
                date(y - 4, 3, 1),
                date(y - 3, 7, 1),
                Kind.SUPPORT,
                "support",
                "cjg",
                "Jeugdhulp: sociale-vaardigheidstraining.",
            ),
            (date(y - 3, 11, 5), None, Kind.LIFE_EVENT, "health", "ouder.dewit", "Onderzoek naar ADHD afgerond."),
            (
                date(y - 2, 4, 1),
                None,
                Kind.STRENGTH,
                "basic",
                "leerling",
                "Ik ben goed in programmeren en heb een spel gemaakt.",
            ),
            (
                date(y - 1, 2, 1),
                None,
                Kind.SUPPORT,
                "support",
                "cjg",
                "Jeugdhulp afgesloten; afspraken overgedragen aan school.",
            ),
            (
                date(y - 1, 9, 1),
                None,
                Kind.SCHOOL,
                "development",
                "leerkracht8",
                "Start groep 8; adviesgesprek gepland.",
            ),
            (
                today - timedelta(days=14),
                None,
                Kind.CONVERSATION,
                "support",
                "ib",
                "Kindgesprek over de overstap naar de middelbare school.",
            ),
            (
                today - timedelta(days=3),
                None,
                Kind.STRENGTH,
                "basic",
                "leerling",
                "Ik heb de eerste plaats bij de rekenwedstrijd.",
            ),
        ],
        ("Noor", "Peters"): [
            (date(y - 9, 4, 12), None, Kind.LIFE_EVENT, "basic", "ouder", "Noor is geboren."),
            (date(y - 7, 9, 2), None, Kind.LIFE_EVENT, "basic", "ouder", "Broertje Daan is geboren."),
            (date(y - 1, 9, 1), None, Kind.SCHOOL, "development", "leerkracht5", "Overgang naar groep 5."),
            (today - timedelta(days=40), None, Kind.SIGNAL, "development", "leerkracht5", "Leest trager dan verwacht."),
            (today - timedelta(days=20), None, Kind.STRENGTH, "basic", "ouder", "Noor tekent prachtige stripverhalen."),
        ],
        # Separated parents, both with authority; wijkteam coach (consent pending).
        ("Emma", "Yilmaz"): [
            (date(y - 8, 6, 30), None, Kind.LIFE_EVENT, "basic", "ouder.yilmaz", "Emma is geboren."),
            (
                date(y - 2, 9, 1),
                None,
                Kind.LIFE_EVENT,
                "basic",
                "ouder.yilmaz",
                "Ouders wonen apart; Emma woont om de week bij papa.",
            ),
            (
                today - timedelta(days=60),
                None,
                Kind.CONVERSATION,
                "support",
                "ib",
                "Gesprek met beide ouders over een gezinscoach.",
            ),
            (
                today - timedelta(days=5),
                None,
                Kind.STRENGTH,
                "basic",
                "ouder.yilmaz2",
                "Emma fietst nu zelf naar school.",
            ),
        ],
    }


@transaction.atomic
def load(today: date | None = None) -> int:
    """Create the demo timelines once; returns the number of entries created."""
    today = today or timezone.localdate()
    created = 0
    for (first, last), rows in stories(today).items():
        child = _child(first, last)
        if child is None or TimelineEntry.objects.filter(child=child).exists():
            continue
        entries = []
        for happened_on, ends_on, kind, category, author, text in rows:
            user = _user(author)
            if user is None or happened_on < child.date_of_birth:
                continue
            entries.append(
                TimelineEntry(
                    child=child,
                    kind=kind,
                    happened_on=happened_on,
                    ends_on=ends_on,
                    text=text,
                    category=category,
                    author=user,
                )
            )
        created += len(TimelineEntry.objects.bulk_create(entries))
    return created
