"""Case reviews: consent, the coordinator rule, fit per participant, factors, action points into the plan and
the board, and the anonymous summary's threshold (docs/learning-community.md)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.casereview import services
from apps.casereview.models import ActionPoint, Level
from apps.consent import services as consent_services
from apps.meetings.keys import SevenKey
from apps.meetings.models import ActionItem
from apps.plans.models import Agreement
from tests.factories import ChildFactory, GuardianshipFactory

from .conftest import consent_to_school

pytestmark = pytest.mark.django_db


def test_a_review_without_the_familys_consent_is_refused_with_a_dutch_message(review_world):
    with pytest.raises(ValidationError) as error:
        services.start_review(Actor(user=review_world["ib"]), review_world["no_consent"])
    assert "geen geldige toestemming van de familie" in error.value.messages[0]
    assert not review_world["no_consent"].case_reviews.exists()


def test_a_revoked_consent_stops_the_review_going_on(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    for consent in w["child"].consents.all():
        consent_services.revoke(consent, w["mother"])
    with pytest.raises(ValidationError) as error:
        services.add_factor(Actor(user=w["ib"]), review, kind="helped", level="people", text="Korte lijn")
    assert "geldt niet meer" in error.value.messages[0]
    assert not review.factors.exists()


def test_the_coordinator_starts_it_with_the_family_at_the_table(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    perspectives = {p.user_id: p.perspective for p in review.participants.all()}
    assert perspectives == {w["ib"].pk: "professional", w["mother"].pk: "family"}
    assert review.consent.school_id == w["school"].pk
    assert AccessLogEntry.objects.filter(actor_id=w["ib"].pk, child=w["child"], allowed=True).exists()


def test_a_teacher_may_not_run_a_review_and_the_refusal_is_logged(review_world):
    w = review_world
    with pytest.raises(PermissionDenied):
        services.start_review(Actor(user=w["teacher"]), w["child"])
    assert AccessLogEntry.objects.filter(actor_id=w["teacher"].pk, child=w["child"], allowed=False).exists()


def test_an_ib_of_another_school_is_refused_by_the_policy_and_logged(review_world):
    w = review_world
    with pytest.raises(PermissionDenied):
        services.start_review(Actor(user=w["ib_elsewhere"]), w["child"])
    assert AccessLogEntry.objects.filter(actor_id=w["ib_elsewhere"].pk, child=w["child"], allowed=False).exists()


def test_fit_per_participant_with_the_family_beside_the_professionals(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    services.add_participant(Actor(user=w["ib"]), review, w["worker"])
    mother = review.participants.get(user=w["mother"])
    services.set_fit(Actor(user=w["mother"]), review, mother, 2, "Het duurde lang")
    services.set_fit(Actor(user=w["ib"]), review, review.participants.get(user=w["ib"]), 4)
    services.set_fit(Actor(user=w["worker"]), review, review.participants.get(user=w["worker"]), "5")
    view = services.read_review(Actor(user=w["mother"]), review)
    assert view.family_fit == 2.0 and view.professional_fit == 4.5
    with pytest.raises(ValidationError):
        services.set_fit(Actor(user=w["mother"]), review, mother, 6)
    with pytest.raises(ValidationError):
        services.set_fit(Actor(user=w["mother"]), review, mother, "veel")
    with pytest.raises(PermissionDenied):  # the mother answers for herself only
        services.set_fit(Actor(user=w["mother"]), review, review.participants.get(user=w["worker"]), 1)
    mother.refresh_from_db()
    assert mother.fit == 2


def test_someone_outside_the_circle_cannot_join(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    with pytest.raises(ValidationError):
        services.add_participant(Actor(user=w["ib"]), review, w["ib_elsewhere"])
    assert not review.participants.filter(user=w["ib_elsewhere"]).exists()


def test_factors_need_a_kind_a_level_and_a_text(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    with pytest.raises(ValidationError) as error:
        services.add_factor(Actor(user=w["ib"]), review, kind="maybe", level="", text=" ")
    assert set(error.value.message_dict) == {"kind", "level", "text"}
    factor = services.add_factor(
        Actor(user=w["ib"]), review, kind="hindered", level="policy", text="Wachtlijst", key=SevenKey.COVERING_OFFER
    )
    assert factor.key == "covering_offer"


def test_action_points_enter_the_plan_as_an_agreement_or_the_board_as_an_action(review_world):
    w = review_world
    review = services.start_review(Actor(user=w["ib"]), w["child"])
    due = timezone.localdate() + timedelta(days=14)
    point = services.add_action_point(
        Actor(user=w["ib"]), review, text="Elke maand samen evalueren", destination="plan", owner=w["mother"], due=due
    )
    assert Agreement.objects.get(pk=point.agreement_id).child_id == w["child"].pk
    board = services.add_action_point(
        Actor(user=w["ib"]),
        review,
        text="Vaste contactpersoon CJG per school",
        destination="board",
        owner=w["director"],
    )
    action = ActionItem.objects.get(pk=board.board_action_id)
    assert action.school_id == w["school"].pk and w["child"].last_name not in action.title
    with pytest.raises(ValidationError):  # the plan's own rule: a date in the past is refused
        services.add_action_point(
            Actor(user=w["ib"]),
            review,
            text="Te laat",
            destination="plan",
            owner=w["mother"],
            due=due - timedelta(days=30),
        )
    assert ActionPoint.objects.filter(review=review).count() == 2


def _reviews(world, n):
    """n reviews of n different children of the school, each with a hindering factor on policy."""
    for i in range(n):
        child = ChildFactory(group=world["group"], first_name=f"Kind{i}")
        guardian = GuardianshipFactory(child=child).user
        consent_to_school(child, guardian)
        review = services.start_review(Actor(user=world["ib"]), child)
        services.add_factor(
            Actor(user=world["ib"]), review, kind="hindered", level="policy", text=f"Naam {i}", key="no_walls"
        )
        services.set_fit(Actor(user=world["ib"]), review, review.participants.get(user=guardian), 3)


def test_the_anonymous_summary_is_withheld_under_five_reviews(review_world):
    _reviews(review_world, 4)
    summary = services.school_summary(review_world["ib"], review_world["school"])
    assert not summary.shown and summary.hindered == [] and "vanaf 5" in summary.reason


def test_the_anonymous_summary_shows_recurring_hindering_factors_from_five_without_names(review_world):
    _reviews(review_world, 5)
    summary = services.school_summary(review_world["ib"], review_world["school"])
    assert summary.shown and summary.n_reviews == 5
    assert summary.hindered == [(str(Level.POLICY.label), str(SevenKey.NO_WALLS.label), 5)]
    assert summary.family_fit == 3.0
    text = repr(summary)
    assert "Naam" not in text and "Kind" not in text
    region = services.region_summary(review_world["director"], review_world["board"])
    assert region.shown and region.n_reviews == 5


def test_two_reviews_of_one_child_count_once_for_the_threshold(review_world):
    _reviews(review_world, 4)
    w = review_world
    services.start_review(Actor(user=w["ib"]), w["child"])
    services.start_review(Actor(user=w["ib"]), w["child"])
    summary = services.school_summary(w["ib"], w["school"])
    assert summary.shown and summary.n_reviews == 5


def test_the_summary_is_refused_to_a_teacher_and_to_another_school(review_world):
    with pytest.raises(PermissionDenied):
        services.school_summary(review_world["teacher"], review_world["school"])
    with pytest.raises(PermissionDenied):
        services.school_summary(review_world["ib_elsewhere"], review_world["school"])
    with pytest.raises(PermissionDenied):
        services.region_summary(review_world["ib_elsewhere"], review_world["board"])
