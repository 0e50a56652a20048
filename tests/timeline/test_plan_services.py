"""The shared plan: agreements for anyone in the circle, status with reason, history, stale edits."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.plans.models import Agreement, AgreementStatus, PlanChange
from apps.plans.services import StaleEdit, add_agreement, add_goal, read_plan, set_agreement_status

from .conftest import web

pytestmark = pytest.mark.django_db


def soon(days=7):
    return timezone.localdate() + timedelta(days=days)


def test_ib_adds_agreement_for_guardian_and_history_is_recorded(circle):
    a = add_agreement(web(circle.ib), circle.child, what="Elke avond 10 minuten lezen", owner=circle.mother, due=soon())
    assert a.owner == circle.mother and a.status == AgreementStatus.OPEN and a.version == 1
    change = PlanChange.objects.get(agreement=a)
    assert change.by == circle.ib and "10 minuten lezen" in change.summary
    log = AccessLogEntry.objects.filter(actor_id=circle.ib.pk, action="create", allowed=True).latest("pk")
    assert log.category == "support"


@pytest.mark.parametrize("who", ["mother", "father", "ib", "worker"])
def test_owner_can_be_anyone_in_the_circle(circle, who):
    owner = getattr(circle, who)
    assert add_agreement(web(circle.ib), circle.child, what="x", owner=owner, due=soon()).owner == owner


def test_child_with_own_account_can_own_an_agreement(circle):
    from tests.factories import UserFactory

    circle.child.user = UserFactory()
    circle.child.save()
    a = add_agreement(
        web(circle.ib), circle.child, what="Zelf de agenda bijhouden", owner=circle.child.user, due=soon()
    )
    assert a.owner == circle.child.user


def test_agreement_without_owner_or_in_the_past_is_refused_in_dutch(circle):
    with pytest.raises(ValidationError) as err:
        add_agreement(
            web(circle.ib), circle.child, what="Lezen", owner=None, due=timezone.localdate() - timedelta(days=1)
        )
    messages = err.value.message_dict
    assert "Kies wie" in messages["owner"][0]
    assert "verleden" in messages["due"][0]
    assert not Agreement.objects.exists() and not PlanChange.objects.exists()


def test_owner_outside_the_circle_is_refused(circle):
    with pytest.raises(ValidationError) as err:
        add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.outsider, due=soon())
    assert "hoort niet bij de kring" in err.value.message_dict["owner"][0]


def test_empty_what_is_refused(circle):
    with pytest.raises(ValidationError) as err:
        add_agreement(web(circle.ib), circle.child, what="   ", owner=circle.mother, due=soon())
    assert "what" in err.value.message_dict


def test_today_is_allowed_as_due_date(circle):
    assert add_agreement(web(circle.ib), circle.child, what="x", owner=circle.mother, due=timezone.localdate())


def test_worker_without_consent_cannot_add_and_refusal_is_logged(circle):
    with pytest.raises(AccessDenied):
        add_agreement(web(circle.worker_no_consent), circle.child, what="x", owner=circle.mother, due=soon())
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False).exists()
    assert not Agreement.objects.exists()


def test_worker_with_support_consent_can_add(circle):
    assert add_agreement(
        web(circle.worker), circle.child, what="Gezinsgesprek plannen", owner=circle.worker, due=soon()
    )


def test_guardian_marks_done_and_history_shows_it(circle):
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon())
    set_agreement_status(web(circle.mother), a, AgreementStatus.DONE, expected_version=1)
    a.refresh_from_db()
    assert a.status == AgreementStatus.DONE and a.version == 2
    assert PlanChange.objects.filter(agreement=a, kind=PlanChange.Kind.AGREEMENT_STATUS, by=circle.mother).exists()


def test_dropping_needs_a_reason(circle):
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon())
    with pytest.raises(ValidationError) as err:
        set_agreement_status(web(circle.ib), a, AgreementStatus.DROPPED)
    assert "waarom" in err.value.message_dict["reason"][0]
    set_agreement_status(web(circle.ib), a, AgreementStatus.DROPPED, reason="Niet meer nodig")
    a.refresh_from_db()
    assert a.status == AgreementStatus.DROPPED and a.reason == "Niet meer nodig"


def test_stale_status_change_is_detected_not_overwritten(circle):
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon())
    stale_copy = Agreement.objects.get(pk=a.pk)
    set_agreement_status(web(circle.ib), a, AgreementStatus.NOT_DONE, expected_version=1)
    with pytest.raises(StaleEdit) as err:
        set_agreement_status(web(circle.mother), stale_copy, AgreementStatus.DONE, expected_version=1)
    assert err.value.current.status == AgreementStatus.NOT_DONE
    a.refresh_from_db()
    assert a.status == AgreementStatus.NOT_DONE


def test_guardian_without_authority_neither_reads_nor_changes_the_plan(circle):
    """BW 1:377c: the plan is support data; a parent without gezag gets it neither automatically nor on request."""
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon())
    with pytest.raises(AccessDenied):
        set_agreement_status(web(circle.father), a, AgreementStatus.DONE)
    with pytest.raises(AccessDenied):
        read_plan(web(circle.father), circle.child)


def test_everyone_sees_the_same_plan_and_changes_since_last_visit(circle):
    goal = add_goal(
        web(circle.ib), circle.child, text="Technisch lezen op AVI E4", child_words="Beter lezen", evaluate_on=soon(60)
    )
    add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon(), goal=goal)
    first = read_plan(web(circle.mother), circle.child)
    assert first.last_visit is None and first.changes_since == []
    second = read_plan(web(circle.worker), circle.child)
    assert [a.pk for a in first.agreements] == [a.pk for a in second.agreements]
    assert [g.pk for g in first.goals] == [g.pk for g in second.goals]
    add_agreement(web(circle.ib), circle.child, what="Logopedie aanvragen", owner=circle.ib, due=soon(3))
    again = read_plan(web(circle.mother), circle.child)
    assert [c.summary for c in again.changes_since] and "Logopedie" in again.changes_since[0].summary
    assert read_plan(web(circle.mother), circle.child).changes_since == []


def test_plan_read_is_refused_and_logged_for_outsider(circle):
    with pytest.raises(AccessDenied):
        read_plan(web(circle.worker_no_consent), circle.child)
    assert AccessLogEntry.objects.filter(
        actor_id=circle.worker_no_consent.pk, allowed=False, category="support"
    ).exists()


def test_html_in_text_is_stored_as_text(circle):
    a = add_agreement(web(circle.ib), circle.child, what="<script>alert(1)</script>", owner=circle.mother, due=soon())
    assert a.what == "<script>alert(1)</script>"


def test_owner_and_coordinator_get_in_app_notifications_once(circle):
    from apps.notifications.models import Notification

    a = add_agreement(web(circle.teacher), circle.child, what="Lezen", owner=circle.mother, due=soon())
    assert Notification.objects.filter(user=circle.mother, key=f"agreement-new:{a.pk}").count() == 1
    set_agreement_status(web(circle.mother), a, AgreementStatus.DONE, expected_version=1)
    note = Notification.objects.get(user=circle.ib, key__startswith="agreement-status:")
    assert "gedaan" in note.text
    # The coordinator changing it herself gets no notification about her own change.
    set_agreement_status(web(circle.ib), a, AgreementStatus.OPEN)
    assert Notification.objects.filter(user=circle.ib).count() == 1


@pytest.mark.parametrize(
    "who, can_read, can_write",
    [
        ("mother", True, True),
        ("father", False, False),  # without parental authority: nothing automatically (BW 1:377c)
        ("ib", True, True),
        ("teacher", True, True),
        ("worker", True, True),  # consent for "support & plan"
        ("worker_no_consent", False, False),
        ("outsider", False, False),
        ("school_admin", False, False),  # administration sees basic data only
    ],
)
def test_plan_access_matrix_and_every_refusal_is_logged(circle, who, can_read, can_write):
    from apps.organisations.models import Role
    from tests.factories import staff

    user = staff(Role.SCHOOL_ADMIN, school=circle.school) if who == "school_admin" else getattr(circle, who)
    if can_read:
        read_plan(web(user), circle.child)
    else:
        with pytest.raises(AccessDenied):
            read_plan(web(user), circle.child)
    if can_write:
        a = add_agreement(web(user), circle.child, what="x", owner=circle.mother, due=soon())
        set_agreement_status(web(user), a, AgreementStatus.DONE)
    else:
        with pytest.raises(AccessDenied):
            add_agreement(web(user), circle.child, what="x", owner=circle.mother, due=soon())
    refused = AccessLogEntry.objects.filter(actor_id=user.pk, allowed=False).count()
    assert refused == (0 if can_read else 1) + (0 if can_write else 1)


def test_saving_the_same_status_again_changes_nothing(circle):
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=soon())
    set_agreement_status(web(circle.mother), a, AgreementStatus.DONE, expected_version=1)
    set_agreement_status(web(circle.mother), a, AgreementStatus.DONE, expected_version=2)
    a.refresh_from_db()
    assert a.version == 2
    assert PlanChange.objects.filter(agreement=a, kind=PlanChange.Kind.AGREEMENT_STATUS).count() == 1
