"""Notifications: once per key, e-mailed after commit, and a mail outage loses nothing (REL-08, REL-10)."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_same_key_notifies_once_and_mails_once(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user, "k:1", "Nieuwe afspraak", "/plan/", email_subject="Driehoek: nieuwe afspraak")
        second = notify(user, "k:1", "Nieuwe afspraak", "/plan/", email_subject="Driehoek: nieuwe afspraak")
    assert first is not None and second is None
    assert len(mailoutbox) == 1
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_mail_outage_keeps_the_notification_and_logs(settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = "tests.foundation.test_notifications.BrokenBackend"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, "k:2", "Nieuw bericht", "/berichten/", email_subject="Driehoek: nieuw bericht")
    note.refresh_from_db()
    assert Notification.objects.filter(user=user, key="k:2").exists()
    assert note.emailed_at is None  # visible as not e-mailed; the in-app notice is there
    assert any("e-mail failed" in r.message for r in caplog.records)


def test_mail_outage_does_not_break_a_page(client, settings, django_capture_on_commit_callbacks):
    """A guardian gives consent while SMTP is down: the consent is saved and the page works."""
    from django.utils import timezone

    from apps.consent.models import Consent
    from tests.factories import CareOrganisationFactory, GuardianshipFactory

    settings.EMAIL_BACKEND = "tests.foundation.test_notifications.BrokenBackend"
    g = GuardianshipFactory()
    client.force_login(g.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kinderen/{g.child.pk}/toestemming/",
            {"organisation": CareOrganisationFactory().pk, "categories": ["basic"], "starts_on": timezone.localdate()},
        )
    assert response.status_code == 302
    assert Consent.objects.filter(child=g.child).exists()
