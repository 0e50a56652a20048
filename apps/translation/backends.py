"""Translation backends: a self-hosted LibreTranslate server, or none (the default). See docs/translation.md.

A backend translates a batch of plain texts from one language to another and returns the translations in the
same order, or None when it cannot (off, down, slow, or an answer we do not understand). It never raises:
a page or an API call that asked for a translation shows the original instead.
"""

import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("driehoek.translation")

# At most this much of an answer is read: a translation is about as long as its text, never megabytes.
MAX_RESPONSE_BYTES = 1_000_000
# After a failure the server is left alone for this many seconds: pages and API calls in that time get the
# original at once instead of each waiting for the timeout again.
PAUSE_AFTER_FAILURE_SECONDS = 30.0


class NoTranslationBackend:
    """Translation is off: every call answers None (the original is shown)."""

    name = "none"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str] | None:
        return None


_paused_until: dict[str, float] = {}  # per server URL, in this process


class LibreTranslateBackend:
    """A LibreTranslate server's HTTP API: POST {url}/translate with q (a list for a batch), source, target,
    format="text" and api_key; the answer is {"translatedText": "..."} or, for a list, a list of strings."""

    name = "libretranslate"

    def __init__(self, url: str, api_key: str = "", timeout: float = 2.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"LIBRETRANSLATE_URL must be an http(s) URL, not {url!r}")
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str] | None:
        if not texts:
            return []
        if _paused_until.get(self.url, 0.0) > time.monotonic():
            return None
        payload = {"q": texts if len(texts) > 1 else texts[0], "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except (OSError, ValueError, http.client.HTTPException) as e:  # 4xx/5xx, timeouts, refused, cut off
            return self._failed("unreachable or error", e)
        if len(body) > MAX_RESPONSE_BYTES:
            return self._failed("answer too large")
        try:
            answer = json.loads(body.decode("utf-8"))
            translated = answer["translatedText"]
        except (ValueError, UnicodeDecodeError, KeyError, TypeError) as e:
            return self._failed("answer not understood", e)
        if isinstance(translated, str):
            translated = [translated]
        if (
            not isinstance(translated, list)
            or len(translated) != len(texts)
            or not all(isinstance(t, str) for t in translated)
        ):
            return self._failed("answer does not match the question")
        return translated

    def _failed(self, what: str, error: Exception | None = None) -> None:
        _paused_until[self.url] = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
        log.warning(
            "translation backend %s: %s",
            what,
            type(error).__name__ if error else "",
            extra={"event": "translation_failed"},
        )
        return None


def configured_backend():
    """The backend the settings (from the environment) choose; LibreTranslate without a URL counts as off."""
    from django.conf import settings

    if settings.TRANSLATION_BACKEND == "libretranslate" and settings.LIBRETRANSLATE_URL:
        return LibreTranslateBackend(
            settings.LIBRETRANSLATE_URL, settings.LIBRETRANSLATE_API_KEY, settings.TRANSLATION_TIMEOUT
        )
    return NoTranslationBackend()
