"""The menu's counts are cached per person and read with one query (apps/notifications/menu_counts.py), yet
never wrong where it matters: whoever gets a message, reads it, or loses access sees the change at once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.log import Actor
from apps.consent import services as consent_services
from apps.messaging import services as messaging
from apps.messaging.models import Thread
from apps.organisations.models import Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db
# The messages link of the menu (templates/base.html), with its unread badge when there is one.
BADGE = re.compile(
    r'href="/berichten/"[^>]*>.*?<span class="appnav__label">Berichten</span>'
    r'(?: <span class="utrecht-number-badge badge"[^>]*>(\d+)</span>)?',
    re.S,
)


@pytest.fixture
def family(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    school = SchoolFactory()
    group = GroupFactory(school=school)
    child = ChildFactory(group=group, school=school, date_of_birth=years_ago(9))
    mother = GuardianshipFactory(child=child, user=UserFactory(is_demo=True)).user
    teacher = staff(Role.TEACHER, school=school, groups=[group], user=UserFactory(is_demo=True))
    circle_member(child, teacher, "leerkracht", school=school)
    return {"child": child, "mother": mother, "teacher": teacher, "school": school}


def badge(client) -> int:
    match = BADGE.search(client.get("/").content.decode())
    assert match, "the menu has no Berichten link"
    return int(match.group(1) or 0)


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    return [q["sql"] for q in queries.captured_queries]


def test_a_second_page_reads_all_menu_counts_with_one_query(client, family):
    client.force_login(family["mother"])
    first = count_queries(client)
    second = count_queries(client)
    counts = [sql for sql in second if 'COUNT(*) AS "__count" FROM "messaging_message"' in sql]
    counts += [sql for sql in second if 'FROM "notifications_notification"' in sql]
    assert any('FROM "messaging_message"' in sql for sql in first)  # built once…
    assert counts == []  # …then read from the cache
    assert len([sql for sql in second if "driehoek_cache" in sql]) == 1
    assert len(second) < len(first)


def test_a_new_message_shows_at_once_and_reading_it_clears_it(client, family):
    client.force_login(family["mother"])
    assert badge(client) == 0
    teacher = Actor(family["teacher"])
    thread = messaging.create_thread(teacher, family["child"], "basic", "Uitje", "Vrijdag naar het bos")
    assert badge(client) == 1  # the notification to the mother cleared her cached counts
    messaging.post_message(Actor(family["teacher"]), thread, "Neem laarzen mee")
    assert badge(client) == 2
    assert client.get(f"/berichten/gesprek/{thread.pk}/").status_code == 200  # reading marks both read
    assert badge(client) == 0


def test_a_revoked_consent_takes_the_youth_workers_count_away_at_once(client, family):
    child, mother = family["child"], family["mother"]
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
    circle_member(child, worker, "CJG", organisation=cjg)
    consent = consent_services.request_consent(
        child=child, by=mother, organisation=cjg, grantee=worker, categories=["basic"], starts_on=timezone.localdate()
    )
    messaging.create_thread(Actor(family["teacher"]), child, "basic", "Week", "Het gaat goed")
    client.force_login(worker)
    assert badge(client) == 1
    consent_services.revoke(consent, mother)
    assert badge(client) == 0  # a policy change makes every cached count stale
    assert Thread.objects.count() == 1


def test_cached_counts_hold_for_one_day_only(client, family):
    client.force_login(family["mother"])
    assert badge(client) == 0
    # a message the mother is not notified of (written straight into the table): the cache may not see it,
    # but an entry made yesterday is never used today
    thread = Thread.objects.create(child=family["child"], category="basic", subject="Oud", created_by=family["teacher"])
    thread.messages.create(author=family["teacher"], body="Van gisteren")
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.force_login(family["mother"])
        assert badge(client) == 1


def test_outside_a_request_nothing_is_cached(family):
    mother = family["mother"]
    assert messaging.unread_message_count(mother) == 0
    messaging.create_thread(Actor(family["teacher"]), family["child"], "basic", "Uitje", "Vrijdag")
    assert messaging.unread_message_count(mother) == 1


def tile(client, child) -> str:
    page = client.get(f"/kinderen/{child.pk}/").content.decode()
    match = re.search(r"(\d+) moment(?:en)?, het laatste op|Nog niets vastgelegd", page)
    assert match, "the child page has no timeline tile line"
    return match.group(0)


def test_the_child_pages_tile_lines_are_cached_until_the_child_changes(client, family):
    from apps.timeline.services import add_entry

    child = family["child"]
    client.force_login(family["mother"])
    assert tile(client, child) == "Nog niets vastgelegd"
    with CaptureQueriesContext(connection) as second:
        assert tile(client, child) == "Nog niets vastgelegd"
    assert not [q for q in second.captured_queries if 'FROM "timeline_timelineentry"' in q["sql"]]  # from the cache
    today = timezone.localdate()
    add_entry(Actor(family["teacher"]), child, kind="school", happened_on=today, text="Spreekbeurt", category="basic")
    assert tile(client, child).startswith("1 moment, het laatste op")  # the child's write made it stale at once
