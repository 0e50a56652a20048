"""The 'Berichten' menu link carries the number of unread messages, counted in one query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.audit.log import Actor
from apps.core import extensions
from apps.messaging import services
from apps.messaging.models import Thread

pytestmark = pytest.mark.django_db


def _post(c, n, author="teacher"):
    thread = Thread.objects.first() or services.create_thread(Actor(c[author]), c["child"], "basic", "Week", "Hoi")
    for i in range(n):
        services.post_message(Actor(c[author]), thread, f"Bericht {i}", _authorized=True)
    return thread


def _messages_link(user):
    return next(link for link in extensions.nav_links(user) if link.url == "/berichten/")


def test_unread_count_counts_only_others_unread_messages_the_person_may_read(circle):
    c = circle
    thread = _post(c, 2)  # 1 opening message + 2
    assert services.unread_message_count(c["mother"]) == 3
    assert services.unread_message_count(c["teacher"]) == 0  # own messages are read
    assert services.unread_message_count(c["worker"]) == 0  # no consent: not readable, not counted
    services.mark_read(c["mother"], list(thread.messages.all()))
    assert services.unread_message_count(c["mother"]) == 0
    assert services.unread_message_count(c["father"]) == 3


def test_menu_link_shows_a_badge_with_an_accessible_label(client, circle):
    c = circle
    _post(c, 2)
    assert _messages_link(c["mother"]).count == 3
    client.force_login(c["mother"])
    html = client.get("/").content.decode()
    assert 'aria-label="3 ongelezen">3</span>' in html


def test_no_badge_without_unread_messages_and_plain_links_still_work(client, circle):
    c = circle
    client.force_login(c["mother"])
    html = client.get("/").content.decode()
    link = re.search(r'<a class="appnav__link" data-nav="[^"]*" href="/berichten/">.*?</a>', html, re.S)
    assert link and '<span class="appnav__label">Berichten</span>' in link.group(0) and "badge" not in link.group(0)
    # Links of other apps are still plain (label, url) pairs and get no count.
    others = [link for link in extensions.nav_links(c["mother"]) if link.url != "/berichten/"]
    assert others and all(link.count is None for link in others)


def test_unread_count_is_one_query(circle):
    c = circle
    _post(c, 3)
    services.unread_message_count(c["mother"])  # warm the per-user policy caches
    with CaptureQueriesContext(connection) as ctx:
        assert services.unread_message_count(c["mother"]) == 4
    assert len(ctx.captured_queries) == 1


def test_menu_adds_a_constant_number_of_queries(client, circle, django_assert_max_num_queries, settings):
    settings.MESSAGING_RATE_LIMIT = (1000, 60)
    c = circle
    client.force_login(c["mother"])
    _post(c, 1)
    with django_assert_max_num_queries(60) as few:
        client.get("/")
    baseline = len(few.captured_queries)
    for i in range(5):
        services.create_thread(Actor(c["teacher"]), c["child"], "basic", f"Onderwerp {i}", "Hallo")
    _post(c, 10)
    with django_assert_max_num_queries(baseline):
        response = client.get("/")
    assert 'aria-label="17 ongelezen"' in response.content.decode()
