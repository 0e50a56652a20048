"""The knowledge base: shipped content, the reading page, the admin, links (also to something deleted), the API."""

import logging

import pytest
from django.urls import reverse

from apps.knowledge import services
from apps.knowledge.models import Intervention, Key, KnowledgeLink, Recommendation
from apps.meetings import services as meetings

pytestmark = pytest.mark.django_db


def test_migration_ships_the_seven_keys_working_factors_and_recommendations():
    assert Key.objects.filter(kind="factor").count() == 3
    assert Key.objects.filter(kind="condition").count() == 4
    assert Key.objects.filter(kind="working_factor").count() == 8
    assert list(Recommendation.objects.values_list("code", flat=True)) == ["8.1", "8.2", "8.3", "8.4"]
    names = set(Intervention.objects.values_list("name", flat=True))
    assert names == {
        "NJi toolkit ouderbetrokkenheid",
        "School-Wide Positive Behavior Support",
        "Ouderbetrokkenheid",
        "MAZL",
    }
    for i in Intervention.objects.all():
        assert i.recognition and i.asks_of_school, i.name
    mazl = Intervention.objects.get(name="MAZL")
    assert mazl.recognition == "first_indications"
    assert set(mazl.recommendations.values_list("code", flat=True)) == {"8.1", "8.2", "8.3", "8.4"}
    assert Recommendation.objects.get(code="8.1").uses.count() == 4


def test_reading_page_shows_keys_recommendations_and_what_an_intervention_asks(client, world):
    client.force_login(world["teacher"])
    page = client.get(reverse("knowledge:index")).content.decode()
    for text in (
        "Duurzame onderlinge relaties",
        "Samenwerken met de hulp bij bestaanszekerheid",
        "Korte lijntjes",
        "8.4 Luister naar de jongeren zelf",
        "Wat het van een school vraagt",
        "effectief volgens eerste aanwijzingen",
    ):
        assert text in page, text


def test_content_is_editable_in_the_admin(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True, is_demo=True))
    admin_client = client
    rec = Recommendation.objects.get(code="8.1")
    assert admin_client.get(reverse("admin:knowledge_recommendation_change", args=[rec.pk])).status_code == 200
    assert admin_client.get(reverse("admin:knowledge_intervention_changelist")).status_code == 200


def _action(world):
    return meetings.create_action(
        school=world["school"], by=world["ib"], title="Korte lijntjes via Parro", owner=world["ib"]
    )


def test_staff_link_an_action_and_a_deleted_entry_reads_clearly(client, world):
    action = _action(world)
    rec = Recommendation.objects.get(code="8.2")
    client.force_login(world["ib"])
    url = reverse("meetings:action", args=[action.pk])
    client.post(
        reverse("knowledge:link_add"),
        {"source": "meetings.actionitem", "object_id": action.pk, "entry": f"r:{rec.pk}", "next": url},
    )
    assert KnowledgeLink.objects.filter(object_id=action.pk, recommendation=rec).exists()
    assert "8.2 Betrek alle partijen" in client.get(url).content.decode()
    rec.delete()
    page = client.get(url)
    assert page.status_code == 200
    assert "Dit onderdeel is uit de kennisbank verwijderd (was: 8.2 Betrek alle partijen" in page.content.decode()


def test_link_to_a_deleted_object_or_entry_gives_a_dutch_message(client, world):
    action = _action(world)
    client.force_login(world["ib"])
    link = services.add_link(action, Key.objects.get(slug="met-kind"))
    action.delete()
    assert link.__class__.objects.get(pk=link.pk).source is None
    page = client.post(
        reverse("knowledge:link_add"),
        {"source": "meetings.actionitem", "object_id": action.pk or 999, "entry": "k:1"},
        follow=True,
    )
    assert "bestaat niet meer" in page.content.decode()
    other = _action(world)
    page = client.post(
        reverse("knowledge:link_add"),
        {"source": "meetings.actionitem", "object_id": other.pk, "entry": "r:999999"},
        follow=True,
    )
    assert "bestaat niet (meer)" in page.content.decode()


def test_someone_else_may_not_link_and_is_logged(client, world, caplog):
    action = _action(world)
    client.force_login(world["other_ib"])
    with caplog.at_level(logging.INFO):
        r = client.post(
            reverse("knowledge:link_add"), {"source": "meetings.actionitem", "object_id": action.pk, "entry": "k:1"}
        )
    assert r.status_code == 403
    assert any(getattr(rec, "event", "") == "knowledge_link_refused" for rec in caplog.records)
    assert not KnowledgeLink.objects.exists()


def test_api_reads_the_knowledge_base(client, world):
    client.force_login(world["parents5"][0])
    recs = client.get("/api/v1/knowledge/recommendations/").json()
    items = recs["results"] if isinstance(recs, dict) else recs
    first = next(r for r in items if r["code"] == "8.1")
    assert "korte-lijntjes" in first["keys"] and len(first["interventions"]) == 4
    interventions = client.get("/api/v1/knowledge/interventions/").json()
    items = interventions["results"] if isinstance(interventions, dict) else interventions
    assert {"recognition", "asks_of_school"} <= set(items[0])
    assert client.post("/api/v1/knowledge/keys/", {"slug": "x"}).status_code == 405
    client.logout()
    assert client.get("/api/v1/knowledge/keys/").status_code in (401, 403)
