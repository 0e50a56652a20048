"""A test double of a LibreTranslate server: a small HTTP server, started by the test, that speaks the part of
LibreTranslate's API the product uses (POST /translate with q, source, target, format and api_key; the answer
{"translatedText": ...}, a list for a list). It is not LibreTranslate: it "translates" by putting the target
language in front ("[ar] Hallo"), and a test can make it slow, fail with 500, hang up, answer garbage, or answer HTML.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LibreTranslateDouble:
    def __init__(self):
        self.mode = "ok"  # ok | slow | error | garbage | html | short | drop
        self.delay = 1.0
        self.api_key = ""
        self.requests: list[dict] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                double.requests.append({"path": self.path, "body": body})
                if self.path != "/translate":
                    return self._send(404, {"error": "Not Found"})
                if double.api_key and body.get("api_key") != double.api_key:
                    return self._send(403, {"error": "Invalid API key"})
                if double.mode == "slow":
                    time.sleep(double.delay)
                if double.mode == "drop":  # hang up without an answer
                    self.close_connection = True
                    return None
                if double.mode == "error":
                    return self._send(500, {"error": "Internal Server Error"})
                if double.mode == "garbage":
                    return self._send_raw(200, b"<html>not json")
                q, target = body.get("q"), body.get("target")
                texts = q if isinstance(q, list) else [q]
                if double.mode == "html":
                    out = ["<b>vet</b><script>alert(1)</script> " + t for t in texts]
                elif double.mode == "short":
                    out = [f"[{target}] {t}" for t in texts][:-1] or [1]
                else:
                    out = [f"[{target}] {t}" for t in texts]
                return self._send(200, {"translatedText": out if isinstance(q, list) else out[0]})

            def _send(self, status, payload):
                self._send_raw(status, json.dumps(payload).encode())

            def _send_raw(self, status, data):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): fine
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def libretranslate(settings):
    """A running double, and the settings pointing the product at it (a fresh port each test)."""
    double = LibreTranslateDouble().start()
    settings.TRANSLATION_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = double.url
    settings.LIBRETRANSLATE_API_KEY = ""
    settings.TRANSLATION_TIMEOUT = 0.5
    settings.TRANSLATION_LANGUAGES = ["en", "ar", "tr", "pl", "uk"]
    yield double
    double.stop()
