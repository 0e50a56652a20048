"""The questionnaires of the partnership monitor (docs/learning.md). Each item measures one key: one of the
seven keys or one of the working factors, by the fixed slug of the knowledge base (apps/knowledge/content.py).
Parents and professionals are addressed with "u", children (from groep 5) with "je" in simple words."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Perspective

SCALE_MIN, SCALE_MAX = 1, 5

# The names of the keys as the monitor shows them (the knowledge base may word them differently).
KEY_LABELS = {
    "relaties": _("duurzame relaties"),
    "kind-in-context": _("kind in zijn omgeving centraal"),
    "vakbekwaam": _("vakbekwame professional"),
    "ruimte": _("ruimte om samen te werken"),
    "aanbod": _("dekkend aanbod en maatwerk"),
    "ontschotten": _("onderwijs en jeugdhulp ontschot"),
    "bestaanszekerheid": _("hulp bij bestaanszekerheid"),
    "korte-lijntjes": _("korte lijntjes"),
    "open-transparant": _("open en transparant"),
    "met-kind": _("mét het kind"),
    "gelijkwaardig": _("ouders gelijkwaardig"),
    "breder-kijken": _("breder kijken"),
    "kwaliteiten": _("kwaliteiten van het kind"),
    "vaste-mensen": _("vaste mensen"),
}


@dataclass(frozen=True)
class Item:
    code: str
    key: str
    text: str


PARENT_ITEMS = [
    Item("p1", "relaties", _("Ik vertrouw de mensen van school en jeugdhulp die met mijn kind werken.")),
    Item("p2", "korte-lijntjes", _("Als ik iets wil vragen, weet ik snel bij wie ik terecht kan.")),
    Item("p3", "open-transparant", _("School vertelt mij open wat er met mijn kind gebeurt en waarom.")),
    Item("p4", "met-kind", _("Er wordt mét mijn kind gepraat, niet alleen óver mijn kind.")),
    Item("p5", "gelijkwaardig", _("Wat ik weet over mijn kind, wordt serieus genomen.")),
    Item("p6", "kind-in-context", _("School kijkt ook naar hoe het thuis gaat, niet alleen naar school.")),
    Item("p7", "kwaliteiten", _("School ziet ook wat mijn kind goed kan.")),
    Item("p8", "vaste-mensen", _("Ik hoef mijn verhaal niet steeds opnieuw te vertellen.")),
    Item("p9", "vakbekwaam", _("De leerkracht weet goed hoe je met ouders samenwerkt.")),
    Item("p10", "ontschotten", _("School en jeugdhulp (zoals het CJG) werken goed samen.")),
]

PROFESSIONAL_ITEMS = [
    Item("w1", "relaties", _("Ik ken de ouders en de andere professionals rond de kinderen, en weet wat zij kunnen.")),
    Item("w2", "korte-lijntjes", _("Ik kan ouders en collega's van school of jeugdhulp snel bereiken.")),
    Item("w3", "open-transparant", _("Ouders horen van ons op tijd en open wat we doen en waarom.")),
    Item("w4", "met-kind", _("We praten met de kinderen zelf over wat zij nodig hebben.")),
    Item("w5", "gelijkwaardig", _("Ouders zijn bij ons een gelijkwaardige partner.")),
    Item("w6", "kind-in-context", _("We kijken eerst breed naar het kind en het gezin, en maken daarna een plan.")),
    Item("w7", "kwaliteiten", _("We brengen ook de sterke kanten van het kind in beeld.")),
    Item("w8", "vaste-mensen", _("Als een collega wisselt, is er een warme overdracht.")),
    Item("w9", "vakbekwaam", _("Ik weet genoeg en kan genoeg om goed samen te werken met ouders en collega's.")),
    Item("w10", "ontschotten", _("School en jeugdhulp lossen knelpunten tussen hun regels samen op.")),
    Item("w11", "ruimte", _("Ik heb genoeg tijd en ruimte om samen te werken.")),
    Item("w12", "aanbod", _("Past een kind net niet in het bestaande aanbod, dan is er ruimte voor maatwerk.")),
    Item("w13", "bestaanszekerheid", _("We werken samen met de hulp bij geldzorgen, wonen of werk van gezinnen.")),
]

CHILD_ITEMS = [
    Item("k1", "relaties", _("Ik vertrouw mijn juf of meester.")),
    Item("k2", "korte-lijntjes", _("Als er iets is, weet ik bij wie ik terecht kan.")),
    Item("k3", "open-transparant", _("Ik snap wat de grote mensen over mij afspreken.")),
    Item("k4", "met-kind", _("Als er over mij gepraat wordt, mag ik zelf ook iets zeggen.")),
    Item("k5", "gelijkwaardig", _("Mijn ouders en mijn school luisteren naar elkaar.")),
    Item("k6", "kind-in-context", _("Op school weten ze ook een beetje hoe het thuis met mij gaat.")),
    Item("k7", "kwaliteiten", _("Op school weten ze waar ik goed in ben.")),
    Item("k8", "vaste-mensen", _("Op school zijn vaste mensen bij wie ik terecht kan.")),
    Item("k9", "vakbekwaam", _("Mijn juf of meester helpt mij goed als ik iets moeilijk vind.")),
]

ITEMS = {Perspective.PARENT: PARENT_ITEMS, Perspective.PROFESSIONAL: PROFESSIONAL_ITEMS, Perspective.CHILD: CHILD_ITEMS}

SCALE = {
    "adult": [
        (1, _("helemaal niet mee eens")),
        (2, _("niet mee eens")),
        (3, _("neutraal")),
        (4, _("mee eens")),
        (5, _("helemaal mee eens")),
    ],
    "child": [
        (1, _("nee, helemaal niet")),
        (2, _("niet zo")),
        (3, _("een beetje")),
        (4, _("ja")),
        (5, _("ja, helemaal")),
    ],
}


def items_for(perspective: str) -> list[Item]:
    return ITEMS[Perspective(perspective)]


def scale_for(perspective: str):
    return SCALE["child" if perspective == Perspective.CHILD else "adult"]


def key_label(slug: str) -> str:
    return str(KEY_LABELS.get(slug, slug))


# Keys every perspective answers, in the order the results show them.
SHARED_KEYS = [k for k in KEY_LABELS if all(any(i.key == k for i in items) for items in ITEMS.values())]
ALL_KEYS = list(KEY_LABELS)
