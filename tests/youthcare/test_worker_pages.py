"""The youth-care worker's own pages (issue 10 item 4): the home lists the children whose circle they are in
with what the consent covers; the child page links only where they lead; planning offers only the kinds
they may plan; and walking the product as it offers itself never leaves a refused attempt in the family's log."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.consent.models import Category
from apps.conversations.models import Conversation
from tests.factories import ChildFactory, GuardianshipFactory

from .conftest import assign, give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed003(story, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    for person in ("coach", "ib"):
        story[person].is_demo = True
        story[person].save()
    ends = timezone.localdate() + timedelta(days=60)
    story["consent"] = give_consent(
        story["child"], story["mother"], story["wijkteam"], [Category.SUPPORT], ends_on=ends
    )
    assign(story["child"], story["wijkteam"], story["coach"])
    story["ends"] = ends
    return story


def links_on(html: str) -> list[str]:
    return [u for u in re.findall(r'href="(/[^"#]*)"', html) if not u.startswith(("/static", "/accounts", "/i18n"))]


def test_the_workers_home_lists_the_child_with_what_the_consent_covers_and_until_when(client, seed003):
    client.force_login(seed003["coach"])
    page = client.get("/").content.decode()
    assert "Mijn kinderen" in page and "Mijn leerlingen" not in page
    assert seed003["child"].full_name in page
    assert "U ziet: ondersteuning en plan, tot " in page
    assert "Niet: ontwikkeling op school, gezondheid en verzuim." in page


def test_walking_home_child_page_plan_and_planning_a_conversation_leaves_no_refused_attempt(client, seed003):
    child, coach = seed003["child"], seed003["coach"]
    client.force_login(coach)
    home = client.get("/").content.decode()
    assert f"/kinderen/{child.pk}/" in home
    child_page = client.get(f"/kinderen/{child.pk}/")
    assert child_page.status_code == 200
    html = child_page.content.decode()
    assert "Jeroen Smit" in html and "gezinscoach" in html and "Wijkteam Oost" in html
    visited = {}
    for url in links_on(html):
        visited[url] = client.get(url).status_code
    assert all(code == 200 for code in visited.values()), {u: c for u, c in visited.items() if c != 200}
    assert f"/plan/kind/{child.pk}/" in visited or any(u.startswith("/plan/") for u in visited), visited
    plan_link = next(u for u in visited if u.startswith(f"/gesprekken/nieuw/{child.pk}/"))
    form = client.get(plan_link).content.decode()
    assert 'value="care"' in form and 'value="progress"' not in form and 'value="absence"' not in form
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        plan_link,
        {
            "kind": "care",
            "purpose": "Met zijn drieën om de tafel",
            "day": day,
            "time": "15:00",
            "minutes": 45,
            "place": "School",
            "participants": [seed003["mother"].pk, seed003["ib"].pk],
            "child_invited": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    conversation = Conversation.objects.get(child=child)
    assert {p.user_id for p in conversation.participants.all()} >= {coach.pk, seed003["mother"].pk, seed003["ib"].pk}
    assert not AccessLogEntry.objects.filter(child=child, allowed=False).exists(), list(
        AccessLogEntry.objects.filter(child=child, allowed=False).values_list("object_label", "basis")
    )
    plan_reads = AccessLogEntry.objects.filter(child=child, actor_id=coach.pk, category="support", allowed=True)
    assert plan_reads.filter(consent_id=seed003["consent"].pk).exists()


def test_a_kind_the_worker_may_not_plan_is_refused_and_logged(client, seed003):
    client.force_login(seed003["coach"])
    response = client.post(f"/gesprekken/nieuw/{seed003['child'].pk}/", {"kind": "absence", "purpose": "x"})
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(child=seed003["child"], actor_id=seed003["coach"].pk, allowed=False).exists()


def test_a_worker_without_consent_sees_no_child_and_is_refused_with_a_logged_entry(client, seed003):
    stranger = seed003["stranger"]
    stranger.is_demo = True
    stranger.save()
    client.force_login(stranger)
    home = client.get("/").content.decode()
    assert seed003["child"].full_name not in home and "U ziet hier nog geen kinderen" in home
    assert client.get(f"/kinderen/{seed003['child'].pk}/").status_code == 403
    refused = AccessLogEntry.objects.get(child=seed003["child"], actor_id=stranger.pk, allowed=False)
    assert "geen geldige toestemming" in refused.basis


def test_the_workers_home_costs_the_same_queries_for_one_child_as_for_many(client, seed003):
    coach, wijkteam = seed003["coach"], seed003["wijkteam"]
    client.force_login(coach)
    client.get("/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _ in range(4):
        child = ChildFactory(group=seed003["child"].group)
        give_consent(child, GuardianshipFactory(child=child).user, wijkteam, [Category.SUPPORT])
        assign(child, wijkteam, coach)
    assert count() == one


def test_the_worker_sees_the_consents_to_their_own_organisation_only(client, seed003):
    ggd_consent = give_consent(
        seed003["child"], seed003["mother"], seed003["other_org"], [Category.HEALTH], grantee=seed003["stranger"]
    )
    client.force_login(seed003["coach"])
    page = client.get(f"/kinderen/{seed003['child'].pk}/toestemming/").content.decode()
    assert f"consent-{seed003['consent'].pk}" in page
    assert f"consent-{ggd_consent.pk}" not in page and "CJG Elders" not in page
