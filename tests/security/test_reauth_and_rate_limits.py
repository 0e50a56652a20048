"""SEC-10: re-authentication before exporting a file, changing the e-mail address or ending other sessions
(the last in test_user_sessions.py); SEC-38: per-user limits on exports and searches, with a Dutch 429."""

import logging
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, reauthenticated, staff

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def ib_and_child():
    child = ChildFactory()
    ib = staff(Role.IB, school=child.school)
    Authenticator.objects.create(user=ib, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return ib, child


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _events(caplog, event):
    return [r for r in caplog.records if getattr(r, "event", None) == event]


# --- SEC-10 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("export", ["timeline:pdf", "plans:pdf"])
def test_exporting_a_file_asks_for_the_password_again(ib_and_child, export):
    from django.urls import reverse

    ib, child = ib_and_child
    client = _client(ib)
    url = reverse(export, args=[child.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    reauthenticated(client)
    assert client.get(url)["Content-Type"] == "application/pdf"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert client.get(url)["Location"].startswith("/accounts/reauthenticate/")  # five minutes, then again


def test_a_wrong_password_does_not_open_the_export(ib_and_child):
    ib, child = ib_and_child
    client = _client(ib)
    client.post("/accounts/reauthenticate/", {"password": "niet-het-wachtwoord"})
    assert client.get(f"/tijdlijn/kind/{child.pk}/pdf/").status_code == 302


def test_changing_the_email_address_asks_for_the_password_again():
    parent = GuardianshipFactory().user
    client = _client(parent)
    assert client.get("/accounts/email/").status_code == 200  # looking needs no password
    response = client.post("/accounts/email/", {"action_add": "", "email": "nieuw.adres@example.org"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="nieuw.adres@example.org").exists()
    reauthenticated(client)
    client.post("/accounts/email/", {"action_add": "", "email": "nieuw.adres@example.org"})
    assert EmailAddress.objects.filter(user=parent, email="nieuw.adres@example.org").exists()


# --- SEC-38 ---------------------------------------------------------------------------------------------------------


def test_the_default_limits_are_ten_exports_and_three_hundred_searches_an_hour(settings):
    limits = settings.DRIEHOEK_RATE_LIMITS
    assert (limits["export"], limits["search"]) == ("10/1h/user", "300/1h/user")


def test_exports_past_the_limit_get_a_dutch_429_and_are_logged(ib_and_child, settings, caplog):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "export": "2/1h/user"}
    ib, child = ib_and_child
    client = reauthenticated(_client(ib))
    url = f"/tijdlijn/kind/{child.pk}/pdf/"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    caplog.set_level(logging.INFO)
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "erg veel bestanden" in refused.content.decode() and "60 minuten" in refused.content.decode()
    [event] = _events(caplog, "rate_limited")
    assert event.user_id == ib.pk and event.action == "export"
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        client = reauthenticated(_client(ib))
        assert client.get(url).status_code == 200  # an hour later the count starts afresh


def test_one_users_limit_does_not_touch_another(ib_and_child, settings):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "search": "2/1h/user"}
    ib, child = ib_and_child
    client = _client(ib)
    assert [client.get("/", {"q": "a"}).status_code for _ in range(3)] == [200, 200, 429]
    colleague = staff(Role.IB, school=child.school)
    Authenticator.objects.create(user=colleague, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert _client(colleague).get("/", {"q": "a"}).status_code == 200


def test_only_searches_count_not_opening_the_page(ib_and_child, settings):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "search": "2/1h/user"}
    ib, _ = ib_and_child
    client = _client(ib)
    assert [client.get("/").status_code for _ in range(5)] == [200] * 5
    assert [client.get("/", {"q": "Jan"}).status_code for _ in range(3)] == [200, 200, 429]
    assert "erg veel zoekopdrachten" in client.get("/", {"q": "Jan"}).content.decode()


def test_the_inbox_search_is_limited_too_and_answers_json_when_asked(settings):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "search": "1/1h/user"}
    client = _client(GuardianshipFactory().user)
    assert client.get("/berichten/", {"q": "rapport"}).status_code == 200
    refused = client.get("/berichten/", {"q": "rapport"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429 and "zoekopdrachten" in refused.json()["detail"]
