"""Refuse passwords that are only a word everyone around Driehoek would guess first (SEC-04, ASVS 6.2.11).

"Driehoek2026!", "Welkomwelkom1" or "<name of the school>2026" are long enough for the length rule and
not on Django's (mostly English) common-password list, yet they are the first guesses for this app.
Digits and punctuation do not count: what is left must not be just such words.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTEXT_WORDS = ("driehoek", "welkom", "wachtwoord", "school", "kind", "kinderen", "jeugd", "jeugdhulp", "ouder")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


class ContextWordsValidator:
    def _words(self) -> set[str]:
        from apps.organisations.models import CareOrganisation, School

        names = [
            *School.objects.values_list("name", flat=True),
            *CareOrganisation.objects.values_list("name", flat=True),
        ]
        return {w for w in (*CONTEXT_WORDS, *map(_letters, names)) if w}

    def validate(self, password, user=None):
        letters = _letters(password)
        pattern = "(?:" + "|".join(re.escape(w) for w in sorted(self._words(), key=len, reverse=True)) + ")+"
        if not letters or re.fullmatch(pattern, letters):
            raise ValidationError(
                _("Dit wachtwoord is te makkelijk te raden: het is alleen een bekend woord met cijfers of tekens."),
                code="password_context_word",
            )

    def get_help_text(self):
        return _("Uw wachtwoord mag niet alleen bestaan uit de naam van de app, de school of een bekend woord.")
