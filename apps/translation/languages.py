"""Which languages content can be read in, and what to do with a code we do not offer (docs/translation.md)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

SOURCE_LANGUAGE = "nl"  # what schools write and what is stored
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}


def offered() -> list[str]:
    """Dutch, and the languages content can be translated into (TRANSLATION_LANGUAGES)."""
    return [SOURCE_LANGUAGE, *(code for code in settings.TRANSLATION_LANGUAGES if code != SOURCE_LANGUAGE)]


def language_name(code: str) -> str:
    """The language's own name (Arabic in Arabic), as Django knows it; the code otherwise."""
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


def text_direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def resolve(code: str | None) -> tuple[str, str]:
    """(language, note): an offered language as is (``en-GB`` counts as ``en``); anything else falls back to
    Dutch, with a short note to show the reader."""
    wanted = (code or "").strip().lower().replace("_", "-")
    if not wanted:
        return SOURCE_LANGUAGE, ""
    base = wanted.split("-", 1)[0]
    if base in offered():
        return base, ""
    return SOURCE_LANGUAGE, _("De taal '%(code)s' bieden we niet aan. U ziet de tekst in het Nederlands.") % {
        "code": wanted[:20]
    }


def reader_language(request) -> tuple[str, str]:
    """The language to show content in: ``?lang=`` when given, else the page's language (the reader's)."""
    asked = request.GET.get("lang")
    return resolve(asked if asked is not None else translation.get_language())
