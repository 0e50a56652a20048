"""Refuse passwords that are only a word everyone around Driehoek would guess first (SEC-04, ASVS 6.2.11).

"Driehoek2026!", "Welkomwelkom1", "<name or town of the school>2026" or "kimpostma2026" (the user's own
name plus a year) are long enough for the length rule and not on Django's (mostly English) common-password
list, yet they are the first guesses for this app and for this person. Digits and punctuation do not count:
what is left must not be just such words. A password of a few characters repeated ("aaaaaaaaaaaa",
"abababababab") is refused too. No character classes are demanded.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTEXT_WORDS = ("driehoek", "welkom", "wachtwoord", "school", "kind", "kinderen", "jeugd", "jeugdhulp", "ouder")
MIN_DISTINCT_CHARACTERS = 5


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def _personal_words(user) -> set[str]:
    """The user's own name and the parts of their e-mail address, whole and word by word."""
    if user is None:
        return set()
    name = getattr(user, "full_name", "") or ""
    local = (getattr(user, "email", "") or "").split("@")[0]
    parts = re.split(r"[^\w]+|_", f"{name} {local}")
    return {w for w in (_letters(name), _letters(local), *map(_letters, parts)) if len(w) >= 2}


class ContextWordsValidator:
    def _words(self, user=None) -> set[str]:
        from apps.organisations.models import CareOrganisation, School

        names = [
            *School.objects.values_list("name", flat=True),
            *School.objects.exclude(city="").values_list("city", flat=True),
            *CareOrganisation.objects.values_list("name", flat=True),
        ]
        return {w for w in (*CONTEXT_WORDS, *map(_letters, names), *_personal_words(user)) if w}

    def validate(self, password, user=None):
        if len(set(password.lower())) < MIN_DISTINCT_CHARACTERS:
            raise ValidationError(
                _("Dit wachtwoord is te makkelijk te raden: het herhaalt steeds dezelfde paar tekens."),
                code="password_repetitive",
            )
        letters = _letters(password)
        pattern = "(?:" + "|".join(re.escape(w) for w in sorted(self._words(user), key=len, reverse=True)) + ")+"
        if not letters or re.fullmatch(pattern, letters):
            raise ValidationError(
                _("Dit wachtwoord is te makkelijk te raden: het is alleen een bekend woord met cijfers of tekens."),
                code="password_context_word",
            )

    def get_help_text(self):
        return _(
            "Uw wachtwoord mag niet alleen bestaan uit uw naam, de naam of plaats van de school, de naam van de "
            "app of een bekend woord, en niet uit steeds dezelfde paar tekens."
        )
