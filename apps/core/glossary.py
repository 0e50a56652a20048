"""School words a parent meets in Driehoek, explained in plain words (docs/languages.md).

Parents new to Dutch schools (and to Dutch) meet words such as IB'er, OPP or leerplicht. The word itself
stays Dutch in every language, because it is what the school says; the explanation is Dutch source text
through gettext, so every catalogue translates it. `/woorden/` lists them all, and the `glossary` filter
(apps/core/templatetags/languages.py) links such a word where it appears on the main parent pages.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    word: str
    pattern: str  # where the filter finds it in a text (case-insensitive, whole words)
    explanation: str


TERMS = (
    Term(
        "ib-er",
        "IB'er",
        r"(?-i:IB['’]er)",
        _(
            "De intern begeleider. Deze leerkracht regelt op school de extra hulp voor kinderen die dat nodig "
            "hebben, en praat daarover met ouders en met de jeugdhulp."
        ),
    ),
    Term(
        "groep",
        "groep 1 tot en met 8",
        r"groep\s?[1-8]",
        _(
            "Een klas op de basisschool. Kinderen beginnen rond hun 4e in groep 1 en gaan rond hun 12e na groep 8 "
            "naar de middelbare school. Groep 5 is dus ongeveer 8 of 9 jaar."
        ),
    ),
    Term(
        "opp",
        "OPP",
        r"(?-i:OPP)",
        _(
            "Het ontwikkelingsperspectiefplan. Een plan voor een kind dat veel extra hulp krijgt: wat het kind kan "
            "leren, welke hulp het krijgt en waar het na de school naartoe gaat. De school bespreekt het met u."
        ),
    ),
    Term(
        "handelingsdeel",
        "handelingsdeel",
        r"handelingsdeel",
        _("Het deel van het OPP waarin staat welke hulp uw kind krijgt. Daar vraagt de school uw instemming voor."),
    ),
    Term(
        "mr",
        "MR",
        r"(?-i:MR)",
        _(
            "De medezeggenschapsraad. Ouders en leerkrachten die samen meepraten en meebeslissen over de school. "
            "Ouders kunnen zich kandidaat stellen."
        ),
    ),
    Term(
        "leerplicht",
        "leerplicht",
        r"leerplicht",
        _(
            "De wet die zegt dat een kind vanaf 5 jaar naar school moet. Wie zonder goede reden vaak wegblijft, "
            "krijgt te maken met de leerplichtambtenaar."
        ),
    ),
    Term(
        "leerplichtambtenaar",
        "leerplichtambtenaar",
        r"leerplichtambtenaar",
        _(
            "Iemand van de gemeente die let op de leerplicht. Hij of zij praat met ouders en kind als een kind "
            "vaak niet op school is, en zoekt samen naar een oplossing."
        ),
    ),
    Term(
        "cjg",
        "CJG",
        r"(?-i:CJG)",
        _(
            "Het Centrum voor Jeugd en Gezin. Hier kunt u gratis terecht met vragen over opvoeden en opgroeien. "
            "Het CJG kan ook hulp regelen."
        ),
    ),
    Term(
        "mdo",
        "MDO",
        r"(?-i:MDO)",
        _(
            "Een multidisciplinair overleg: een gesprek over uw kind met school, ouders en andere hulpverleners "
            "samen aan tafel."
        ),
    ),
    Term(
        "gezag",
        "gezag",
        r"gezag",
        _(
            "Ouderlijk gezag: het recht en de plicht om te beslissen over uw kind, bijvoorbeeld over school en "
            "zorg. Een ouder zonder gezag krijgt wel informatie als de school die vraagt."
        ),
    ),
)

PATTERN = re.compile(
    "|".join(rf"(?P<t{i}>(?<![\w-]){term.pattern}(?![\w-]))" for i, term in enumerate(TERMS)), re.IGNORECASE
)


def term_at(match: re.Match) -> Term:
    return TERMS[int(match.lastgroup[1:])]
