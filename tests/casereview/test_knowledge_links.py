"""Knowledge-base links on a case review's action points and on a plan's agreements (docs/learning.md): whoever
may change the object links, the wrong person is refused and logged, a deleted entry reads clearly, and the plan
page reads the links of all its agreements at once."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.log import Actor
from apps.casereview import services
from apps.knowledge.models import Key, KnowledgeLink, Recommendation
from apps.plans import services as plans

pytestmark = pytest.mark.django_db

DELETED = "Dit onderdeel is uit de kennisbank verwijderd (was: 8.2 Betrek alle partijen"


@pytest.fixture
def point(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    return services.add_action_point(
        Actor(user=w["ib"]), review, text="Wekelijks overleg met CJG", destination="board", owner=w["ib"]
    )


def _agreement(w, what="Samen lezen thuis"):
    due = timezone.localdate() + timedelta(days=14)
    return plans.add_agreement(Actor(user=w["ib"]), w["child"], what=what, owner=w["mother"], due=due)


def _link(client, source, obj, entry, url=""):
    return client.post(
        reverse("knowledge:link_add"), {"source": source, "object_id": obj.pk, "entry": entry, "next": url}
    )


def _refused(caplog) -> bool:
    return any(getattr(rec, "event", "") == "knowledge_link_refused" for rec in caplog.records)


def test_the_coordinator_links_an_action_point_and_a_deleted_entry_reads_clearly(client, review_world, point):
    rec = Recommendation.objects.get(code="8.2")
    client.force_login(review_world["ib"])
    url = reverse("casereview:detail", args=[point.review.pk])
    assert f'id="kb-entry-actionpoint-{point.pk}"' in client.get(url).content.decode(), "the form per point"
    response = _link(client, "casereview.actionpoint", point, f"r:{rec.pk}", url)
    assert response.status_code == 302 and response["Location"] == url
    assert KnowledgeLink.objects.filter(object_id=point.pk, recommendation=rec).exists()
    assert "8.2 Betrek alle partijen" in client.get(url).content.decode()
    rec.delete()
    page = client.get(url)
    assert page.status_code == 200 and DELETED in page.content.decode()


def test_a_teacher_may_not_link_an_action_point_and_is_logged(client, review_world, point, caplog):
    client.force_login(review_world["teacher"])
    with caplog.at_level(logging.INFO):
        response = _link(client, "casereview.actionpoint", point, f"k:{Key.objects.first().pk}")
    assert response.status_code == 403
    assert _refused(caplog)
    assert not KnowledgeLink.objects.exists()


def test_whoever_may_change_the_plan_links_an_agreement(client, review_world):
    w = review_world
    agreement = _agreement(w)
    rec = Recommendation.objects.get(code="8.2")
    client.force_login(w["ib"])
    url = reverse("plans:child", args=[w["child"].pk])
    assert f'id="kb-entry-agreement-{agreement.pk}"' in client.get(url).content.decode()
    assert _link(client, "plans.agreement", agreement, f"r:{rec.pk}", url).status_code == 302
    assert "8.2 Betrek alle partijen" in client.get(url).content.decode()
    rec.delete()
    page = client.get(url)
    assert page.status_code == 200 and DELETED in page.content.decode()


def test_an_ib_of_another_school_may_not_link_an_agreement_and_is_logged(client, review_world, caplog):
    w = review_world
    agreement = _agreement(w)
    client.force_login(w["ib_elsewhere"])
    with caplog.at_level(logging.INFO):
        response = _link(client, "plans.agreement", agreement, f"k:{Key.objects.first().pk}")
    assert response.status_code == 403
    assert _refused(caplog)
    assert not KnowledgeLink.objects.exists()


def test_the_plan_page_reads_the_links_of_all_agreements_at_once(client, review_world):
    w = review_world
    rec = Recommendation.objects.get(code="8.2")
    client.force_login(w["ib"])
    url = reverse("plans:child", args=[w["child"].pk])

    def count(n):
        for i in range(n):
            _link(client, "plans.agreement", _agreement(w, what=f"Afspraak {n}-{i}"), f"r:{rec.pk}", url)
        client.get(url)  # a first visit ("changes since") and the per-process caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.content.decode().count("8.2 Betrek alle partijen") >= KnowledgeLink.objects.count()
        return len(queries.captured_queries)

    assert count(1) == count(5)


def test_the_agreement_row_after_a_status_change_keeps_its_links(client, review_world):
    w = review_world
    agreement = _agreement(w)
    rec = Recommendation.objects.get(code="8.2")
    client.force_login(w["ib"])
    _link(client, "plans.agreement", agreement, f"r:{rec.pk}")
    response = client.post(
        reverse("plans:agreement_status", args=[agreement.pk]),
        {"status": "done", "reason": "", "version": agreement.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert "8.2 Betrek alle partijen" in row and f'id="kb-entry-agreement-{agreement.pk}"' in row
