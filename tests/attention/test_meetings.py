from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import attention
from apps.meetings.models import ActionItem, Invitation, Meeting

from .conftest import at, by_tone, fresh, leave_school

pytestmark = pytest.mark.django_db


def meeting(world, deadline_days):
    return Meeting.objects.create(
        school=world["school"],
        title="Ouderavond",
        starts_at=at(14),
        rsvp_deadline=at(deadline_days),
        organiser=world["ib"],
    )


def test_invitation_without_answer_before_the_deadline(world):
    m = meeting(world, 5)
    Invitation.objects.create(meeting=m, user=world["mother"], kind=Invitation.Kind.GUARDIAN)
    closed = meeting(world, -1)
    Invitation.objects.create(meeting=closed, user=world["mother"], kind=Invitation.Kind.GUARDIAN)
    answered = meeting(world, 5)
    Invitation.objects.create(
        meeting=answered, user=world["mother"], kind=Invitation.Kind.GUARDIAN, reply=Invitation.Reply.YES
    )
    items = attention.items(fresh(world["mother"]))
    assert by_tone(items) == {"todo": 1}
    assert next(i for i in items if i.count).url == "/bijeenkomsten/"
    for person in ("ib", "stranger", "other_ib"):
        assert by_tone(attention.items(fresh(world[person]))) == {}


def test_stalled_action_waits_for_its_owner(world):
    old = timezone.now() - timedelta(weeks=7)
    ActionItem.objects.create(
        school=world["school"], title="Koffieochtend", owner=world["teacher"], last_activity_at=old
    )
    ActionItem.objects.create(school=world["school"], title="Recent", owner=world["teacher"])
    ActionItem.objects.create(
        school=world["school"], title="Klaar", owner=world["teacher"], last_activity_at=old, status="done"
    )
    items = attention.items(fresh(world["teacher"]))
    assert by_tone(items) == {"late": 1}
    assert next(i for i in items if i.count).url == f"/bijeenkomsten/school/{world['school'].pk}/acties/"
    assert by_tone(attention.items(fresh(world["ib"]))) == {}
    leave_school(world["teacher"])
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}
