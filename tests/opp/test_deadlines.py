"""Deadlines: 6 weeks to set the OPP, the yearly evaluation, reminders to the IB'er, the attention panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.models import Notification
from apps.plans import attention
from apps.plans.opp import services as opp
from apps.plans.opp_models import HandelingsdeelVersion, Opp
from apps.plans.reminders import send_plan_reminders

from .conftest import act

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def texts(items):
    return {i.text: i.count for i in items if i.count}


def test_a_late_opp_shows_in_the_ibs_attention_panel_and_not_elsewhere(family, drafted):
    o, _v = drafted
    assert not any("vastgesteld" in t for t in texts(attention.items(fresh(family["ib"]))))
    Opp.objects.filter(pk=o.pk).update(needed_since=timezone.localdate() - timedelta(weeks=7))
    items = attention.items(fresh(family["ib"]))
    late = [i for i in items if "niet op tijd vastgesteld" in i.text]
    assert late and late[0].count == 1 and late[0].tone == "late" and late[0].url.endswith("/opp/")
    assert not any("niet op tijd" in i.text for i in attention.items(fresh(family["teacher"])))


def test_the_parents_see_what_waits_for_their_consent(family, drafted):
    _o, version = drafted
    waiting = [i for i in attention.items(fresh(family["mother"])) if "instemming" in i.text]
    assert waiting and waiting[0].count == 1
    opp.answer_version(act(family["mother"]), version, answer="consent")
    assert not [i for i in attention.items(fresh(family["mother"])) if "instemming" in i.text]
    assert not [i for i in attention.items(fresh(family["father"])) if "instemming" in i.text]  # no gezag


def test_reminders_to_the_ib_before_and_after_the_six_weeks(family, drafted):
    o, _v = drafted
    due = timezone.localdate() - timedelta(days=10) + timedelta(weeks=6)
    assert send_plan_reminders(today=due - timedelta(days=8)).opps == 0
    assert send_plan_reminders(today=due - timedelta(days=3)).opps == 1
    assert send_plan_reminders(today=due - timedelta(days=2)).opps == 0  # once
    assert send_plan_reminders(today=due + timedelta(days=1)).opps == 1
    keys = set(Notification.objects.filter(user=family["ib"]).values_list("key", flat=True))
    assert {f"opp-due:{o.pk}:{due.isoformat()}", f"opp-late:{o.pk}:{due.isoformat()}"} <= keys


def test_the_yearly_evaluation_is_asked_for_a_month_ahead(family, drafted):
    o, version = drafted
    for parent in ("mother", "other"):
        opp.answer_version(act(family[parent]), version, answer="consent")
    established = HandelingsdeelVersion.objects.get(pk=version.pk).established_at.date()
    assert send_plan_reminders(today=established + timedelta(days=300)).opps == 0
    assert send_plan_reminders(today=established + timedelta(days=340)).opps == 1
    assert Notification.objects.filter(user=family["ib"], key__startswith="opp-evaluate:").exists()


def test_bron_dates_and_the_end_before_the_start(family, drafted):
    from django.core.exceptions import ValidationError

    o, _v = drafted
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        opp.set_bron_dates(act(family["ib"]), o, started_on=today, ended_on=today - timedelta(days=1))
    opp.set_bron_dates(act(family["ib"]), o, started_on=today, ended_on=today + timedelta(days=300))
    o.refresh_from_db()
    assert o.started_on == today
