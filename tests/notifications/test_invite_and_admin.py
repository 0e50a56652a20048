"""REL-10 for invites, and the outbox in the admin: status visible, content not, retry only by a superuser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import Invite
from apps.audit.models import AccessLogEntry
from apps.notifications.models import OutgoingMail
from apps.notifications.services import retry_outgoing_mail
from apps.organisations.models import Role
from tests.factories import ChildFactory, SchoolFactory, UserFactory, staff

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


# --- the school sees whether the invite's e-mail went out --------------------------------------------------


def _invite_page(client, admin, child) -> str:
    client.force_login(admin)
    response = client.get(f"/kinderen/{child.pk}/uitnodigen/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_invite_page_tells_the_school_whether_the_mail_went_out(
    client, settings, smtp, django_capture_on_commit_callbacks
):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory(first_name="Noor")
    # A new guardian is added by the IB'er or the director (issue 16, defect 2).
    admin = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True))
    assert "Nog niemand uitgenodigd voor dit kind." in _invite_page(client, admin, child)

    smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kinderen/{child.pk}/uitnodigen/",
            {"email": "moeder@example.org", "kind": "guardian", "relation": "mother", "has_authority": "on"},
        )
    assert response.status_code == 302  # saved, even though the mail server is down
    inv = Invite.objects.get(email="moeder@example.org")
    assert inv.mail.status == OutgoingMail.Status.QUEUED
    html = _invite_page(client, admin, child)
    assert "moeder@example.org" in html and "we proberen het automatisch opnieuw" in html

    smtp.down = False
    retry_outgoing_mail(now=timezone.now() + timedelta(minutes=6))
    assert "e-mail verstuurd; de link is geldig tot" in _invite_page(client, admin, child)


def test_a_failed_an_expired_and_an_accepted_invite_each_say_so(client, settings, smtp):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory()
    admin = staff(Role.SCHOOL_ADMIN, school=child.school, user=UserFactory(is_demo=True))
    failed, _link = account_services.invite(by=admin, email="fout@example.org", children=[child])
    OutgoingMail.objects.filter(pk=failed.mail_id).update(status=OutgoingMail.Status.FAILED, attempts=8)
    expired, _link = account_services.invite(by=admin, email="laat@example.org", children=[child])
    Invite.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    accepted, link = account_services.invite(by=admin, email="blij@example.org", children=[child])
    account_services.accept_invite(link.rsplit("/", 2)[-2], full_name="Blije Ouder", password="een-lang-wachtwoord-9")

    states = {inv.email: state for inv, state in account_services.invites_for(child)}
    assert states["fout@example.org"] == (
        "failed",
        "de e-mail kon niet worden verstuurd; controleer het adres en nodig opnieuw uit",
    )
    assert states["laat@example.org"][0] == "expired"
    assert states["blij@example.org"][0] == "accepted" and states["blij@example.org"][1].startswith("geaccepteerd op")
    html = _invite_page(client, admin, child)
    assert "controleer het adres en nodig opnieuw uit" in html and "verlopen" in html


def test_only_who_manages_the_circle_sees_the_invites(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory()
    admin = staff(Role.SCHOOL_ADMIN, school=child.school, user=UserFactory(is_demo=True))
    account_services.invite(by=admin, email="moeder@example.org", children=[child])
    other_school = staff(Role.SCHOOL_ADMIN, school=SchoolFactory(), user=UserFactory(is_demo=True))
    client.force_login(other_school)
    response = client.get(f"/kinderen/{child.pk}/uitnodigen/")
    assert response.status_code == 403 and b"moeder@example.org" not in response.content
    assert AccessLogEntry.objects.filter(actor=other_school, child=child, allowed=False).exists()  # refusal logged
