"""REL-10 for messaging: with the mail server down, digests and announcements are saved, their e-mails wait
in the outbox, and the retry job sends each exactly once when the server is back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.messaging import services
from apps.messaging.models import PendingNotice
from apps.notifications.models import Notification, OutgoingMail
from apps.notifications.services import retry_outgoing_mail
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(circle):
    other_group = GroupFactory(school=circle["school"], name="Groep Acht")
    other_parent = GuardianshipFactory(child=ChildFactory(group=other_group, school=circle["school"])).user
    return {**circle, "other_parent": other_parent}


def _publish(s):
    return services.publish_announcement(s["ib"], school=s["school"], title="Studiedag", body="Vrij")


def test_digest_during_an_outage_is_sent_by_the_retry(circle, smtp, mailoutbox, django_capture_on_commit_callbacks):
    c = circle
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Huiswerk", "Hallo allemaal")
    assert not mailoutbox
    assert not PendingNotice.objects.filter(user=c["mother"], emailed_at__isnull=True).exists()  # bundled
    row = OutgoingMail.objects.get(to=[c["mother"].email])
    assert row.status == OutgoingMail.Status.QUEUED and row.subject == "Nieuw bericht in Driehoek"
    smtp.down = False
    retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6))
    retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6))
    mails = [m for m in mailoutbox if c["mother"].email in m.to]
    assert len(mails) == 1 and "Hallo" not in mails[0].body


def test_announcement_during_an_outage_tries_once_and_loses_nothing(
    school, smtp, mailoutbox, django_capture_on_commit_callbacks
):
    s = school
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        a = _publish(s)
    key = f"announcement:{a.pk}"
    assert Notification.objects.filter(key=key).count() == 3  # everyone sees it in the app
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 3
    assert smtp.calls == 1  # one failed attempt, not one per guardian
    a.refresh_from_db()
    assert a.emails_queued == 3
    assert services.deliver_announcement(a.pk) == 0  # a re-run queues nothing twice
    assert OutgoingMail.objects.count() == 3
    smtp.down = False
    retry_outgoing_mail()  # the two never tried are due at once
    retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6))
    retry_outgoing_mail(now=timezone.now() + timedelta(hours=2))
    expected = sorted(u.email for u in (s["mother"], s["father"], s["other_parent"]))
    assert sorted(m.to[0] for m in mailoutbox) == expected
    assert not Notification.objects.filter(key=key, emailed_at__isnull=True).exists()


def test_announcement_goes_out_in_batches_over_one_connection(school, smtp, mailoutbox):
    a = _publish(school)  # delivery is enqueued on commit, which never comes here; run it by hand
    smtp.connections = 0
    assert services.deliver_announcement(a.pk, batch=2) == 3
    assert len(mailoutbox) == 3 and smtp.connections == 1
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 3


def test_server_going_away_mid_batch_sends_the_rest_later_and_nothing_twice(school, smtp, mailoutbox):
    a = _publish(school)
    smtp.fail_after = 1
    assert services.deliver_announcement(a.pk) == 3
    assert len(mailoutbox) == 1
    assert sorted(OutgoingMail.objects.values_list("status", "attempts")) == [("queued", 0), ("queued", 1), ("sent", 1)]
    smtp.fail_after = None
    retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6))
    assert len(mailoutbox) == 3 and len({m.to[0] for m in mailoutbox}) == 3
    assert retry_outgoing_mail(now=timezone.now() + timedelta(days=3)) == 0
