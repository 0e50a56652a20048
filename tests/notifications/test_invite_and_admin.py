"""REL-10 for invites, and the outbox in the admin: status visible, content not, retry only by a superuser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Invite
from apps.notifications.models import OutgoingMail
from apps.notifications.services import retry_outgoing_mail
from apps.organisations.models import Role
from tests.factories import ChildFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_invite_during_an_outage_is_saved_and_mailed_later(smtp, mailoutbox, django_capture_on_commit_callbacks):
    child = ChildFactory()
    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        inv, link = account_services.invite(
            by=staff(Role.SCHOOL_ADMIN, school=child.school), email="nieuw@example.org", children=[child]
        )
    assert Invite.objects.filter(pk=inv.pk).exists() and not mailoutbox
    assert OutgoingMail.objects.get(to=["nieuw@example.org"]).status == OutgoingMail.Status.QUEUED
    smtp.down = False
    assert retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6)) == 1
    assert len(mailoutbox) == 1 and link in mailoutbox[0].body
    assert link not in OutgoingMail.objects.get().body  # the single-use link is not kept once sent


@pytest.fixture
def failed_mail():
    return OutgoingMail.objects.create(
        to=["ouder@example.org"], subject="Geheim onderwerp", body="Geheime inhoud", status="failed", attempts=8
    )


def test_superuser_sees_the_outbox_without_content_and_can_retry(client, settings, failed_mail):
    settings.DEMO_SKIP_TWO_FACTOR = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True, is_demo=True))
    page = client.get("/beheer/notifications/outgoingmail/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mislukt" in html and "Geheim" not in html
    detail = client.get(f"/beheer/notifications/outgoingmail/{failed_mail.pk}/change/").content.decode()
    assert "Geheim" not in detail and "ouder@example.org" not in detail
    client.post("/beheer/notifications/outgoingmail/", {"action": "retry_now", "_selected_action": [failed_mail.pk]})
    failed_mail.refresh_from_db()
    assert (failed_mail.status, failed_mail.attempts) == (OutgoingMail.Status.QUEUED, 0)


def test_staff_without_rights_cannot_see_the_outbox(client, settings, failed_mail):
    settings.DEMO_SKIP_TWO_FACTOR = True
    client.force_login(UserFactory(is_staff=True, is_demo=True))
    assert client.get("/beheer/notifications/outgoingmail/").status_code == 403
    client.post("/beheer/notifications/outgoingmail/", {"action": "retry_now", "_selected_action": [failed_mail.pk]})
    failed_mail.refresh_from_db()
    assert failed_mail.status == OutgoingMail.Status.FAILED
