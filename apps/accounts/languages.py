"""Each person's language (docs/languages.md): kept on the account, used for everything sent to them.

`User.language` is empty until the person chose (at first log-in); empty reads as Dutch. A code the product
does not offer (an old value, a typo in an import, an API client) falls back to Dutch, and the caller gets told
so it can show a note.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

DEFAULT = settings.LANGUAGE_CODE


def offered() -> dict[str, str]:
    """Code -> the language's name in that language itself (settings.LANGUAGES)."""
    return dict(settings.LANGUAGES)


def choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def normalise(code: str | None) -> tuple[str, bool]:
    """(a code the product offers, whether `code` had to fall back to Dutch). "en-GB" and "EN" become "en"."""
    raw = (code or "").strip().lower().replace("_", "-")
    if not raw:
        return DEFAULT, False
    if raw in offered():
        return raw, False
    base = raw.split("-")[0]
    if base in offered():
        return base, False
    return DEFAULT, True


def language_of(user) -> str:
    """The language a person reads: their choice, else Dutch."""
    return normalise(getattr(user, "language", "") or "")[0]


def is_rtl(code: str) -> bool:
    return code.split("-")[0] in settings.LANGUAGES_BIDI


@contextmanager
def in_language_of(user):
    """Render what is sent to `user` (an e-mail, a PDF) in their language."""
    with translation.override(language_of(user)):
        yield


def set_language(user, code: str) -> bool:
    """Keep a person's choice on the account. Returns whether it fell back to Dutch."""
    lang, fell_back = normalise(code)
    if user.language != lang:
        user.language = lang
        user.save(update_fields=["language"])
    return fell_back
