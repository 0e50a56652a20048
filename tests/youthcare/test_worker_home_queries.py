"""The youth-care worker's home costs the same number of queries for 3 children as for 30 (or 40), over many
schools (issue 10, "Tests and measure"; issue 17: the figures beside /healthz are in bench/bench_youthcare.py
and bench/profile_worker_home.py, docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_youthcare import build_caseload, make_worker

pytestmark = pytest.mark.django_db

# What bench/bench_youthcare.py reports today (53 before issue 17), on SQLite: the budget, never to grow.
# On PostgreSQL the access log also takes its lock per chain (apps/audit/log.py `_lock_chains`): one query more.
HOME_QUERIES = 19 + (connection.vendor == "postgresql")


def _count(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "pg_advisory_xact_lock" not in q["sql"]])


def test_home_query_count_does_not_grow_with_the_children(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    worker, organisation = make_worker()
    client.force_login(worker)
    build_caseload(worker, organisation, 4, schools=4)
    few = _count(client)
    build_caseload(worker, organisation, 36, schools=12, offset=4)
    page = client.get("/").content.decode()
    assert "Jeugd0000" in page
    assert _count(client) == few <= HOME_QUERIES


def test_home_pins_its_queries_with_3_and_with_30_children(client, settings, django_assert_num_queries):
    """The consents are read once per request for the policy, the menu and the coverage column together; the
    list shows one page (25) of children with what each consent lets the worker see."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    worker, organisation = make_worker()
    client.force_login(worker)
    build_caseload(worker, organisation, 3, schools=3)
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert "Jeugd0002" in response.content.decode()
    build_caseload(worker, organisation, 27, schools=10, offset=3)
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    html = response.content.decode()
    assert "Jeugd0000" in html and "Jeugd0029" not in html  # one page, ordered by name: the 30th is on page 2
    second = client.get("/?pagina=2").content.decode()
    assert "Jeugd0029" in second and "Jeugd0000" not in second
