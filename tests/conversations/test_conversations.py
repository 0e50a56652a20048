"""Conversations: purpose required, the child at the table, preparation, outcomes into the plan, feedback."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations import services
from apps.conversations.models import Conversation, Participant, Status
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.plans.models import Agreement
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle():
    group = GroupFactory()
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    child = ChildFactory(group=group, date_of_birth=years_ago(8))
    mother = GuardianshipFactory(child=child).user
    father = GuardianshipFactory(child=child, relation="father").user
    return {"group": group, "teacher": teacher, "child": child, "mother": mother, "father": father}


def _plan(circle, **kwargs):
    values = {
        "kind": "progress",
        "purpose": "Hoe gaat het met lezen, en wat helpt thuis?",
        "starts_at": timezone.now() + timedelta(days=3),
        "place": "Lokaal 5",
        "participants": [circle["mother"], circle["father"]],
    }
    values.update(kwargs)
    return services.plan_conversation(Actor(circle["teacher"]), circle["child"], **values)


def test_purpose_is_required_in_dutch_and_nothing_is_saved(circle):
    with pytest.raises(ValidationError) as e:
        _plan(circle, purpose="  ")
    assert "doel van het gesprek" in e.value.message_dict["purpose"][0]
    assert not Conversation.objects.exists()


def test_child_from_four_is_invited_by_default_else_a_reason_is_required(circle):
    conversation = _plan(circle)
    assert conversation.participants.filter(kind=Participant.Kind.CHILD).exists()
    with pytest.raises(ValidationError) as e:
        _plan(circle, child_invited=False)
    assert "Schrijf op waarom" in e.value.message_dict["child_not_invited_reason"][0]
    c2 = _plan(circle, child_invited=False, child_not_invited_reason="Gesprek over de scheiding")
    assert not c2.participants.filter(kind=Participant.Kind.CHILD).exists()
    assert c2.child_not_invited_reason == "Gesprek over de scheiding"


def test_toddler_is_not_invited_by_default(circle):
    child = ChildFactory(group=circle["group"], date_of_birth=years_ago(3))
    start = timezone.now() + timedelta(days=1)
    conversation = services.plan_conversation(
        Actor(circle["teacher"]), child, kind="progress", purpose="Wennen", starts_at=start, place="School"
    )
    assert not conversation.child_invited


def test_invitation_by_email_and_in_app_with_ics(circle, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = _plan(circle)
    assert Notification.objects.filter(
        user=circle["mother"], key__startswith=f"conversation-invite:{conversation.pk}"
    ).exists()
    mail = next(m for m in mailoutbox if circle["mother"].email in m.to)
    assert conversation.purpose in mail.body
    assert mail.attachments[0][2] == "text/calendar"


def test_past_time_and_missing_place_are_refused(circle):
    with pytest.raises(ValidationError) as e:
        _plan(circle, starts_at=timezone.now() - timedelta(hours=1), place="")
    assert "voorbij" in e.value.message_dict["starts_at"][0]
    assert "plaats of een videolink" in e.value.message_dict["place"][0]


def test_outside_professional_without_consent_cannot_be_invited(circle):
    worker = staff(Role.YOUTH_WORKER, organisation=CareOrganisationFactory())
    circle_member(circle["child"], worker)
    with pytest.raises(ValidationError) as e:
        _plan(circle, kind="care", participants=[worker])
    assert "geen toestemming" in e.value.message_dict["participants"][0]


def test_stranger_cannot_plan_and_refusal_is_logged(circle):
    stranger = staff(Role.TEACHER, school=circle["group"].school, groups=[GroupFactory(school=circle["group"].school)])
    with pytest.raises(AccessDenied):
        services.plan_conversation(
            Actor(stranger), circle["child"], kind="care", purpose="x", starts_at=timezone.now() + timedelta(days=1),
            place="x",
        )  # fmt: skip
    entry = AccessLogEntry.objects.get(actor_id=stranger.pk)
    assert not entry.allowed and entry.category == "support"


def test_child_preparation_shared_by_default_and_private_when_child_says_so(circle):
    conversation = _plan(circle)
    seat = services.child_participant(conversation)
    prep = services.save_preparation(
        Actor(circle["mother"]), conversation, seat, {"proud": "Ik kan fietsen", "difficult": "Rekenen"}, mood="happy"
    )
    assert prep.shared
    assert prep in services.visible_preparations(circle["teacher"], conversation)
    services.save_preparation(
        Actor(circle["mother"]), conversation, seat, {"tell_teacher": "Ik ben bang in de pauze"}, shared=False
    )
    assert services.visible_preparations(circle["teacher"], conversation) == []
    assert len(services.visible_preparations(circle["mother"], conversation)) == 1


def test_parent_gets_parent_questions_and_only_own_form(circle):
    conversation = _plan(circle)
    mother_seat = services.participant_for(circle["mother"], conversation)
    prep = services.save_preparation(
        Actor(circle["mother"]), conversation, mother_seat, {"going_well": "Hij leest graag", "proud": "ignored"}
    )
    assert prep.answers == {"going_well": "Hij leest graag", "school_should_know": ""}
    father_seat = services.participant_for(circle["father"], conversation)
    with pytest.raises(PermissionDenied):
        services.save_preparation(Actor(circle["mother"]), conversation, father_seat, {"going_well": "x"})


def test_outcome_becomes_an_agreement_in_the_plan_in_one_step(circle):
    conversation = _plan(circle)
    outcome = services.add_outcome(
        Actor(circle["teacher"]),
        conversation,
        what="Elke dag 15 minuten samen lezen",
        owner=circle["mother"],
        due=timezone.localdate() + timedelta(days=30),
    )
    agreement = Agreement.objects.get(pk=outcome.agreement_id)
    assert agreement.child == circle["child"] and agreement.owner == circle["mother"]
    with pytest.raises(ValidationError):
        services.add_outcome(Actor(circle["teacher"]), conversation, what="", owner=None, due=None)
    assert Agreement.objects.count() == 1


def test_guardian_cannot_record_outcomes(circle):
    conversation = _plan(circle)
    with pytest.raises(PermissionDenied):
        services.add_outcome(
            Actor(circle["mother"]), conversation, what="x", owner=circle["mother"], due=timezone.localdate()
        )


def test_feedback_reaches_all_participants_once(circle, mailoutbox, django_capture_on_commit_callbacks):
    conversation = _plan(circle)
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    conversation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_feedback(Actor(circle["teacher"]), conversation, "Fijn gesprek, we lezen elke dag.")
    assert sent == 2
    assert any("Fijn gesprek" in m.body and circle["father"].email in m.to for m in mailoutbox)
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD and conversation.feedback_sent_at


def test_feedback_overdue_after_five_school_days(circle):
    conversation = _plan(circle)
    friday = date(2026, 9, 4)
    start = timezone.make_aware(datetime.combine(friday, datetime.min.time().replace(hour=15)))
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=start, ends_at=start + timedelta(minutes=30))
    assert services.add_school_days(friday, 5) == date(2026, 9, 11)
    assert services.feedback_overdue(circle["teacher"], today=date(2026, 9, 11)) == []
    assert [c.pk for c in services.feedback_overdue(circle["teacher"], today=date(2026, 9, 14))] == [conversation.pk]


def test_cancel_tells_invitees_and_blocks_changes(circle):
    conversation = _plan(circle)
    with pytest.raises(ValidationError):
        services.cancel(Actor(circle["teacher"]), conversation, "")
    services.cancel(Actor(circle["teacher"]), conversation, "De juf is ziek")
    assert Notification.objects.filter(user=circle["father"], key=f"conversation-cancelled:{conversation.pk}").exists()
    with pytest.raises(ValidationError) as e:
        services.rsvp(Actor(circle["mother"]), conversation, "yes")
    assert "geannuleerd" in e.value.messages[0]
    assert Conversation.objects.filter(pk=conversation.pk).exists()  # nothing deleted


def test_rsvp_and_stale_record_is_detected(circle):
    conversation = _plan(circle)
    assert services.rsvp(Actor(circle["mother"]), conversation, "yes").rsvp == "yes"
    services.record_meeting(Actor(circle["teacher"]), conversation, notes="a", expected_version=conversation.version)
    with pytest.raises(ValidationError):
        services.record_meeting(Actor(circle["teacher"]), conversation, notes="b", expected_version=1)
    conversation.refresh_from_db()
    assert conversation.notes == "a"


def test_jobs_remind_once_and_flag_overdue_feedback_once(circle):
    tomorrow = timezone.now() + timedelta(days=1)
    conversation = _plan(circle, starts_at=tomorrow)
    first = services.send_reminders()
    assert first == 3  # both guardians and the organiser (the 8-year-old has no account)
    assert services.send_reminders() == 0
    start = timezone.now() - timedelta(days=14)
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=start, ends_at=start + timedelta(minutes=30))
    assert services.remind_overdue_feedback() == 1
    assert services.remind_overdue_feedback() == 0
    assert Notification.objects.filter(
        user=circle["teacher"], key=f"conversation-feedback-overdue:{conversation.pk}"
    ).exists()


def test_detail_page_queries_do_not_grow_with_participants_and_answers(
    client, circle, settings, django_assert_max_num_queries
):
    settings.DEMO_SKIP_TWO_FACTOR = True
    conversation = _plan(circle)
    client.force_login(circle["teacher"])
    url = f"/gesprekken/{conversation.pk}/"
    client.get(url)
    with django_assert_max_num_queries(60) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    for who in (circle["mother"], circle["father"]):
        services.save_preparation(
            Actor(who), conversation, services.participant_for(who, conversation), {"going_well": "ja"}
        )
    services.save_preparation(
        Actor(circle["mother"]), conversation, services.child_participant(conversation), {"proud": "Lezen"}
    )
    services.add_outcome(
        Actor(circle["teacher"]), conversation, what="Lezen", owner=circle["mother"], due=timezone.localdate()
    )
    services.add_outcome(
        Actor(circle["teacher"]), conversation, what="Rekenen", owner=circle["father"], due=timezone.localdate()
    )
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_reschedule_sends_a_new_invitation_and_keeps_the_calendar_uid(
    circle, mailoutbox, django_capture_on_commit_callbacks
):
    conversation = _plan(circle)
    new_start = timezone.now() + timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            Actor(circle["teacher"]), conversation, starts_at=new_start, minutes=45, place="Lokaal 7",
            expected_version=conversation.version,
        )  # fmt: skip
    conversation.refresh_from_db()
    assert conversation.place == "Lokaal 7" and conversation.ends_at - conversation.starts_at == timedelta(minutes=45)
    moved = Notification.objects.get(
        user=circle["mother"], key=f"conversation-moved:{conversation.pk}:{conversation.version}"
    )
    assert moved.text.startswith("Nieuwe tijd.")
    ics = next(m for m in mailoutbox if circle["mother"].email in m.to).attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"UID:gesprek-{conversation.pk}@driehoek" in ics and f"SEQUENCE:{conversation.version}" in ics
    with pytest.raises(ValidationError):  # a stale form
        services.reschedule(
            Actor(circle["teacher"]), conversation, starts_at=new_start, minutes=30, place="x", expected_version=1
        )
    with pytest.raises(PermissionDenied):  # guardians do not move the meeting
        services.reschedule(Actor(circle["mother"]), conversation, starts_at=new_start, minutes=30, place="x")
