"""SEC-01/SEC-06 (issue 16 item 8): a professional sets up TOTP only through a one-time link from their own
mailbox, so a stolen password alone can never enrol the thief's authenticator app."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.utils import timezone

from apps.accounts.models import TwoFactorEnrolment
from apps.organisations.models import Role
from tests.factories import ChildFactory, staff

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
ENROL = "/accounts/2fa/inschrijven/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def teacher():
    child = ChildFactory()
    return staff(Role.TEACHER, school=child.school, groups=[child.group])


def _log_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _request_link(client, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ENROL)
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/]+(/accounts/2fa/inschrijven/[^/\s]+/)", body).group(1)


def _current_code(client) -> str:
    secret = client.session[SECRET_SESSION_KEY]
    counter = int(timezone.now().timestamp()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def test_a_password_alone_does_not_open_the_totp_set_up(teacher, caplog):
    client = _log_in(teacher)
    assert client.get("/").url == ENROL  # where a professional without TOTP is sent
    response = client.get(ACTIVATE)
    assert response.status_code == 302 and response.url == ENROL
    caplog.set_level(logging.INFO)
    response = client.post(ACTIVATE, {"code": "123456"})
    assert response.status_code == 403
    assert not Authenticator.objects.filter(user=teacher).exists()
    assert any(getattr(r, "event", None) == "mfa_setup_refused" for r in caplog.records)


def test_the_link_from_the_mailbox_opens_the_set_up_once(teacher, django_capture_on_commit_callbacks):
    client = _log_in(teacher)
    link = _request_link(client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [teacher.email]
    assert client.get(link).status_code == 200  # a GET (a mail scanner, say) uses nothing up
    assert client.get(ACTIVATE).status_code == 302
    response = client.post(link)
    assert response.status_code == 302 and response.url == ACTIVATE
    assert client.get(ACTIVATE).url.startswith("/accounts/reauthenticate/")  # allauth asks the password again
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200  # allauth's set-up page, with a fresh secret
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": _current_code(client)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=teacher, type=Authenticator.Type.TOTP).exists()
    assert client.post(link).status_code == 410  # single use


def test_an_expired_link_is_refused(teacher, django_capture_on_commit_callbacks):
    client = _log_in(teacher)
    link = _request_link(client, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.force_login(teacher)  # the session itself would have timed out by then
        response = client.post(link)
        assert response.status_code == 410 and "verlopen" in response.content.decode()
        assert client.get(ACTIVATE).url == ENROL


def test_the_grant_to_set_up_ends_after_fifteen_minutes(teacher, django_capture_on_commit_callbacks):
    client = _log_in(teacher)
    client.post(_request_link(client, django_capture_on_commit_callbacks))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert client.get(ACTIVATE).url == ENROL


def test_someone_elses_link_is_refused_and_logged(teacher, django_capture_on_commit_callbacks, caplog):
    link = _request_link(_log_in(teacher), django_capture_on_commit_callbacks)
    thief = staff(Role.TEACHER, school=ChildFactory().school)
    client = _log_in(thief)
    caplog.set_level(logging.INFO)
    assert client.post(link).status_code == 403
    assert client.get(ACTIVATE).url == ENROL
    assert any(getattr(r, "event", None) == "enrolment_link_refused" for r in caplog.records)
    assert TwoFactorEnrolment.objects.get(user=teacher).is_usable  # the owner can still use it


def test_opening_the_link_logged_out_asks_to_log_in_first(teacher, django_capture_on_commit_callbacks):
    link = _request_link(_log_in(teacher), django_capture_on_commit_callbacks)
    response = Client().get(link)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_new_link_replaces_the_old_one_and_the_button_cannot_flood_the_mailbox(
    teacher, django_capture_on_commit_callbacks
):
    client = _log_in(teacher)
    first = _request_link(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ENROL)  # within five minutes: nothing more is sent
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        client = _log_in(teacher)
        second = _request_link(client, django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 2 and second != first
        assert client.post(first).status_code == 410
        assert client.post(second).status_code == 302


def test_the_email_page_sits_behind_two_factor(teacher):
    client = _log_in(teacher)
    response = client.get("/accounts/email/")
    assert response.status_code == 302 and response.url == ENROL
