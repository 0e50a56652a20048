"""REL-11: times are stored in UTC and reasoned about in Europe/Amsterdam, also across the DST switches
(last Sunday of March: 02:00 → 03:00, a 23-hour day; last Sunday of October: 03:00 → 02:00, a 25-hour day)
and on birthdays (age turns at local midnight; 29 February)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.access.policy import visible_children
from apps.audit.log import Actor
from apps.conversations import services as conversation_services
from apps.conversations.services import feedback_overdue_before
from apps.core.schooldays import add_school_days
from apps.helpguide import rules as helpguide_rules
from apps.notifications.models import Notification
from apps.planner import services as planner_services
from tests.factories import ChildFactory, UserFactory
from tests.planner.factories import family_school

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
SPRING = date(2027, 3, 28)  # last Sunday of March 2027
AUTUMN = date(2027, 10, 31)  # last Sunday of October 2027


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def _plan_at(circle, starts_at):
    return conversation_services.plan_conversation(
        Actor(circle["teacher"]),
        circle["child"],
        kind="progress",
        purpose="Kennismaken",
        starts_at=starts_at,
        place="Lokaal 5",
        participants=[circle["mother"]],
    )


@pytest.mark.parametrize("dst_day", [SPRING, AUTUMN])
def test_day_before_reminder_covers_the_whole_local_dst_day(circle, dst_day):
    """A 23- or 25-hour day: conversations just after local midnight and late in the evening are both 'tomorrow'."""
    with time_machine.travel(local(dst_day - timedelta(days=7), 12), tick=False):
        early = _plan_at(circle, local(dst_day, 0, 30))
        late = _plan_at(circle, local(dst_day, 23, 30))
        _plan_at(circle, local(dst_day + timedelta(days=1), 0, 15))  # the day after: not yet
    conversation_services.send_reminders(today=dst_day - timedelta(days=1))
    reminded = set(
        Notification.objects.filter(user=circle["mother"], key__startswith="conversation-reminder:").values_list(
            "key", flat=True
        )
    )
    assert reminded == {f"conversation-reminder:{c.pk}:{dst_day.isoformat()}" for c in (early, late)}
    note = Notification.objects.get(user=circle["mother"], key=f"conversation-reminder:{late.pk}:{dst_day.isoformat()}")
    assert "23:30" in note.text  # shown in local time, not UTC


@pytest.mark.parametrize("dst_day", [SPRING, AUTUMN])
def test_planner_slots_and_reminders_on_a_dst_evening(settings, dst_day):
    settings.DEMO_SKIP_TWO_FACTOR = True
    w = family_school()
    with time_machine.travel(local(dst_day - timedelta(days=10), 12), tick=False):
        rnd = planner_services.open_round(
            w["t5"],
            w["g5"],
            purpose="Kennismaken",
            windows=[(local(dst_day, 19), local(dst_day, 20))],
            place="Lokaal 5",
            slot_minutes=15,
        )
        starts = [s.starts_at for s in rnd.slots.order_by("starts_at")]
        assert [s.astimezone(AMS).strftime("%H:%M") for s in starts] == ["19:00", "19:15", "19:30", "19:45"]
        offset = 2 if dst_day == SPRING else 1  # summer time after the March switch, winter time after October
        assert starts[0].astimezone(UTC).hour == 19 - offset
        last = rnd.slots.order_by("starts_at").last()
        planner_services.book_slot(Actor(w["guardians"][0]), last, w["children"][0])
    assert planner_services.send_reminders(today=dst_day - timedelta(days=1)) >= 1
    note = Notification.objects.filter(key__startswith="planner-reminder:").first()
    assert "19:45" in note.text


def test_help_question_deadline_keeps_the_local_time_across_the_spring_switch():
    asked = local(date(2027, 3, 26), 16)  # Friday, winter time
    due = helpguide_rules.add_school_days(asked, 2)
    assert due.astimezone(AMS) == local(date(2027, 3, 30), 16)  # Tuesday 16:00, now summer time
    assert due.astimezone(UTC).hour == 14


def test_school_days_and_feedback_deadline_across_the_autumn_switch():
    assert add_school_days(date(2027, 10, 29), 1) == date(2027, 11, 1)  # Friday → Monday, the Sunday is no school day
    boundary = feedback_overdue_before(date(2027, 11, 5))
    assert boundary.astimezone(AMS) == local(date(2027, 10, 29), 0)  # local midnight, in summer time


@pytest.mark.parametrize(
    "born, utc_moment",
    [
        (date(2014, 6, 15), datetime(2026, 6, 14, 22, 30, tzinfo=UTC)),  # 00:30 on the 12th birthday in Amsterdam
        (date(2012, 2, 29), datetime(2024, 2, 28, 23, 30, tzinfo=UTC)),  # 29 February, in a leap year
        (date(2013, 2, 28), datetime(2025, 2, 27, 23, 30, tzinfo=UTC)),  # winter: UTC+1
    ],
)
def test_a_child_turns_12_at_local_midnight_not_utc_midnight(born, utc_moment):
    """From 12 a child with an own account sees its own file; that starts at midnight in Amsterdam."""
    child = ChildFactory(date_of_birth=born, user=UserFactory())
    with time_machine.travel(utc_moment - timedelta(hours=1), tick=False):
        assert child not in visible_children(child.user)
    with time_machine.travel(utc_moment, tick=False):
        assert child in visible_children(child.user)
