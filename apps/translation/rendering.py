"""What the "Vertaal" button fetches: the translation shown beside the original (docs/translation.md).

The owning app's view first reads the object through the access policy exactly as its page does (and so logs
the read); then it hands the texts here. Through htmx the answer is a small block placed beside the original;
without JavaScript the same block comes on a page of its own, with the original above it.
"""

from django.shortcuts import render

from .languages import SOURCE_LANGUAGE, language_name, reader_language, text_direction
from .services import Translation, translate_many


def translations_for(texts: list[str], language: str, versions: dict | None = None) -> list[Translation | None]:
    """A version the school wrote by hand in this language wins; otherwise the machine translation."""
    written = (versions or {}).get(language)
    if written:
        return [Translation(t, SOURCE_LANGUAGE, language, machine=False) if t else None for t in written]
    return translate_many(texts, language)


def translation_response(request, texts: list[str], *, versions: dict | None = None, title: str = "", back: str = ""):
    """Render the translation of `texts` (the original's parts, e.g. title and body) in the reader's language.

    `versions` maps a language code to the same parts as written by hand by the school (empty parts: none)."""
    language, note = reader_language(request)
    items: list = []
    failed = False
    if language != SOURCE_LANGUAGE:
        found = translations_for(texts, language, versions)
        wanted = [bool(t and t.strip()) for t in texts]
        failed = any(w and f is None for w, f in zip(wanted, found, strict=True))
        if not failed:
            items = [f for f in found if f is not None]
    context = {
        "items": items,
        "machine": any(item.machine for item in items),
        "failed": failed,
        "note": note,
        "is_source": language == SOURCE_LANGUAGE,
        "language": language,
        "language_name": language_name(language),
        "direction": text_direction(language),
        "originals": [t for t in texts if t],
        "title": title,
        "back": back,
    }
    template = "translation/_translated.html" if request.htmx else "translation/page.html"
    return render(request, template, context)
