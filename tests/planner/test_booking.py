"""The start-of-year planner: opening slots, booking (no double booking), siblings, waiting list, nudges."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations.models import Conversation, Participant, Status
from apps.notifications.models import Notification
from apps.planner import services
from apps.planner.models import Booking, Slot
from tests.factories import GuardianshipFactory, UserFactory

from .factories import evening, family_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return family_school()


def _round(world, group="g5", teacher="t5", windows=None, **kwargs):
    return services.open_round(
        world[teacher],
        world[group],
        purpose="Kennismaken en verwachtingen uitspreken",
        windows=windows or [evening(7), evening(8)],
        slot_minutes=15,
        place="Lokaal 5",
        **kwargs,
    )


def test_open_round_cuts_two_evenings_into_fifteen_minute_slots(world):
    rnd = _round(world)
    assert rnd.slots.count() == 16  # 2 evenings x 2 hours / 15 minutes
    first = rnd.slots.first()
    assert first.ends_at - first.starts_at == timedelta(minutes=15)


def test_open_round_requires_purpose_and_sane_windows(world):
    with pytest.raises(ValidationError) as e:
        services.open_round(world["t5"], world["g5"], purpose=" ", windows=[evening(7)])
    assert "doel" in str(e.value)
    start, end = evening(7)
    with pytest.raises(ValidationError) as e:
        services.open_round(world["t5"], world["g5"], purpose="x", windows=[(end, start)])
    assert "eindtijd" in str(e.value)
    with pytest.raises(ValidationError):
        services.open_round(world["t5"], world["g5"], purpose="x", windows=[evening(-1)])


def test_teacher_cannot_open_round_for_another_class(world):
    with pytest.raises(ValidationError):
        _round(world, group="g3", teacher="t5")
    assert not Slot.objects.exists()


def test_booking_creates_the_start_conversation_with_child_and_invitation(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    rnd = _round(world)
    child, guardian = world["children"][0], world["guardians"][0]
    slot = rnd.slots.first()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_slot(Actor(guardian), slot, child)
    conversation = booking.conversation
    assert conversation.kind == "start" and conversation.purpose == rnd.purpose
    assert conversation.organiser == world["t5"]
    kinds = sorted(p.kind for p in conversation.participants.all())
    assert kinds == ["child", "guardian", "professional"]  # the child (9) is at the table
    mail = next(m for m in mailoutbox if guardian.email in m.to)
    assert rnd.purpose in mail.body
    name, content, mimetype = mail.attachments[0]
    assert name == "gesprek.ics" and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)
    assert AccessLogEntry.objects.filter(child_id=child.pk, action="create", allowed=True).exists()


def test_taken_slot_gives_dutch_message_and_changes_nothing(world):
    rnd = _round(world)
    slot = rnd.slots.first()
    services.book_slot(Actor(world["guardians"][0]), slot, world["children"][0])
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][1]), slot, world["children"][1])
    assert "net door iemand anders gekozen" in e.value.messages[0]
    assert Booking.objects.count() == 1
    assert Conversation.objects.count() == 1


def test_slot_outside_the_window_is_refused(world):
    rnd = _round(world)
    start, _end = evening(7)
    with pytest.raises(ValidationError) as e:
        services.book_at(Actor(world["guardians"][0]), rnd, world["children"][0], start - timedelta(hours=3))
    assert "buiten de gesprekstijden" in e.value.messages[0]
    assert not Booking.objects.exists()
    booking = services.book_at(Actor(world["guardians"][0]), rnd, world["children"][0], start)
    assert booking.slot.starts_at == start


def test_booking_after_deadline_or_in_the_past_is_refused(world):
    rnd = _round(world, book_until=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        services.book_slot(
            Actor(world["guardians"][0]),
            rnd.slots.first(),
            world["children"][0],
            now=timezone.now() + timedelta(days=2),
        )
    assert "Inschrijven kon tot" in e.value.messages[0]


def test_booking_for_a_child_of_another_class_is_refused(world):
    rnd = _round(world)
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["sibling"])
    assert "andere groep" in e.value.messages[0]


def test_stranger_cannot_book_and_refusal_is_logged(world):
    rnd = _round(world)
    stranger = UserFactory()
    from apps.access.policy import AccessDenied

    with pytest.raises(AccessDenied):
        services.book_slot(Actor(stranger), rnd.slots.first(), world["children"][0])
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False).exists()
    assert not Booking.objects.exists()


def test_cancelled_round_cannot_be_booked_and_bookings_are_cancelled_with_notice(world):
    rnd = _round(world)
    guardian = world["guardians"][0]
    booking = services.book_slot(Actor(guardian), rnd.slots.first(), world["children"][0])
    assert services.cancel_round(world["t5"], rnd, "De juf is ziek") == 1
    booking.refresh_from_db()
    assert booking.cancelled_at and booking.conversation.status == Status.CANCELLED
    assert Notification.objects.filter(user=guardian, key=f"conversation-cancelled:{booking.conversation_id}").exists()
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][1]), rnd.slots.last(), world["children"][1])
    assert "geannuleerd" in e.value.messages[0]


def test_cancelling_a_booking_frees_the_slot_and_tells_the_waiting_list(world):
    windows = [evening(7, end=evening(7)[0].time().replace(hour=18, minute=30))]
    rnd = _round(world, windows=windows)  # two slots for three pupils
    g = world["guardians"]
    c = world["children"]
    first = services.book_slot(Actor(g[0]), rnd.slots.all()[0], c[0])
    services.book_slot(Actor(g[1]), rnd.slots.all()[1], c[1])
    assert not services.free_slots(rnd).exists()
    services.join_waitlist(Actor(g[2]), rnd, c[2])
    services.cancel_booking(Actor(g[0]), first, "Ziek")
    assert services.free_slots(rnd).count() == 1
    assert Notification.objects.filter(user=g[2], key__startswith="planner-freed:").exists()
    booking = services.book_slot(Actor(g[2]), first.slot, c[2])
    assert booking.slot == first.slot  # the freed slot can be booked again
    assert rnd.waitlist.get(user=g[2]).resolved_at is not None


def test_waitlist_only_when_full(world):
    rnd = _round(world)
    with pytest.raises(ValidationError) as e:
        services.join_waitlist(Actor(world["guardians"][0]), rnd, world["children"][0])
    assert "vrije tijden" in e.value.messages[0]


def test_sibling_slots_are_offered_adjacent_first(world):
    g5_round = _round(world)
    g3_round = _round(world, group="g3", teacher="t3")
    parent, child, sibling = world["guardians"][0], world["children"][0], world["sibling"]
    booked = services.book_slot(Actor(parent), g5_round.slots.all()[3], child)
    choices = services.slot_choices(parent, sibling, g3_round)
    assert choices[0].next_to == child
    assert choices[0].slot.starts_at in (booked.slot.ends_at, booked.slot.starts_at - timedelta(minutes=15))
    second = services.book_adjacent(Actor(parent), sibling, g3_round)
    assert second.slot.starts_at == booked.slot.ends_at or second.slot.ends_at == booked.slot.starts_at


def test_separated_guardians_together_or_separately(world):
    rnd = _round(world)
    child, mother = world["children"][0], world["guardians"][0]
    father = GuardianshipFactory(child=child, relation="father").user
    # Separately: each books an own slot and gets an own conversation.
    a = services.book_slot(Actor(mother), rnd.slots.all()[0], child, together=False)
    b = services.book_slot(Actor(father), rnd.slots.all()[5], child, together=False)
    assert a.conversation_id != b.conversation_id
    assert not a.conversation.participants.filter(user=father).exists()
    services.cancel_booking(Actor(mother), a)
    services.cancel_booking(Actor(father), b)
    # Together: one booking, both invited; the other parent cannot book a second one.
    joint = services.book_slot(Actor(mother), rnd.slots.all()[1], child, together=True)
    assert joint.conversation.participants.filter(user=father, kind=Participant.Kind.GUARDIAN).exists()
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(father), rnd.slots.all()[2], child)
    assert "gezamenlijk gesprek" in e.value.messages[0]


def test_same_guardian_cannot_book_twice_for_one_child(world):
    rnd = _round(world)
    services.book_slot(Actor(world["guardians"][0]), rnd.slots.all()[0], world["children"][0])
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][0]), rnd.slots.all()[1], world["children"][0])
    assert "al een gesprek" in e.value.messages[0]


def test_nudge_reaches_only_guardians_without_booking_once_a_day(world):
    rnd = _round(world)
    g = world["guardians"]
    services.book_slot(Actor(g[0]), rnd.slots.first(), world["children"][0])
    assert services.nudge(world["t5"], rnd) == 2
    assert services.nudge(world["t5"], rnd) == 0  # idempotent per day
    assert not Notification.objects.filter(user=g[0], key__startswith="planner-nudge").exists()
    rows = services.overview(world["t5"], rnd)
    assert {r.child.pk for r in rows if not r.bookings} == {world["children"][1].pk, world["children"][2].pk}


def test_reminders_day_before_are_sent_once(world):
    rnd = _round(world, windows=[evening(1)])
    booking = services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    sent = services.send_reminders()
    assert sent >= 2  # guardian and teacher
    assert services.send_reminders() == 0
    assert Notification.objects.filter(
        user=world["guardians"][0],
        key=f"planner-reminder:{booking.pk}:{(timezone.localdate() + timedelta(days=1)).isoformat()}",
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_give_exactly_one_booking(world):
    """Two guardians click the same slot at the same moment: one wins, the other gets a Dutch message."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL (CI runs the suite there too)")
    rnd = _round(world)
    slot = rnd.slots.first()
    people = list(zip(world["guardians"], world["children"], strict=True))
    barrier = threading.Barrier(len(people))
    results = []

    def attempt(guardian, child):
        from django.db import connections

        try:
            barrier.wait()
            services.book_slot(Actor(guardian), Slot.objects.get(pk=slot.pk), child)
            results.append("ok")
        except ValidationError as e:
            results.append(e.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert all("iemand anders" in r for r in results if r != "ok")
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1
    assert Conversation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_guardians_of_one_child_booking_together_at_once_give_one_joint_booking(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL (CI runs the suite there too)")
    rnd = _round(world)
    child, mother = world["children"][0], world["guardians"][0]
    father = GuardianshipFactory(child=child, relation="father").user
    slots = list(rnd.slots.all()[:2])
    barrier = threading.Barrier(2)
    results = []

    def attempt(guardian, slot):
        from django.db import connections

        try:
            barrier.wait()
            services.book_slot(Actor(guardian), Slot.objects.get(pk=slot.pk), child, together=True)
            results.append("ok")
        except ValidationError as e:
            results.append(e.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=a) for a in ((mother, slots[0]), (father, slots[1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert Booking.objects.filter(child=child, cancelled_at__isnull=True).count() == 1


def test_teacher_removes_a_booked_slot_family_is_told_and_nothing_is_lost(world):
    rnd = _round(world)
    guardian = world["guardians"][0]
    booking = services.book_slot(Actor(guardian), rnd.slots.first(), world["children"][0])
    with pytest.raises(ValidationError):
        services.remove_slot(world["t3"], booking.slot)  # another class's teacher
    services.remove_slot(world["t5"], booking.slot)
    booking.refresh_from_db()
    assert booking.cancelled_at and booking.conversation.status == Status.CANCELLED
    assert Notification.objects.filter(user=guardian, key=f"conversation-cancelled:{booking.conversation_id}").exists()
    assert Slot.objects.filter(pk=booking.slot_id).exists()
    with pytest.raises(ValidationError) as e:
        services.book_slot(Actor(world["guardians"][1]), booking.slot, world["children"][1])
    assert "geschrapt" in e.value.messages[0]
    assert booking.slot not in list(services.free_slots(rnd))


def test_a_booked_start_conversation_is_not_moved_outside_the_planner(world):
    rnd = _round(world)
    booking = services.book_slot(Actor(world["guardians"][0]), rnd.slots.first(), world["children"][0])
    from apps.conversations import services as conversations

    with pytest.raises(ValidationError) as e:
        conversations.reschedule(
            Actor(world["t5"]), booking.conversation, starts_at=timezone.now() + timedelta(days=20), minutes=15,
            place="Elders",
        )  # fmt: skip
    assert "geboekte tijd" in e.value.messages[0]
