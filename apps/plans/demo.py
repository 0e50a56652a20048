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


def load(today: date | None = None) -> int:
    """Create the demo plans once, then Emma's OPP and groeidocument; returns the number of agreements."""
    created = load_plans(today)
    load_opp_and_groeidocument(today)
    return created


@transaction.atomic
def load_plans(today: date | None = None) -> int:
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


@transaction.atomic
def load_opp_and_groeidocument(today: date | None = None) -> bool:
    """Emma Yilmaz (two parents with gezag, a gezinscoach): the family's own plan, an OPP with its
    perspective and support lines whose version 1 has Elif's consent and awaits Can's, and a groeidocument
    in draft before the MDO (docs/opp.md). Skipped when Emma already has an OPP."""
    from .groei_models import FamilyGoal, Groeidocument, LifeDomain
    from .opp import rules
    from .opp import services as opp_services
    from .opp_models import HandelingsdeelAnswer, HandelingsdeelVersion, Opp, SupportLine

    today = today or timezone.localdate()
    child = Child.objects.filter(first_name="Emma", last_name="Yilmaz", school__name=SCHOOL_NAME).first()
    ib, elif_, can = _user("ib"), _user("ouder.yilmaz"), _user("ouder.yilmaz2")
    if child is None or None in (ib, elif_, can) or Opp.objects.filter(child=child).exists():
        return False
    mornings = FamilyGoal.objects.create(
        child=child,
        life_domain=LifeDomain.FAMILY,
        text="Rustige ochtenden, zodat Emma op tijd en zonder ruzie naar school gaat.",
        written_by=elif_,
    )
    FamilyGoal.objects.create(
        child=child, life_domain=LifeDomain.SCHOOL, text="Emma gaat weer met plezier naar school.", written_by=elif_
    )
    for text, words, domain, family_goal in (
        ("Emma rekent de sommen tot 100 zelfstandig.", "Ik wil sommen maken zonder hulp.", LifeDomain.SCHOOL, None),
        ("Emma start de dag rustig in de klas.", "Ik wil 's ochtends rustig beginnen.", LifeDomain.FAMILY, mornings),
    ):
        goal = Goal.objects.create(
            child=child,
            text=text,
            child_words=words,
            life_domain=domain,
            family_goal=family_goal,
            evaluate_on=today + timedelta(days=60),
            created_by=ib,
        )
        PlanChange.objects.create(
            child=child, kind=PlanChange.Kind.GOAL_ADDED, summary=f"Nieuw doel: {text}", by=ib, goal=goal
        )
    opp = Opp.objects.create(
        child=child,
        needed_since=today - timedelta(days=20),
        outflow_destination="VMBO kader",
        outflow_reasons="Emma leert goed met extra uitleg en herhaling; rekenen blijft achter.",
        hindering_child="Snel afgeleid, rekenen tot 100 nog niet zeker.",
        hindering_home="Drukke ochtenden sinds de scheiding.",
        supporting_child="Werkt graag samen, doorzetter.",
        supporting_school="Kleine instructiegroep in groep 4.",
        supporting_home="Ouders denken mee en lezen elke avond voor.",
        deviations="Eigen leerlijn rekenen.",
        pupil_view="Ik vind rekenen moeilijk, maar in het kleine groepje gaat het beter.",
        pupil_view_by=ib,
        pupil_view_at=timezone.now(),
        created_by=ib,
    )
    for what, how_often in (
        ("Rekenen in een kleine instructiegroep", "4x per week"),
        ("Gesprek met Emma over hoe het gaat", "1x per twee weken"),
    ):
        SupportLine.objects.create(opp=opp, what=what, who="Juf Sanne (RT)", how_often=how_often, starts_on=today)
    opp.child = child
    content = opp_services.handelingsdeel_content(opp)
    version = HandelingsdeelVersion.objects.create(
        opp=opp, number=1, content=content, content_hash=rules.content_hash(content), proposed_by=ib
    )
    HandelingsdeelAnswer.objects.create(version=version, user=elif_, answer="consent")  # Can has not answered yet
    PlanChange.objects.create(
        child=child,
        kind=PlanChange.Kind.OPP_PROPOSED,
        summary="Handelingsdeel versie 1 ligt bij de ouders ter instemming.",
        by=ib,
    )
    Groeidocument.objects.create(
        child=child,
        request_kind=Groeidocument.Request.ARRANGEMENT,
        school_question="Welke extra ondersteuning bij rekenen kan Emma krijgen?",
        school_view="Emma werkt hard en doet goed mee in het kleine groepje; zelfstandig rekenen lukt nog niet.",
        needs="Korte instructie, herhaling en een rustige start van de dag.",
        school_by=ib,
        school_at=timezone.now(),
        mdo_on=today + timedelta(days=14),
        mdo_participants="IB'er, ouders, gezinscoach, orthopedagoog van het samenwerkingsverband",
        created_by=ib,
    )
    return True
