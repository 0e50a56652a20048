"""The plan page, the OPP page and the API read an OPP in a fixed number of queries (bench/bench_opp.py); so do
the groeidocument page (however many MDO agreements and choices) and the family-plan page."""

import pytest
from django.test import Client

from bench.bench_opp import count_queries, opp_with, url_for, world

pytestmark = pytest.mark.django_db

# Pinned: a change that adds a query per support line or per version makes the big OPP differ.
PINNED = {
    "/plan/kind/{id}/": 44,  # 40 + the knowledge links of all agreements (1 query) + the entry choices (3)
    "/plan/kind/{id}/opp/": 25,  # the plan's agreements carry their child (no query each)
    "/api/v1/children/{id}/plan/opp/": 18,
    "/plan/groeidocument/{doc}/": 25,
    "/plan/kind/{id}/gezinsplan/": 21,
}


@pytest.mark.parametrize("url", list(PINNED))
def test_query_count_does_not_grow_with_lines_and_versions(settings, url):
    settings.DEMO_SKIP_TWO_FACTOR = True
    people = world()
    small, big = opp_with(2, 1, people), opp_with(40, 10, people)
    client = Client()
    client.force_login(people["ib"])
    for child in (small, big):  # a first visit (no "changes since") and the per-process caches
        count_queries(client, url_for(url, child))
    counts = [count_queries(client, url_for(url, child)) for child in (small, big)]
    assert counts == [PINNED[url]] * 2
