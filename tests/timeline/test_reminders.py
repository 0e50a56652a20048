"""Reminders: owner before the date, coordinator when overdue; running twice sends nothing twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.notifications.models import Notification
from apps.plans.models import Agreement, AgreementStatus
from apps.plans.reminders import send_plan_reminders
from apps.plans.services import add_agreement, set_agreement_status
from apps.plans.tasks import send_plan_reminders_task

from .conftest import web

pytestmark = pytest.mark.django_db


def make(circle, days, owner=None):
    return add_agreement(
        web(circle.ib),
        circle.child,
        what="Lezen",
        owner=owner or circle.mother,
        due=timezone.localdate() + timedelta(days=days),
    )


def test_owner_is_reminded_once_before_the_date(circle, mailoutbox, django_capture_on_commit_callbacks):
    a = make(circle, 2)
    make(circle, 10)  # too far ahead
    with django_capture_on_commit_callbacks(execute=True):
        first = send_plan_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_plan_reminders()
    assert first.due_soon == 1 and second.due_soon == 0
    note = Notification.objects.get(user=circle.mother, key__startswith="agreement-due:")
    assert note.key == f"agreement-due:{a.pk}:{a.due.isoformat()}" and "Lezen" in note.text
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [circle.mother.email]
    assert "Lezen" not in mailoutbox[0].body  # details stay behind the log-in
    assert AccessLogEntry.objects.filter(actor_id=circle.mother.pk, channel="job", allowed=True).count() == 1


def test_coordinator_hears_when_agreement_passes_undone(circle):
    a = make(circle, 0)
    Agreement.objects.filter(pk=a.pk).update(due=timezone.localdate() - timedelta(days=1))
    done = make(circle, 0)
    Agreement.objects.filter(pk=done.pk).update(due=timezone.localdate() - timedelta(days=1))
    set_agreement_status(web(circle.mother), done, AgreementStatus.DONE)
    assert send_plan_reminders().overdue == 1
    assert send_plan_reminders().overdue == 0
    note = Notification.objects.get(user=circle.ib, key__startswith="agreement-overdue:")
    assert note.key.startswith(f"agreement-overdue:{a.pk}:")


def test_owner_without_access_gets_no_reminder(circle):
    make(circle, 1, owner=circle.worker)
    from apps.consent import services as consent_services

    consent_services.revoke(circle.consent, circle.mother)
    send_plan_reminders()
    assert not Notification.objects.filter(user=circle.worker, key__startswith="agreement-due:").exists()


def test_command_and_task_are_idempotent(circle, capsys):
    make(circle, 1)
    call_command("send_plan_reminders")
    call_command("send_plan_reminders")
    send_plan_reminders_task.enqueue()
    assert Notification.objects.filter(user=circle.mother, key__startswith="agreement-due:").count() == 1
    assert "due_soon=1" in capsys.readouterr().out


def test_coordinator_is_reminded_once_to_evaluate_a_goal(circle):
    from apps.plans.services import add_goal, change_goal

    goal = add_goal(web(circle.ib), circle.child, text="Lezen", evaluate_on=timezone.localdate() + timedelta(days=2))
    add_goal(web(circle.ib), circle.child, text="Later", evaluate_on=timezone.localdate() + timedelta(days=40))
    assert send_plan_reminders().evaluations == 1
    assert send_plan_reminders().evaluations == 0
    assert Notification.objects.get(user=circle.ib, key__startswith="goal-evaluate:").text.startswith("Evalueren")
    # An evaluated goal needs no reminder, also not after moving the date.
    change_goal(
        web(circle.ib), goal, text="Lezen", evaluate_on=timezone.localdate() + timedelta(days=1),
        evaluation="Gehaald", expected_version=1,
    )  # fmt: skip
    assert send_plan_reminders().evaluations == 0


def test_an_english_speaking_owner_reads_the_reminder_and_its_mail_in_english(circle):
    """Issue 13: kept as a message key, the date formatted in the reader's locale; the e-mail in English."""
    from django.utils import formats, translation

    from apps.notifications.models import OutgoingMail

    circle.mother.language = "en"
    circle.mother.save(update_fields=["language"])
    a = make(circle, 2)
    send_plan_reminders()
    note = Notification.objects.get(user=circle.mother, key__startswith="agreement-due:")
    with translation.override("en"):
        day = formats.date_format(a.due, "DATE_FORMAT")
        assert note.display_text == f"Reminder: “Lezen” for {circle.child.first_name}, by {day}."
    assert note.text.startswith("Herinnering: “Lezen”")
    mail = OutgoingMail.objects.get(notification=note)
    assert mail.subject == "Reminder: an agreement in the plan" and "Driehoek" in mail.body
    assert "Bekijk" not in mail.body
