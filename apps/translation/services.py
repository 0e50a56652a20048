"""One small interface for translated content: `translate` and `translate_many` (docs/translation.md).

Translations are cached per (sha256 of the text, source, target) in the Django cache, so a warm cache makes no
call to the server. What is stored is always the original; a translation is only shown beside it.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from .backends import configured_backend
from .languages import SOURCE_LANGUAGE, offered


@dataclass(frozen=True)
class Translation:
    text: str  # plain text: templates escape it like any other text
    source: str
    target: str
    machine: bool = True  # False for a version the school wrote by hand


def cache_key(text: str, source: str, target: str) -> str:
    return f"translation:{hashlib.sha256(text.encode('utf-8')).hexdigest()}:{source}:{target}"


def _cache():
    return caches[settings.TRANSLATION_CACHE]


def translate(text: str, target: str, source: str = SOURCE_LANGUAGE) -> Translation | None:
    """The machine translation of `text` into `target`, or None (off, down, slow, not understood, nothing to do)."""
    return translate_many([text], target, source)[0]


def translate_many(
    texts: list[str], target: str, source: str = SOURCE_LANGUAGE, cached_only: bool = False
) -> list[Translation | None]:
    """Like `translate` for several texts, in the same order: one cache read, and one call to the server for
    all texts not yet cached (none when `cached_only`, for pages that must not wait)."""
    results: list[Translation | None] = [None] * len(texts)
    if target == source or target not in offered() or source not in offered():
        return results
    wanted = {i: text for i, text in enumerate(texts) if text and text.strip()}
    if not wanted:
        return results
    keys = {i: cache_key(text, source, target) for i, text in wanted.items()}
    cache = _cache()
    found = cache.get_many(set(keys.values()))
    missing: dict[str, str] = {}
    for i, key in keys.items():
        if key in found:
            results[i] = Translation(found[key], source, target)
        else:
            missing.setdefault(key, wanted[i])
    if missing and not cached_only:
        answered = configured_backend().translate_batch(list(missing.values()), source, target)
        if answered is not None:
            fresh = dict(zip(missing.keys(), answered, strict=True))
            cache.set_many(fresh, timeout=settings.TRANSLATION_CACHE_SECONDS)
            for i, key in keys.items():
                if key in fresh:
                    results[i] = Translation(fresh[key], source, target)
    return results
