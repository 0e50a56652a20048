"""The e-mail outbox: a mail outage keeps the action, queues the e-mail and retries it until it goes out
or is given up; a retry run never sends one e-mail twice (REL-10, REL-08)."""

import logging
import threading
import time
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.core.scheduler import periodic_tasks
from apps.notifications.models import Notification, OutgoingMail
from apps.notifications.services import MAX_ATTEMPTS, backoff, notify, purge_outgoing_mail, retry_outgoing_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUED, SENT, FAILED = OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED


def _notify_during_outage(smtp, capture, user=None, **kwargs):
    smtp.down = True
    user = user or UserFactory()
    with capture(execute=True):
        note = notify(user, "k:outage", "Nieuwe afspraak", "/plan/", email_subject="Driehoek: afspraak", **kwargs)
    smtp.down = False
    return user, note


def test_backoff_schedule_grows_and_then_stays_daily():
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, MAX_ATTEMPTS + 2)]
    assert minutes == [5, 15, 60, 240, 720, 1440, 1440, 1440, 1440]
    assert MAX_ATTEMPTS == 8


def test_outage_keeps_the_notification_and_queues_the_mail(smtp, mailoutbox, django_capture_on_commit_callbacks):
    before = timezone.now()
    user, note = _notify_during_outage(smtp, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(pk=note.pk).exists() and not mailoutbox
    row = OutgoingMail.objects.get(notification=note)
    assert (row.status, row.attempts, row.to, row.last_error) == (QUEUED, 1, [user.email], "ConnectionRefusedError")
    assert before + timedelta(minutes=5) <= row.next_attempt_at <= timezone.now() + timedelta(minutes=5)
    note.refresh_from_db()
    assert note.emailed_at is None


def test_retry_sends_once_the_server_is_back_and_marks_the_notification(
    smtp, mailoutbox, django_capture_on_commit_callbacks
):
    user, note = _notify_during_outage(smtp, django_capture_on_commit_callbacks)
    assert retry_outgoing_mail() == 0  # the first wait (5 minutes) is not over
    later = timezone.now() + timedelta(minutes=6)
    assert retry_outgoing_mail(now=later) == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [user.email]
    assert mailoutbox[0].subject == "Driehoek: afspraak" and "/plan/" in mailoutbox[0].body
    note.refresh_from_db()
    assert note.emailed_at is not None
    row = OutgoingMail.objects.get(notification=note)
    assert (row.status, row.attempts, row.body) == (SENT, 2, "")  # the outbox keeps no copy of what went out
    assert row.sent_at is not None
    assert retry_outgoing_mail(now=later + timedelta(days=3)) == 0  # a second run sends nothing twice
    assert len(mailoutbox) == 1


def test_management_command_and_scheduler_run_the_retry(smtp, mailoutbox, django_capture_on_commit_callbacks):
    assert "apps.notifications.tasks.retry_outgoing_mail_task" in [t.path for t in periodic_tasks()]
    _notify_during_outage(smtp, django_capture_on_commit_callbacks)
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("retry_outgoing_mail")
    call_command("run_scheduler", "--once")
    assert len(mailoutbox) == 1


def test_a_run_started_while_another_is_sending_sends_nothing_twice(
    smtp, mailoutbox, django_capture_on_commit_callbacks
):
    users = [_notify_during_outage(smtp, django_capture_on_commit_callbacks)[0] for _ in range(3)]
    later = timezone.now() + timedelta(minutes=6)
    second_run = []
    smtp.during_send = lambda: second_run.append(retry_outgoing_mail(now=later))
    assert retry_outgoing_mail(now=later) == 3
    assert second_run == [0]  # every due row was claimed by the first run
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)
    assert retry_outgoing_mail(now=later) == 0 and len(mailoutbox) == 3


def test_given_up_after_max_attempts_and_logged_as_error_without_content(
    smtp, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    secret = "Persoonlijke inhoud die nooit in een log hoort"
    _user, note = _notify_during_outage(smtp, django_capture_on_commit_callbacks, email_body=secret)
    row = OutgoingMail.objects.get(notification=note)
    smtp.down = True
    waits = []
    while row.status == QUEUED:
        now = row.next_attempt_at
        retry_outgoing_mail(now=now)
        row.refresh_from_db()
        if row.status == QUEUED:
            waits.append(row.next_attempt_at - now)
    assert row.status == FAILED and row.attempts == MAX_ATTEMPTS
    assert waits == [backoff(n) for n in range(2, MAX_ATTEMPTS)]  # 15 min, 1 h, 4 h, 12 h, 24 h, 24 h
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "driehoek.mail"]
    assert len(given_up) == 1 and given_up[0].outgoing_mail_id == row.pk
    assert given_up[0].notification_id == note.pk and given_up[0].error == "ConnectionRefusedError"
    assert not any(secret in r.getMessage() or secret in str(r.__dict__) for r in caplog.records)
    smtp.down = False
    assert retry_outgoing_mail(now=row.next_attempt_at + timedelta(days=30)) == 0  # given up means given up
    assert not mailoutbox
    note.refresh_from_db()
    assert note.emailed_at is None


def test_an_outage_costs_one_attempt_per_run_not_one_per_mail(smtp, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(4):
        _notify_during_outage(smtp, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(minutes=6)
    smtp.down, smtp.calls = True, 0
    assert retry_outgoing_mail(now=later) == 0
    assert smtp.calls == 1
    assert sorted(OutgoingMail.objects.values_list("attempts", flat=True)) == [1, 1, 1, 2]
    smtp.down = False
    assert retry_outgoing_mail(now=later) == 3  # the untried ones are due at once
    assert retry_outgoing_mail(now=later + timedelta(minutes=16)) == 1
    assert len(mailoutbox) == 4 and not OutgoingMail.objects.exclude(status=SENT).exists()


def test_attachments_survive_the_queue(smtp, mailoutbox, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Gesprek met Noor\r\nEND:VCALENDAR\r\n"
    pdf = b"%PDF-1.4\n\xff\xfe binary\n%%EOF\n"
    attachments = [("gesprek.ics", ics, "text/calendar"), ("verslag.pdf", pdf, "application/pdf")]
    _notify_during_outage(smtp, django_capture_on_commit_callbacks, attachments=attachments)
    assert retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6)) == 1
    assert [tuple(a) for a in mailoutbox[0].attachments] == attachments
    assert OutgoingMail.objects.get().attachments == []  # not kept once sent


class SlowSMTP(LocmemBackend):
    """Takes a moment per e-mail, so two runs really overlap."""

    def send_messages(self, messages):
        time.sleep(0.002)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_every_mail_exactly_once(settings, mailoutbox):
    now = timezone.now()
    OutgoingMail.objects.bulk_create(
        OutgoingMail(to=[f"ouder{n}@example.org"], subject="Studiedag", body="Vrij", next_attempt_at=now)
        for n in range(30)
    )
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.SlowSMTP"
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(retry_outgoing_mail(now=now, batch=7))
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # SQLite's shared in-memory test database refuses a second writer instead of waiting (a file database
    # waits); a run that hits that stops. PostgreSQL must never refuse, and both runs together send all.
    assert not errors or connection.vendor == "sqlite", errors
    sent = [m.to[0] for m in mailoutbox]
    assert len(sent) == len(set(sent))  # no e-mail twice
    if not errors:
        assert sum(results) == 30 and len(sent) == 30
        assert OutgoingMail.objects.filter(status=SENT).count() == 30


def test_old_sent_and_given_up_rows_are_purged_but_queued_ones_never():
    old = timezone.now() - timedelta(days=31)
    for status in (SENT, FAILED, QUEUED):
        OutgoingMail.objects.create(to=["a@example.org"], subject="x", status=status, created_at=old)
    recent = OutgoingMail.objects.create(to=["a@example.org"], subject="x", status=SENT)
    assert purge_outgoing_mail() == 2
    assert sorted(OutgoingMail.objects.values_list("status", flat=True)) == [QUEUED, SENT]
    assert OutgoingMail.objects.filter(pk=recent.pk).exists()
    assert purge_outgoing_mail() == 0
