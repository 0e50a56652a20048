from django import forms
from django.utils.translation import gettext_lazy as _

from .languages import SOURCE_LANGUAGE, language_name, offered


def version_language_choices() -> list[tuple[str, str]]:
    """The languages a school can write a version in: every offered language except Dutch (the original)."""
    return [(code, language_name(code)) for code in offered() if code != SOURCE_LANGUAGE]


class VersionLanguageField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Taal"))
        super().__init__(choices=version_language_choices, **kwargs)
