"""The wave's results page and API run a fixed number of queries, however many answers there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.monitor.models import Answer, Response
from apps.monitor.questions import PARENT_ITEMS

pytestmark = pytest.mark.django_db


def add_answers(wave, group, n):
    responses = [Response(wave=wave, school_id=wave.school_id, perspective="parent", group=group) for _i in range(n)]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        Answer(response=r, wave=wave, perspective="parent", group=group, item=i.code, key=i.key, value=1 + (k + j) % 5)
        for k, r in enumerate(responses)
        for j, i in enumerate(PARENT_ITEMS)
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The page's fixed budget: the session and the policy's memo, the wave, six waves for the trend, two aggregates
# for all of them (two more for one class), the knowledge base's suggestions, the findings and the counts.
@pytest.mark.parametrize(("suffix", "pinned"), [("", 21), ("?group={g}", 24)])
def test_results_page_queries_do_not_grow_with_answers(client, world, wave, django_assert_num_queries, suffix, pinned):
    client.force_login(world["ib"])
    url = reverse("monitor:wave", args=[wave.pk]) + suffix.format(g=world["g5"].pk)
    add_answers(wave, world["g5"], 6)
    client.get(url)  # warm the session and caches
    few = count(client, url)
    add_answers(wave, world["g5"], 120)
    assert count(client, url) == few
    assert few == pinned
    add_answers(wave, None, 60)  # answers without a class change nothing either
    with django_assert_num_queries(pinned):
        client.get(url)


def test_api_queries_do_not_grow_with_answers(client, world, wave):
    client.force_login(world["ib"])
    url = f"/api/v1/monitor/waves/{wave.pk}/"
    add_answers(wave, None, 6)
    client.get(url)
    few = count(client, url)
    add_answers(wave, None, 200)
    assert count(client, url) == few == 8
