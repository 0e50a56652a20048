from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.conversations import attention
from apps.conversations.models import Conversation, Kind, Participant, Preparation, Status
from apps.conversations.services import feedback_due_on, feedback_overdue_before
from apps.planner import services as planner
from tests.planner.factories import evening

from .conftest import at, by_tone, fresh, leave_school

pytestmark = pytest.mark.django_db


def conversation(child, organiser, starts_at, kind=Kind.PROGRESS, guests=()):
    c = Conversation.objects.create(
        child=child,
        kind=kind,
        purpose="Hoe gaat het met lezen?",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        organiser=organiser,
    )
    Participant.objects.create(conversation=c, user=organiser, kind=Participant.Kind.PROFESSIONAL, name="org")
    for guest, kind in guests:
        Participant.objects.create(conversation=c, user=guest, kind=kind, name=str(guest))
    return c


def test_organiser_is_told_when_feedback_is_five_school_days_late(world):
    t, child = world["teacher"], world["child"]
    conversation(child, t, timezone.now() - timedelta(days=10))
    conversation(child, t, timezone.now() - timedelta(days=1))  # still in time
    sent = conversation(child, t, timezone.now() - timedelta(days=12))
    Conversation.objects.filter(pk=sent.pk).update(feedback_sent_at=timezone.now())
    cancelled = conversation(child, t, timezone.now() - timedelta(days=12))
    Conversation.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED)
    assert by_tone(attention.items(fresh(t))) == {"late": 1}
    assert by_tone(attention.items(fresh(world["ib"]))) == {}
    assert by_tone(attention.items(fresh(world["other_ib"]))) == {}


def test_overdue_feedback_about_a_child_no_longer_visible_is_not_counted(world):
    conversation(world["child"], world["teacher"], timezone.now() - timedelta(days=10))
    leave_school(world["teacher"])
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}


def test_invited_parent_sees_unanswered_invitation_and_missing_preparation(world):
    mother = world["mother"]
    c = conversation(world["child"], world["teacher"], at(3), guests=[(mother, Participant.Kind.GUARDIAN)])
    conversation(world["child"], world["teacher"], at(-3), guests=[(mother, Participant.Kind.GUARDIAN)])  # past
    items = attention.items(fresh(mother))
    assert by_tone(items) == {"todo": 2}
    assert any("nog geen antwoord" in i.text for i in items)
    assert any("voorbereiding" in i.text for i in items)
    seat = c.participants.get(user=mother)
    seat.rsvp = Participant.Rsvp.YES
    seat.save()
    Preparation.objects.create(conversation=c, participant=seat, answers={"a": "ja"}, filled_in_by=mother)
    assert by_tone(attention.items(fresh(mother))) == {}


def test_organiser_and_strangers_are_not_asked_to_answer(world):
    conversation(world["child"], world["teacher"], at(3), guests=[(world["mother"], Participant.Kind.GUARDIAN)])
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}  # own conversation: no RSVP to give
    assert by_tone(attention.items(fresh(world["stranger"]))) == {}


def test_invitation_about_a_child_no_longer_visible_is_not_counted(world):
    """The IB'er was invited to a care conversation, then left the school."""
    ib = world["ib"]
    conversation(world["child"], world["teacher"], at(3), kind=Kind.CARE, guests=[(ib, Participant.Kind.PROFESSIONAL)])
    assert by_tone(attention.items(fresh(ib))) == {"todo": 2}
    leave_school(ib)
    assert by_tone(attention.items(fresh(ib))) == {}


def test_booking_a_start_conversation_yourself_counts_as_your_answer(world):
    rnd = planner.open_round(world["teacher"], world["group"], purpose="Kennismaken", windows=[evening(5)])
    planner.book_slot(Actor(world["mother"]), rnd.slots.first(), world["child"])
    items = attention.items(fresh(world["mother"]))
    assert by_tone(items) == {"todo": 1}
    assert "voorbereiding" in next(i.text for i in items if i.count)


def test_feedback_cutoff_agrees_with_the_school_day_rule():
    """The query form of the rule (`feedback_overdue_before`) says the same as `feedback_due_on` for every
    start time over several weeks, weekends included."""
    base = timezone.localdate()
    for today_offset in range(14):
        today = base + timedelta(days=today_offset)
        cutoff = feedback_overdue_before(today)
        for start_offset in range(-20, 1):
            for hour in (0, 9, 23):
                start = timezone.make_aware(datetime.combine(today + timedelta(days=start_offset), time(hour, 30)))
                c = Conversation(starts_at=start)
                assert (start < cutoff) == (feedback_due_on(c) < today), (today, start)
