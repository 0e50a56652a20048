"""The step plan of the demo school "De Wegwijzer" (seed 000 action 8). Idempotent."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.demo.school import DOMAIN, SCHOOL_NAME
from apps.organisations.models import School

from .models import HelpGuide, SchoolHoliday, Step, Topic

STEPS = [
    {
        "title": "Praat met de leerkracht",
        "person_name": "",
        "role": "De leerkracht van uw kind",
        "how_to_reach": "Even bij de deur na schooltijd, of stuur een bericht in Driehoek.",
        "when_reachable": "Elke schooldag van 14.30 tot 15.30 uur.",
        "description": "De leerkracht ziet uw kind elke dag. Vertel wat u opvalt of waar u zich zorgen over maakt.",
        "what_next": (
            "Samen kijkt u wat uw kind nodig heeft. Is er meer nodig, dan vraagt de leerkracht de IB'er erbij."
        ),
        "child_title": "Vertel het aan je juf of meester",
        "child_text": "Je juf of meester luistert naar je. Je mag altijd iets vragen, ook als het over thuis gaat.",
    },
    {
        "title": "Praat met de IB'er",
        "person_name": "Marieke Jansen",
        "role": "Intern begeleider (IB'er)",
        "how_to_reach": "Bericht in Driehoek, of bel de school (010 - 123 45 67).",
        "when_reachable": "Dinsdag en donderdag.",
        "description": "De IB'er helpt als er meer nodig is dan de klas kan bieden: bij leren, gedrag of zorgen thuis.",
        "what_next": (
            "U maakt een afspraak voor een gesprek, met de leerkracht erbij. U hoort binnen 2 schooldagen van ons."
        ),
        "child_title": "Praat met juf Marieke",
        "child_text": "Juf Marieke helpt kinderen die ergens mee zitten. Ze heeft haar kamertje naast de gymzaal.",
    },
    {
        "title": "Het CJG: Centrum voor Jeugd en Gezin",
        "person_name": "Maria de Vries",
        "role": "CJG-medewerker, CJG Rivierstad",
        "how_to_reach": "Loop binnen bij het spreekuur op school, of bel het CJG (0800 - 123 45 67, gratis).",
        "when_reachable": "Inloopspreekuur op school: woensdag 8.30 tot 10.00 uur.",
        "languages": "Engels, Turks",
        "description": (
            "Voor vragen over opvoeden, slapen, eten, ruzie thuis, geld of scheiden. U hoeft geen verwijzing."
        ),
        "what_next": "Maria denkt met u mee. Alleen als u dat wilt, praat zij ook met school (met uw toestemming).",
        "child_title": "Maria van het CJG",
        "child_text": "Maria helpt kinderen en ouders als het thuis even moeilijk is. Ze komt elke woensdag op school.",
    },
    {
        "title": "Het wijkteam of de huisarts",
        "person_name": "",
        "role": "Wijkteam Oost of uw huisarts",
        "how_to_reach": "Via het CJG of de IB'er, of zelf via de gemeente.",
        "when_reachable": "Op werkdagen.",
        "description": "Als er langere of zwaardere hulp nodig is.",
        "what_next": "Er komt één vast aanspreekpunt voor uw gezin, en een plan dat u samen maakt.",
        "child_title": "Nog meer hulp",
        "child_text": "Soms is er meer hulp nodig. Dan komt er iemand die met jou en je ouders een plan maakt.",
    },
]


@transaction.atomic
def load() -> bool:
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None or HelpGuide.objects.filter(school=school).exists():
        return False
    guide = HelpGuide.objects.create(
        school=school,
        intro="Heeft u een vraag of zorg over uw kind? U hoeft het niet alleen uit te zoeken. "
        "Hier ziet u stap voor stap bij wie u terecht kunt. Wij willen graag contact met u, ook als alles goed gaat. "
        "Spreekt u liever een andere taal? Zeg het ons: wij regelen iemand die vertaalt.",
        child_intro="Zit je ergens mee? Je mag altijd iets vragen. Hier zie je wie je kan helpen.",
        ack_school_days=2,
    )
    for order, step in enumerate(STEPS, start=1):
        Step.objects.create(guide=guide, order=order, **step)
    ib = User.objects.filter(email=f"ib@{DOMAIN}").first()
    cjg = User.objects.filter(email=f"cjg@{DOMAIN}").first()
    for order, (name, handler) in enumerate(
        [
            ("Leren en huiswerk", ib),
            ("Gedrag en gevoelens", ib),
            ("Opvoeden, slapen, thuis", cjg),
            ("Pesten", ib),
            ("Iets anders", None),
        ],
        start=1,
    ):
        Topic.objects.create(guide=guide, name=name, handler=handler, order=order)
    year = timezone.localdate().year
    christmas = {"start": date(year, 12, 19), "end": date(year + 1, 1, 3)}
    SchoolHoliday.objects.create(school=school, name="Kerstvakantie", **christmas)
    return True
