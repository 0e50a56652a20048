"""The youth-care worker's home costs the same number of queries for 4 children as for 40, over many
schools (issue 10, "Tests and measure"; the figures beside /healthz are in bench/bench_youthcare.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_youthcare import build_caseload, make_worker

pytestmark = pytest.mark.django_db

HOME_QUERIES = 53  # the figure bench/bench_youthcare.py reports today; the budget, never to grow


def _count(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


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
