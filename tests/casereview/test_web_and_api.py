"""Case review pages and API: the same rules as the services, the wrong person refused and logged."""

from datetime import date

import pytest
from django.urls import reverse

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.casereview import services
from apps.timeline import services as timeline_services
from apps.timeline.models import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(review_world):
    w = review_world
    timeline_services.add_entry(
        Actor(user=w["ib"]), w["child"], kind=Kind.LIFE_EVENT, happened_on=date(2026, 9, 1), text="Verhuisd naar Delft",
        category="support",
    )  # fmt: skip
    item = services.start_review(Actor(user=w["ib"]), w["child"])
    services.add_factor(Actor(user=w["ib"]), item, kind="hindered", level="organisation", text="Wachtlijst XQZ")
    return item


def test_the_coordinator_page_shows_timeline_fit_and_factors(client, review_world, review):
    client.force_login(review_world["ib"])
    page = client.get(reverse("casereview:detail", args=[review.pk])).content.decode()
    assert "Verhuisd naar Delft" in page, "the timeline is the starting point"
    assert "Wachtlijst XQZ" in page and 'id="factor-form"' in page
    assert 'id="family-fit"' in page


def test_the_mother_reads_it_and_gives_her_own_answer(client, review_world, review):
    w = review_world
    client.force_login(w["mother"])
    page = client.get(reverse("casereview:detail", args=[review.pk])).content.decode()
    assert "Wachtlijst XQZ" in page and 'id="factor-form"' not in page
    own = review.participants.get(user=w["mother"])
    client.post(reverse("casereview:fit", args=[review.pk]), {"participant": own.pk, "fit": "2", "note": "laat"})
    own.refresh_from_db()
    assert own.fit == 2
    response = client.post(
        reverse("casereview:fit", args=[review.pk]), {"participant": own.pk, "fit": "9"}, follow=True
    )
    assert "Kies een getal van 1" in response.content.decode()
    own.refresh_from_db()
    assert own.fit == 2


def test_a_teacher_cannot_add_a_factor_and_the_refusal_is_logged(client, review_world, review):
    w = review_world
    client.force_login(w["teacher"])
    before = AccessLogEntry.objects.filter(actor_id=w["teacher"].pk, allowed=False).count()
    response = client.post(
        reverse("casereview:factor_add", args=[review.pk]), {"kind": "helped", "level": "people", "text": "x"}
    )
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=w["teacher"].pk, allowed=False).count() == before + 1
    assert review.factors.count() == 1


def test_an_ib_of_another_school_cannot_read_it(client, review_world, review):
    w = review_world
    client.force_login(w["ib_elsewhere"])
    assert client.get(reverse("casereview:detail", args=[review.pk])).status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=w["ib_elsewhere"].pk, child=w["child"], allowed=False).exists()
    assert client.get(reverse("casereview:index")).content.decode().count("Bakkerhof") == 0


def test_the_start_page_says_why_without_consent(client, review_world):
    w = review_world
    client.force_login(w["ib"])
    url = reverse("casereview:start", args=[w["no_consent"].pk])
    assert "geen geldige toestemming" in client.get(url).content.decode()
    response = client.post(url, {"held_on": "2026-12-01"})
    assert response.status_code == 200 and "geen geldige toestemming" in response.content.decode()
    assert not w["no_consent"].case_reviews.exists()


def test_the_api_creates_reads_and_refuses_like_the_pages(client, review_world):
    w = review_world
    client.force_login(w["ib"])
    created = client.post("/api/v1/case-reviews/", {"child_id": w["child"].pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    factor = client.post(
        f"/api/v1/case-reviews/{pk}/factors/",
        {"kind": "hindered", "level": "policy", "text": "Schotten tussen wetten", "key": "no_walls"},
        content_type="application/json",
    )
    assert factor.status_code == 201
    mother = next(p for p in created.json()["participants"] if p["user"] == w["mother"].pk)
    bad = client.post(
        f"/api/v1/case-reviews/{pk}/fit/", {"participant_id": mother["id"], "fit": 0}, content_type="application/json"
    )
    assert bad.status_code == 400
    none = client.post("/api/v1/case-reviews/", {"child_id": w["no_consent"].pk}, content_type="application/json")
    assert none.status_code == 400 and "toestemming" in str(none.json())
    detail = client.get(f"/api/v1/case-reviews/{pk}/").json()
    assert detail["factors"][0]["key"] == "no_walls"
    summary = client.get(f"/api/v1/case-reviews/summary/school/{w['school'].pk}/").json()
    assert summary["shown"] is False and summary["hindered"] == []
    client.force_login(w["teacher"])
    assert (
        client.post(
            f"/api/v1/case-reviews/{pk}/factors/",
            {"kind": "helped", "level": "people", "text": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/case-reviews/summary/school/{w['school'].pk}/").status_code == 403
    client.force_login(w["ib_elsewhere"])
    assert client.get(f"/api/v1/case-reviews/{pk}/").status_code == 403
    assert client.get("/api/v1/case-reviews/").json() == []


def test_the_list_queries_do_not_grow_with_the_reviews(client, review_world, django_assert_max_num_queries):
    w = review_world
    services.start_review(Actor(user=w["ib"]), w["child"])
    client.force_login(w["ib"])
    with django_assert_max_num_queries(60) as small:
        client.get(reverse("casereview:index"))
    for _ in range(5):
        services.start_review(Actor(user=w["ib"]), w["child"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("casereview:index"))


def test_the_schema_lists_the_case_review_endpoints(client, review_world):
    client.force_login(review_world["ib"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/case-reviews/{id}/action-points/" in schema
    assert "/api/v1/case-reviews/summary/region/{board_id}/" in schema
