from datetime import timedelta

import pytest
from django.utils import timezone

from apps.consent import services as consent_services
from apps.plans import attention
from apps.plans.models import Agreement, AgreementStatus

from .conftest import by_tone, fresh, leave_school

pytestmark = pytest.mark.django_db


def agreement(child, owner, days, status=AgreementStatus.OPEN):
    return Agreement.objects.create(
        child=child,
        what="Leesplan bespreken",
        owner=owner,
        due=timezone.localdate() + timedelta(days=days),
        status=status,
        created_by=owner,
    )


def test_owner_sees_overdue_and_due_this_week(world):
    t, c = world["teacher"], world["child"]
    agreement(c, t, -1)
    agreement(c, t, 0)
    agreement(c, t, 7)
    agreement(c, t, 8)  # later than a week: not yet
    agreement(c, t, -3, AgreementStatus.DONE)  # done: nothing waits
    items = attention.items(fresh(t))
    assert by_tone(items) == {"late": 1, "todo": 2}
    assert {i.url for i in items} == {"/plan/mijn-afspraken/"}
    assert "over de datum" in next(i.text for i in items if i.tone == "late")


def test_other_people_see_nothing(world):
    agreement(world["child"], world["teacher"], -1)
    for person in ("ib", "mother", "other_ib", "stranger"):
        assert by_tone(attention.items(fresh(world[person]))) == {}


def test_agreements_about_a_child_no_longer_visible_are_not_counted(world):
    agreement(world["child"], world["teacher"], -1)
    leave_school(world["teacher"])
    assert by_tone(attention.items(fresh(world["teacher"]))) == {}


def test_a_parent_sees_own_agreements(world):
    agreement(world["child"], world["mother"], 2)
    assert by_tone(attention.items(fresh(world["mother"]))) == {"todo": 1}


def test_outside_professional_counts_only_while_the_consent_lasts(world, youth_worker):
    worker, consent = youth_worker
    agreement(world["child"], worker, -1)
    assert by_tone(attention.items(fresh(worker))) == {"late": 1}
    consent_services.revoke(consent, world["mother"], "Niet meer nodig")
    assert by_tone(attention.items(fresh(worker))) == {}
