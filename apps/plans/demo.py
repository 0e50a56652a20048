"""Demo plans for a handful of children of De Wegwijzer (idempotent: skipped when present)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.circles.models import Child
from apps.demo.school import DOMAIN, SCHOOL_NAME

from .models import Agreement, AgreementStatus, Goal, PlanChange


def _user(local):
    return User.objects.filter(email=f"{local}@{DOMAIN}").first()


def plans(today: date) -> dict:
    """child -> (goals, agreements); agreements are (what, owner, days from today, status, reason, goal index)."""
    return {
        # Separated family with CJG support.
        ("Lotte", "de Boer"): (
            [
                ("Lotte leest weer met plezier (AVI E6).", "Ik wil weer leuke boeken lezen.", 60),
                (
                    "Lotte kan vertellen wat ze voelt en bij wie ze terecht kan.",
                    "Ik wil zeggen als ik verdrietig ben.",
                    90,
                ),
            ],
            [
                ("Elke avond 15 minuten samen lezen.", "ouder.deboer", 2, AgreementStatus.OPEN, "", 0),
                ("Boekenlijst met paardenboeken klaarzetten.", "leerkracht6", -7, AgreementStatus.DONE, "", 0),
                ("Gesprek met Lotte over oma, samen met moeder.", "cjg", 10, AgreementStatus.OPEN, "", 1),
                ("Vader informeren over het plan.", "ib", -3, AgreementStatus.OPEN, "", None),
                (
                    "Wekelijks huiswerkuur op school.",
                    "leerkracht6",
                    -20,
                    AgreementStatus.DROPPED,
                    "Lotte gaat naar de bieb.",
                    0,
                ),
            ],
        ),
        # Youth-care trajectory closed; transfer to secondary school.
        ("Sem", "de Wit"): (
            [("Sem plant zijn huiswerk zelf in een agenda.", "Ik wil zelf mijn huiswerk plannen zonder gedoe.", 45)],
            [
                ("Agenda elke vrijdag met de mentor doornemen.", "leerkracht8", 5, AgreementStatus.OPEN, "", 0),
                ("Zelf de open dagen uitzoeken.", "leerling", 14, AgreementStatus.OPEN, "", None),
                (
                    "Warme overdracht naar het voortgezet onderwijs voorbereiden.",
                    "ib",
                    30,
                    AgreementStatus.OPEN,
                    "",
                    None,
                ),
                ("Terugkoppeling jeugdhulp aan school.", "cjg", -30, AgreementStatus.DONE, "", None),
            ],
        ),
        ("Noor", "Peters"): (
            [("Noor leest vloeiender (AVI M5).", "Ik wil sneller lezen, net als in mijn strips.", 75)],
            [
                ("Extra leesbegeleiding twee keer per week.", "leerkracht5", 7, AgreementStatus.OPEN, "", 0),
                ("Thuis strips voorlezen aan Daan.", "ouder", 1, AgreementStatus.OPEN, "", 0),
            ],
        ),
    }


@transaction.atomic
def load(today: date | None = None) -> int:
    """Create the demo plans once; returns the number of agreements created."""
    today = today or timezone.localdate()
    created = 0
    ib = _user("ib")
    for (first, last), (goals, agreements) in plans(today).items():
        child = Child.objects.filter(first_name=first, last_name=last, school__name=SCHOOL_NAME).first()
        if child is None or ib is None or Goal.objects.filter(child=child).exists():
            continue
        goal_objs = []
        for text, words, days in goals:
            goal = Goal.objects.create(
                child=child, text=text, child_words=words, evaluate_on=today + timedelta(days=days), created_by=ib
            )
            PlanChange.objects.create(
                child=child, kind=PlanChange.Kind.GOAL_ADDED, summary=f"Nieuw doel: {text}", by=ib, goal=goal
            )
            goal_objs.append(goal)
        for what, owner_local, days, status, reason, goal_index in agreements:
            owner = _user(owner_local)
            if owner is None:
                continue
            agreement = Agreement.objects.create(
                child=child,
                goal=goal_objs[goal_index] if goal_index is not None else None,
                what=what,
                owner=owner,
                due=today + timedelta(days=days),
                status=status,
                reason=reason,
                created_by=ib,
            )
            PlanChange.objects.create(
                child=child,
                kind=PlanChange.Kind.AGREEMENT_ADDED,
                summary=f"Nieuwe afspraak: {what} ({owner.full_name})",
                by=ib,
                agreement=agreement,
            )
            created += 1
    return created
