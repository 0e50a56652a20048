"""The translation interface against the LibreTranslate test double (tests/translation/libretranslate.py):
the real HTTP API, the cache, and a server that is off, slow, failing or talking nonsense."""

import time

import pytest

from apps.translation import backends, languages
from apps.translation.services import Translation, translate, translate_many

pytestmark = pytest.mark.django_db


def test_translates_through_the_http_api(libretranslate, settings):
    settings.LIBRETRANSLATE_API_KEY = "sleutel-123"
    libretranslate.api_key = "sleutel-123"
    result = translate("Morgen is er geen school.", "ar")
    assert result == Translation("[ar] Morgen is er geen school.", "nl", "ar", machine=True)
    (request,) = libretranslate.requests
    assert request["path"] == "/translate"
    assert request["body"] == {
        "q": "Morgen is er geen school.",
        "source": "nl",
        "target": "ar",
        "format": "text",
        "api_key": "sleutel-123",
    }


def test_a_wrong_key_gives_no_translation(libretranslate, settings):
    libretranslate.api_key = "de-goede"
    settings.LIBRETRANSLATE_API_KEY = "een-andere"
    assert translate("Hallo", "tr") is None


def test_warm_cache_makes_no_http_call(libretranslate):
    assert translate("Tot morgen", "pl").text == "[pl] Tot morgen"
    assert len(libretranslate.requests) == 1
    assert translate("Tot morgen", "pl").text == "[pl] Tot morgen"
    assert len(libretranslate.requests) == 1  # the second call came from the cache
    assert translate("Tot morgen", "uk").text == "[uk] Tot morgen"  # another language is another entry
    assert len(libretranslate.requests) == 2


def test_many_texts_go_in_one_call_and_only_the_uncached(libretranslate):
    translate("Een", "en")
    found = translate_many(["Een", "Twee", "", "Drie", "Twee"], "en")
    assert [t.text if t else None for t in found] == ["[en] Een", "[en] Twee", None, "[en] Drie", "[en] Twee"]
    assert len(libretranslate.requests) == 2
    assert libretranslate.requests[1]["body"]["q"] == ["Twee", "Drie"]  # "Een" was cached, "Twee" asked once


def test_cached_only_never_calls_the_server(libretranslate):
    assert translate_many(["Nieuw"], "ar", cached_only=True) == [None]
    assert libretranslate.requests == []


def test_off_by_default(settings, libretranslate):
    settings.TRANSLATION_BACKEND = "none"
    assert isinstance(backends.configured_backend(), backends.NoTranslationBackend)
    assert translate("Hallo", "en") is None
    assert libretranslate.requests == []


def test_libretranslate_without_url_counts_as_off(settings):
    settings.TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = ""
    assert isinstance(backends.configured_backend(), backends.NoTranslationBackend)


def test_only_http_urls():
    with pytest.raises(ValueError):
        backends.LibreTranslateBackend("file:///etc/passwd")


def test_slow_server_gives_up_quickly_and_is_then_left_alone(libretranslate):
    libretranslate.mode = "slow"
    libretranslate.delay = 3
    start = time.monotonic()
    assert translate("Hallo", "ar") is None
    assert time.monotonic() - start < 2  # the timeout is 0.5 s
    start = time.monotonic()
    assert translate("Nog iets", "ar") is None  # paused after the failure: no new wait
    assert time.monotonic() - start < 0.2
    assert len(libretranslate.requests) == 1


@pytest.mark.parametrize("mode", ["error", "garbage", "short", "drop"])
def test_server_errors_and_nonsense_give_no_translation_and_cache_nothing(libretranslate, mode):
    libretranslate.mode = mode
    assert translate_many(["Hallo", "Dag"], "tr") == [None, None]
    backends._paused_until.clear()  # the server is back
    libretranslate.mode = "ok"
    assert [t.text for t in translate_many(["Hallo", "Dag"], "tr")] == ["[tr] Hallo", "[tr] Dag"]


def test_server_that_is_not_there(settings):
    settings.TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    settings.TRANSLATION_TIMEOUT = 0.5
    assert translate("Hallo", "en") is None


def test_nothing_to_translate(libretranslate):
    assert translate("Hallo", "nl") is None  # the source language itself
    assert translate("   ", "en") is None
    assert translate("Hallo", "xx") is None  # not offered
    assert libretranslate.requests == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ar", "ar"), ("EN-gb", "en"), ("tr_TR", "tr"), ("nl", "nl"), ("", "nl"), ("xx", "nl"), ("de", "nl")],
)
def test_language_codes(settings, code, expected):
    settings.TRANSLATION_LANGUAGES = ["en", "ar", "tr", "pl", "uk"]
    language, note = languages.resolve(code)
    assert language == expected
    assert bool(note) == (code.lower() in ("xx", "de"))  # an unknown code falls back to Dutch with a note
