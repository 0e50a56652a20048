"""Helpers for benchmarks: a throw-away SQLite database, timing through the test client, query counts."""

import os
import statistics
import tempfile
import time

import django


def setup_database():
    """Point Django at a fresh SQLite file (or DATABASE_URL if set) and migrate it."""
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEMO_SKIP_TWO_FACTOR = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("createcachetable")


def measure(client, url: str, repeat: int = 15) -> tuple[float, int]:
    """Median milliseconds for GET url, and the number of queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    connection.queries_log.clear()  # a full log (maxlen) would make the capture below read as zero
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2), queries


def bare_view_ms(client, repeat: int = 15) -> float:
    """The baseline: /healthz, a bare Django view, through the same middleware stack."""
    return measure(client, "/healthz", repeat)[0]
