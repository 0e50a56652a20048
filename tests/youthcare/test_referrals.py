"""Referral with a warm handover (issue 10 item 2): the school refers, the family consents to exactly what
goes with it, the organisation reads only the referral text until it accepts, assigns a worker who joins
the circle, and a first three-way conversation is proposed in one step. The family sees every step."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation
from rest_framework.test import APIClient

from apps.access.policy import Action, decide
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.conversations.models import Conversation, Kind
from apps.organisations.models import CareOrganisation
from apps.referrals import referral_flow, services
from apps.referrals.models import Assignment, Referral
from tests.factories import CareOrganisationFactory

from .conftest import fresh, worker_at

pytestmark = pytest.mark.django_db
S = Referral.Status


@pytest.fixture
def cjg(story):
    cjg = CareOrganisationFactory(name="CJG Noord", kind=CareOrganisation.Kind.CJG)
    story["cjg"] = cjg
    story["anouk"] = worker_at(cjg, "Anouk de Vries", "CJG-coach")
    story["bas"] = worker_at(cjg, "Bas Jansen", "jeugdverpleegkundige")
    return story


def refer(s, **extra):
    data = {
        "organisation": s["cjg"],
        "reason": "Emma slaapt slecht en is vaak moe in de klas.",
        "question": "Ondersteuning voor moeder bij het slaapritme.",
        "tried": "Gesprek met moeder, aangepaste werkplek.",
        "urgency": Referral.Urgency.SOON,
        "categories": [Category.DEVELOPMENT],
    }
    data.update(extra)
    return services.refer(Actor(fresh(s["ib"])), s["child"], **data)


def signed(s, referral):
    consent_services.sign(referral.consent, s["mother"])
    referral.refresh_from_db()
    return referral


# --- the state machine -------------------------------------------------------------------------------------


def test_the_state_machine_allows_only_the_drawn_steps():
    assert referral_flow.may_move(S.WAITING_CONSENT, S.SENT)
    assert referral_flow.may_move(S.SENT, S.ACCEPTED) and referral_flow.may_move(S.SENT, S.DECLINED)
    assert referral_flow.may_move(S.ACCEPTED, S.ASSIGNED)
    assert not referral_flow.may_move(S.WAITING_CONSENT, S.ACCEPTED)  # never without the family's consent
    assert not referral_flow.may_move(S.DECLINED, S.ACCEPTED)
    assert not referral_flow.may_move(S.ACCEPTED, S.DECLINED)
    assert {S.ASSIGNED, S.DECLINED, S.WITHDRAWN} == referral_flow.FINAL


def test_a_stale_step_is_refused_and_leaves_no_half_done_state(cjg):
    s = cjg
    referral = signed(s, refer(s))
    first, second = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
    services.accept_referral(Actor(fresh(s["anouk"])), first)
    with pytest.raises(ValidationError):  # the second browser still shows "sent"
        services.accept_referral(Actor(fresh(s["bas"])), second)
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED and referral.answered_by == s["anouk"]
    assert list(referral.steps.values_list("status", flat=True)) == [S.WAITING_CONSENT, S.SENT, S.ACCEPTED]


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_the_same_moment_one_wins(cjg):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the stale-step test above covers the same conditional update")
    s = cjg
    referral = signed(s, refer(s))
    errors, barrier = [], threading.Barrier(2)

    def accept(user):
        barrier.wait()
        try:
            services.accept_referral(Actor(fresh(user)), Referral.objects.get(pk=referral.pk))
        except ValidationError as e:
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (s["anouk"], s["bas"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert referral.steps.filter(status=S.ACCEPTED).count() == 1


# --- the whole way ---------------------------------------------------------------------------------------------


def test_referral_waits_for_consent_then_is_accepted_assigned_and_the_worker_joins(cjg):
    s = cjg
    child, anouk, bas = s["child"], s["anouk"], s["bas"]
    referral = refer(s)
    assert referral.status == S.WAITING_CONSENT
    assert sorted(referral.consent.category_values) == ["basic", "development", "support"]
    assert referral.consent.grantee is None and referral.consent.organisation == s["cjg"]
    # Before the family signs the organisation sees nothing, not even the referral text.
    assert not decide(fresh(anouk), Action.RECEIVE_REFERRAL, child).allowed
    with pytest.raises(PermissionDenied):
        services.accept_referral(Actor(fresh(anouk)), referral)
    assert AccessLogEntry.objects.filter(actor_id=anouk.pk, child_id=child.pk, allowed=False).exists()

    referral = signed(s, referral)  # the mother signs: the referral is sent at once
    assert referral.status == S.SENT and referral.sent_at is not None
    # Only the referral text until it accepts: no file, no plan, no circle.
    assert decide(fresh(anouk), Action.RECEIVE_REFERRAL, child).allowed
    for category in Category.values:
        assert not decide(fresh(anouk), Action.VIEW, child, category).allowed
    assert not decide(fresh(anouk), Action.ASSIGN, child).allowed  # no assigning around the inbox

    services.accept_referral(Actor(fresh(anouk)), referral)
    services.assign_referral(Actor(fresh(anouk)), referral, bas)
    referral.refresh_from_db()
    assert referral.status == S.ASSIGNED and referral.assignment.worker == bas
    assert decide(fresh(bas), Action.VIEW, child, Category.SUPPORT).allowed  # in the circle through consent
    assert decide(fresh(bas), Action.VIEW, child, Category.DEVELOPMENT).allowed
    assert not decide(fresh(bas), Action.VIEW, child, Category.HEALTH).allowed  # not consented to
    assert not decide(fresh(anouk), Action.VIEW, child, Category.SUPPORT).allowed  # not assigned
    assert services.holder(referral) == "Bas Jansen, CJG Noord"

    starts = timezone.now() + timedelta(days=7)
    conversation = services.propose_three_way(Actor(fresh(bas)), referral, starts_at=starts, place="op school")
    assert conversation.kind == Kind.CARE
    seated = set(conversation.participants.exclude(user=None).values_list("user_id", flat=True))
    assert {s["mother"].pk, s["ib"].pk, bas.pk} <= seated
    with pytest.raises(ValidationError):  # one step, once
        services.propose_three_way(Actor(fresh(bas)), Referral.objects.get(pk=referral.pk), starts_at=starts)
    assert Conversation.objects.filter(child=child).count() == 1


def test_a_worker_of_another_organisation_is_refused_and_logged(cjg):
    s = cjg
    referral = signed(s, refer(s))
    stranger = s["stranger"]
    assert not decide(fresh(stranger), Action.RECEIVE_REFERRAL, s["child"]).allowed
    with pytest.raises(PermissionDenied):
        services.accept_referral(Actor(fresh(stranger)), referral)
    entry = AccessLogEntry.objects.filter(actor_id=stranger.pk, child_id=s["child"].pk).latest("pk")
    assert not entry.allowed and entry.action == "change"
    assert Referral.objects.get(pk=referral.pk).status == S.SENT


def test_a_revoked_consent_takes_the_referral_out_of_the_inbox(cjg):
    s = cjg
    referral = signed(s, refer(s))
    consent_services.revoke(referral.consent, s["mother"], "toch niet")
    assert not decide(fresh(s["anouk"]), Action.RECEIVE_REFERRAL, s["child"]).allowed
    from apps.referrals.selectors import inbox

    assert inbox(fresh(s["anouk"])) == []


def test_referral_to_an_organisation_without_staff_is_refused_clearly(cjg, caplog):
    s = cjg
    empty = CareOrganisationFactory(name="GGD Leeg", kind=CareOrganisation.Kind.GGD)
    with pytest.raises(ValidationError) as e:
        refer(s, organisation=empty)
    assert "GGD Leeg heeft nog geen medewerkers in Driehoek" in e.value.message_dict["organisation"][0]
    assert not Referral.objects.exists()
    assert any(getattr(r, "event", "") == "referral_refused" for r in caplog.records)


def test_a_teacher_may_not_refer_and_the_refusal_is_logged(cjg):
    from apps.organisations.models import Role
    from tests.factories import staff

    s = cjg
    teacher = staff(Role.TEACHER, school=s["school"], groups=[s["child"].group])
    with pytest.raises(PermissionDenied):
        services.refer(Actor(teacher), s["child"], organisation=s["cjg"], reason="x", question="y")
    assert AccessLogEntry.objects.filter(actor_id=teacher.pk, allowed=False).exists()


def test_decline_needs_a_reason_and_the_family_reads_it(cjg):
    s = cjg
    referral = signed(s, refer(s))
    with pytest.raises(ValidationError):
        services.decline_referral(Actor(fresh(s["anouk"])), referral, " ")
    services.decline_referral(Actor(fresh(s["anouk"])), referral, "Past beter bij het wijkteam.")
    referral.refresh_from_db()
    assert referral.status == S.DECLINED
    assert not decide(fresh(s["anouk"]), Action.RECEIVE_REFERRAL, s["child"]).allowed
    with pytest.raises(ValidationError):
        services.assign_referral(Actor(fresh(s["anouk"])), referral, s["bas"])
    assert not Assignment.objects.exists()


# --- pages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def web(cjg, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    for person in ("ib", "mother", "anouk", "bas", "stranger"):
        cjg[person].is_demo = True
        cjg[person].save()
    return cjg


def test_pages_walk_from_referring_to_the_familys_view(client, web):
    s = web
    child = s["child"]
    client.force_login(s["ib"])
    response = client.post(
        f"/jeugdhulp/kinderen/{child.pk}/verwijzen/",
        {"organisation": s["cjg"].pk, "reason": "Vaak moe", "question": "Hulp bij slapen", "urgency": "normal"},
        follow=True,
    )
    assert "wacht op toestemming" in response.content.decode()
    referral = Referral.objects.get()
    client.force_login(s["anouk"])
    assert "Vaak moe" not in client.get("/jeugdhulp/verwijzingen/").content.decode()
    assert client.get(f"/jeugdhulp/verwijzingen/{referral.pk}/").status_code == 403
    signed(s, referral)
    inbox = client.get("/jeugdhulp/verwijzingen/").content.decode()
    assert child.full_name in inbox
    page = client.get(f"/jeugdhulp/verwijzingen/{referral.pk}/").content.decode()
    assert "Vaak moe" in page and "Accepteren" in page
    client.post(f"/jeugdhulp/verwijzingen/{referral.pk}/accepteren/")
    client.post(f"/jeugdhulp/verwijzingen/{referral.pk}/toewijzen/", {"worker": s["bas"].pk})
    assert Referral.objects.get().status == S.ASSIGNED
    client.force_login(s["mother"])
    family = client.get(f"/jeugdhulp/kinderen/{child.pk}/verwijzingen/").content.decode()
    for text in ("wacht op toestemming", "geaccepteerd", "medewerker toegewezen", "Bas Jansen, CJG Noord"):
        assert text in family
    client.force_login(s["stranger"])
    assert client.get(f"/jeugdhulp/verwijzingen/{referral.pk}/").status_code == 403


def test_the_inbox_query_count_does_not_grow_with_referrals(client, web, django_assert_max_num_queries):
    from tests.factories import ChildFactory, GuardianshipFactory

    s = web
    for _i in range(6):
        child = ChildFactory(group=s["child"].group)
        mother = GuardianshipFactory(child=child).user
        r = services.refer(Actor(fresh(s["ib"])), child, organisation=s["cjg"], reason="r", question="q", categories=[])
        consent_services.sign(r.consent, mother)
    client.force_login(s["anouk"])
    client.get("/jeugdhulp/verwijzingen/")
    with django_assert_max_num_queries(40) as few:
        client.get("/jeugdhulp/verwijzingen/")
    for _i in range(6):
        child = ChildFactory(group=s["child"].group)
        mother = GuardianshipFactory(child=child).user
        r = services.refer(Actor(fresh(s["ib"])), child, organisation=s["cjg"], reason="r", question="q", categories=[])
        consent_services.sign(r.consent, mother)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/jeugdhulp/verwijzingen/")


# --- API ----------------------------------------------------------------------------------------------------------


def test_api_create_list_accept_decline_assign(web):
    s = web
    api = APIClient()
    api.force_authenticate(fresh(s["ib"]))
    created = api.post(
        "/api/v1/referrals/",
        {"child": s["child"].pk, "organisation": s["cjg"].pk, "reason": "r", "question": "q", "categories": []},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "waiting_consent"
    rid = created.json()["id"]
    api.force_authenticate(fresh(s["anouk"]))
    assert api.post(f"/api/v1/referrals/{rid}/accept/").status_code == 403
    signed(s, Referral.objects.get(pk=rid))
    assert [r["id"] for r in api.get("/api/v1/referrals/").json()] == [rid]
    api.force_authenticate(fresh(s["stranger"]))
    assert api.get("/api/v1/referrals/").json() == []
    assert api.post(f"/api/v1/referrals/{rid}/decline/", {"reason": "nee"}).status_code == 403
    api.force_authenticate(fresh(s["anouk"]))
    assert api.post(f"/api/v1/referrals/{rid}/accept/").json()["status"] == "accepted"
    assert api.post(f"/api/v1/referrals/{rid}/accept/").status_code == 400  # already answered
    assigned = api.post(f"/api/v1/referrals/{rid}/assign/", {"worker": s["bas"].pk})
    assert assigned.json()["status"] == "assigned" and assigned.json()["worker"] == s["bas"].pk
    empty = CareOrganisationFactory(name="Wijkteam Zonder")
    api.force_authenticate(fresh(s["ib"]))
    refused = api.post(
        "/api/v1/referrals/",
        {"child": s["child"].pk, "organisation": empty.pk, "reason": "r", "question": "q"},
        format="json",
    )
    assert refused.status_code == 400 and "nog geen medewerkers" in refused.json()["organisation"][0]


def test_response_times_median_and_share_within_the_agreed_days(cjg, settings):
    settings.REFERRAL_RESPONSE_WORKING_DAYS = 10
    s = cjg
    monday = timezone.make_aware(timezone.datetime(2026, 11, 2, 10, 0))
    for days in (1, 3, 15):
        r = signed(s, refer(s))
        Referral.objects.filter(pk=r.pk).update(sent_at=monday, answered_at=monday + timedelta(days=days))
    signed(s, refer(s))  # still open
    (row,) = services.response_times([s["cjg"]])
    # 1 day → 1 working day, 3 → 3, 15 days (three weekends) → 11 working days
    assert row.answered == 3 and row.open == 1
    assert row.median_days == 3 and row.within_share == pytest.approx(2 / 3)
    assert services.working_days_between(monday.date(), (monday + timedelta(days=7)).date()) == 5


def test_after_declining_on_the_page_the_organisation_lands_on_its_inbox(client, web):
    s = web
    referral = signed(s, refer(s))
    client.force_login(s["anouk"])
    response = client.post(f"/jeugdhulp/verwijzingen/{referral.pk}/afwijzen/", {"reason": "Past niet bij ons"})
    assert response.status_code == 302 and response.url == "/jeugdhulp/verwijzingen/"
    assert Referral.objects.get(pk=referral.pk).decline_reason == "Past niet bij ons"


def test_an_english_speaking_mother_reads_the_referral_notifications_in_english(cjg):
    """Issue 13: the notification keeps its message key; each reader sees it in their own language."""
    from apps.notifications.models import Notification

    s = cjg
    s["mother"].language = "en"
    s["mother"].save(update_fields=["language"])
    referral = signed(s, refer(s))
    services.decline_referral(Actor(fresh(s["anouk"])), referral, "Past beter bij het wijkteam.")
    note = Notification.objects.get(user=s["mother"], key=f"referral:{referral.pk}:{S.DECLINED}")
    with translation.override("en"):
        assert note.display_text == (
            f"CJG Noord has declined the referral of {s['child'].first_name}: Past beter bij het wijkteam."
        )
    assert note.text.startswith("CJG Noord heeft de verwijzing")  # the Dutch sentence is kept beside it
    asked = Notification.objects.get(user=s["mother"], key=f"referral_consent:{referral.consent_id}")
    with translation.override("en"):
        assert "CJG Noord" in asked.display_text and "verwijzen" not in asked.display_text
