"""Circle membership through consent (issue 10 item 1): a valid consent to a person, or to an organisation
for the workers it assigns, brings them in for as long as it is valid; nothing else does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access.policy import AccessDenied, Action, authorize, decide, visible_children
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category, Consent
from apps.organisations.models import Membership
from apps.referrals.selectors import circle_members, consent_members, professional_label
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, years_ago

from .conftest import assign, fresh, give_consent

pytestmark = pytest.mark.django_db
B, D, S, H = Category.BASIC, Category.DEVELOPMENT, Category.SUPPORT, Category.HEALTH


def sees(user, child, category, on=None):
    return decide(fresh(user), Action.VIEW, child, category, on=on).allowed


def test_consent_to_the_organisation_brings_in_the_worker_it_assigns(story):
    child, coach = story["child"], story["coach"]
    give_consent(child, story["mother"], story["wijkteam"], [S])
    assert not sees(coach, child, S), "no assignment yet: the organisation has not chosen anyone"
    assign(child, story["wijkteam"], coach)
    assert sees(coach, child, S) and sees(coach, child, B)
    assert not sees(coach, child, H) and not sees(coach, child, D)
    assert not sees(story["colleague"], child, S), "a colleague who was not assigned stays out"
    assert not sees(story["stranger"], child, B)
    [member] = consent_members(child)
    assert (member.user, member.role, member.organisation_name) == (coach, "gezinscoach", "Wijkteam Oost")
    assert child in visible_children(fresh(coach), S) and child in visible_children(fresh(coach), B)
    assert child not in visible_children(fresh(coach), H)


def test_consent_to_a_person_implies_the_basic_details_and_circle_for_that_person(story):
    child, coach = story["child"], story["coach"]
    give_consent(child, story["mother"], story["wijkteam"], [S], grantee=coach)
    assert sees(coach, child, B) and sees(coach, child, S)
    assert not sees(story["colleague"], child, B), "a consent to a person covers that person only"
    assert [m.user for m in circle_members(child) if getattr(m, "via_consent", False)] == [coach]


def test_a_consent_to_a_person_outside_the_chosen_organisation_is_refused(story):
    with pytest.raises(Exception, match="werkt niet bij de gekozen organisatie"):
        give_consent(story["child"], story["mother"], story["wijkteam"], [S], grantee=story["stranger"])
    assert not Consent.objects.exists()


def test_an_expired_consent_lets_nobody_in_from_the_day_after_its_end_without_any_event(story):
    child, coach = story["child"], story["coach"]
    today = timezone.localdate()
    give_consent(child, story["mother"], story["wijkteam"], [S], ends_on=today + timedelta(days=10))
    assign(child, story["wijkteam"], coach)
    last_day, day_after = today + timedelta(days=10), today + timedelta(days=11)
    assert sees(coach, child, S, on=last_day) and consent_members(child, last_day)
    assert not sees(coach, child, S, on=day_after) and not sees(coach, child, B, on=day_after)
    assert consent_members(child, day_after) == []
    assert child not in visible_children(fresh(coach), B, on=day_after)


def test_revoking_takes_the_worker_out_of_the_circle_at_once_and_their_earlier_entries_keep_their_name(story):
    child, coach, mother = story["child"], story["coach"], story["mother"]
    consent = give_consent(child, mother, story["wijkteam"], [S])
    assign(child, story["wijkteam"], coach)
    authorize(Actor(user=fresh(coach)), Action.VIEW, child, S, label="het plan")
    consent_services.revoke(consent, mother, "Niet meer nodig.")
    assert consent_members(child) == []
    with pytest.raises(AccessDenied):
        authorize(Actor(user=fresh(coach)), Action.VIEW, child, B)
    earlier = AccessLogEntry.objects.filter(child=child, actor_id=coach.pk, allowed=True).get()
    assert earlier.actor_name == "Jeroen Smit" and earlier.actor_organisation == "Wijkteam Oost"
    refused = AccessLogEntry.objects.filter(child=child, actor_id=coach.pk, allowed=False).get()
    assert "geen geldige toestemming" in refused.basis


def test_a_worker_who_leaves_the_organisation_leaves_the_circle(story):
    child, coach = story["child"], story["coach"]
    give_consent(child, story["mother"], story["wijkteam"], [S], grantee=coach)
    Membership.objects.filter(user=coach).update(active=False)
    assert not sees(coach, child, B) and consent_members(child) == []


def test_at_the_12th_birthday_a_consent_signed_by_the_parents_alone_lapses(story):
    today = timezone.localdate()
    child = ChildFactory(group=story["child"].group, date_of_birth=years_ago(12, on=today + timedelta(days=3)))
    mother = GuardianshipFactory(child=child).user
    give_consent(child, mother, story["wijkteam"], [S], grantee=story["coach"])
    assert sees(story["coach"], child, S, on=today + timedelta(days=2))
    assert not sees(story["coach"], child, S, on=today + timedelta(days=3)), "from 12 the child signs too"
    assert consent_members(child, today + timedelta(days=3)) == []


def test_at_the_16th_birthday_the_young_persons_own_signature_carries_the_consent(story):
    today = timezone.localdate()
    child_user = UserFactory()
    child = ChildFactory(
        group=story["child"].group, user=child_user, date_of_birth=years_ago(16, on=today + timedelta(days=3))
    )
    mother = GuardianshipFactory(child=child).user
    consent = give_consent(child, mother, story["wijkteam"], [S], grantee=story["coach"])
    assert not sees(story["coach"], child, S), "from 12 to 16 the child signs as well"
    consent_services.sign(consent, child_user)
    assert sees(story["coach"], child, S)
    assert sees(story["coach"], child, S, on=today + timedelta(days=3)), "from 16 the young person alone decides"


def test_a_circle_row_of_an_outside_professional_grants_nothing_by_itself(story):
    from apps.circles.models import CircleMember

    child = story["child"]
    CircleMember.objects.create(child=child, user=story["stranger"], role="CJG", organisation=story["other_org"])
    give_consent(child, story["mother"], story["other_org"], [S])
    assert not sees(story["stranger"], child, B), "only the organisation's own assignment counts"
    assert story["stranger"] not in [m.user for m in circle_members(child)]


def test_the_professional_is_shown_with_role_and_organisation(story):
    membership = Membership.objects.select_related("title", "organisation", "user").get(user=story["coach"])
    assert professional_label(membership) == "Jeroen Smit — gezinscoach, Wijkteam Oost"


def test_the_workers_list_costs_the_same_for_one_child_as_for_many(story):
    coach, wijkteam = story["coach"], story["wijkteam"]

    def add_child():
        child = ChildFactory(group=story["child"].group)
        mother = GuardianshipFactory(child=child).user
        give_consent(child, mother, wijkteam, [S])
        assign(child, wijkteam, coach)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            ids = list(visible_children(fresh(coach), S).values_list("pk", flat=True))
        return len(ctx.captured_queries), len(ids)

    add_child()
    one = count()
    for _ in range(5):
        add_child()
    many = count()
    assert (one[1], many[1]) == (1, 6)
    assert one[0] == many[0]
