"""SEC-09: users see where they are logged in and end sessions; SEC-28: the browser forgets data on log-out."""

import logging
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.utils import timezone

from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, staff

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
SESSIONS = "/accounts/sessions/"
PHONE = "Mozilla/5.0 (iPhone) Telefoon-van-mama"
LAPTOP = "Mozilla/5.0 (X11) Laptop-thuis"


def _logged_in(user, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _reauthenticated(client: Client) -> Client:
    """Ending sessions asks for the password again (SEC-10); the user just gave it."""
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def _logged_in_now(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def _events(caplog, event):
    return [r for r in caplog.records if r.name == "driehoek.security" and getattr(r, "event", None) == event]


@pytest.fixture
def mother():
    return GuardianshipFactory().user


def test_user_sees_both_sessions_and_ends_the_other_one(mother, caplog):
    laptop, phone = _logged_in(mother, LAPTOP), _logged_in(mother, PHONE)
    page = laptop.get(SESSIONS)
    assert page.status_code == 200
    html = page.content.decode()
    assert PHONE in html and LAPTOP in html and "Dit apparaat" in html
    phone_session = UserSession.objects.get(user=mother, user_agent=PHONE)

    caplog.set_level(logging.INFO)
    _reauthenticated(laptop)
    response = laptop.post(SESSIONS, {"session": phone_session.pk})
    assert response.status_code == 302 and response["Location"] == SESSIONS
    assert "1 sessie is beëindigd." in laptop.get(SESSIONS).content.decode()

    after = phone.get("/meldingen/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/login/")
    assert _logged_in_now(laptop)
    assert list(UserSession.objects.filter(user=mother).values_list("user_agent", flat=True)) == [LAPTOP]
    [event] = _events(caplog, "sessions_ended")
    assert event.user_id == mother.pk and event.count == 1


def test_log_out_everywhere_else_keeps_this_session(mother):
    laptop, phone, tablet = _logged_in(mother, LAPTOP), _logged_in(mother, PHONE), _logged_in(mother, "Tablet")
    assert _reauthenticated(laptop).post(SESSIONS, {}).status_code == 302
    assert not _logged_in_now(phone) and not _logged_in_now(tablet)
    assert _logged_in_now(laptop)


def test_ending_the_current_session_logs_out_and_clears_site_data(mother):
    laptop = _logged_in(mother, LAPTOP)
    own = UserSession.objects.get(user=mother)
    response = _reauthenticated(laptop).post(SESSIONS, {"session": own.pk})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not _logged_in_now(laptop)


def test_another_users_session_cannot_be_ended(mother, caplog):
    neighbour = GuardianshipFactory().user
    mine, theirs = _logged_in(mother, LAPTOP), _logged_in(neighbour, PHONE)
    their_session = UserSession.objects.get(user=neighbour)

    page = mine.get(SESSIONS).content.decode()
    assert PHONE not in page  # not even listed

    caplog.set_level(logging.INFO)
    response = _reauthenticated(mine).post(SESSIONS, {"session": their_session.pk})
    assert response.status_code == 200
    assert "Die sessie kon niet worden beëindigd." in response.content.decode()
    assert _logged_in_now(theirs)
    assert UserSession.objects.filter(pk=their_session.pk).exists()
    [refusal] = _events(caplog, "session_end_refused")
    assert refusal.user_id == mother.pk
    assert not _events(caplog, "sessions_ended")

    mine.post(SESSIONS, {})  # "everywhere else" means the user's own other sessions only
    assert _logged_in_now(theirs)


def test_anonymous_visitor_is_sent_to_log_in():
    client = Client()
    for method in (client.get, client.post):
        response = method(SESSIONS)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_professional_needs_two_factor_before_the_sessions_page(client):
    teacher = staff(Role.TEACHER, school=ChildFactory().school)
    client.force_login(teacher)
    response = client.get(SESSIONS)
    assert response.status_code == 302 and "/accounts/2fa/inschrijven/" in response["Location"]
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(SESSIONS).status_code == 200


def test_security_page_links_to_the_sessions_page(mother):
    laptop = _logged_in(mother, LAPTOP)
    assert f'href="{SESSIONS}"' in laptop.get("/accounts/2fa/").content.decode()
    assert 'href="/accounts/2fa/"' in laptop.get(SESSIONS).content.decode()


def test_activity_is_tracked_per_session(mother):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        laptop = _logged_in(mother, LAPTOP)
        clock.shift(timedelta(minutes=10))
        laptop.get("/", REMOTE_ADDR="10.1.2.3")
        session = UserSession.objects.get(user=mother)
        assert session.ip == "10.1.2.3"
        assert session.last_seen_at - session.created_at == timedelta(minutes=10)


# SEC-28: Clear-Site-Data when a session ends, never otherwise.


def test_logout_response_tells_the_browser_to_forget(mother):
    client = _logged_in(mother, LAPTOP)
    assert "Clear-Site-Data" not in client.get("/")
    assert "Clear-Site-Data" not in client.get("/accounts/logout/")  # the confirmation page does not log out
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.post("/accounts/logout/")  # nobody was logged in any more


def test_next_login_after_logout_passes_the_csrf_check(mother):
    """The header leaves cookies alone, so the log-in form's CSRF token keeps working."""
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/accounts/login/")
    token = login_page.context["csrf_token"]
    assert (
        client.post("/accounts/login/", {"login": mother.email, "password": PASSWORD, "csrfmiddlewaretoken": token})[
            "Location"
        ]
        == "/"
    )
    token = client.get("/").context["csrf_token"]
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).has_header("Clear-Site-Data")
    token = client.get("/accounts/login/").context["csrf_token"]
    again = client.post("/accounts/login/", {"login": mother.email, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert again.status_code == 302 and _logged_in_now(client)


def test_idle_timeout_also_clears_site_data(mother):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = _logged_in(mother, LAPTOP)
        clock.shift(timedelta(minutes=31))
        response = client.get("/meldingen/")
        assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache", "storage"'


def test_activity_is_recorded_at_most_once_a_minute(mother):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        laptop = _logged_in(mother, LAPTOP)
        laptop.get("/")
        clock.shift(timedelta(seconds=30))
        laptop.get("/", REMOTE_ADDR="10.9.9.9")
        assert UserSession.objects.get(user=mother).ip != "10.9.9.9"  # too soon: nothing written
        clock.shift(timedelta(seconds=31))
        laptop.get("/", REMOTE_ADDR="10.9.9.9")
        assert UserSession.objects.get(user=mother).ip == "10.9.9.9"


def test_ending_other_sessions_asks_for_the_password_again_after_five_minutes(mother):
    """SEC-10: a session left open does not let a passer-by log the owner out everywhere else."""
    laptop, phone = _logged_in(mother, LAPTOP), _logged_in(mother, PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = laptop.post(SESSIONS, {})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
        assert _logged_in_now(phone)
        assert laptop.get(SESSIONS).status_code == 200  # looking at the list needs no password
        laptop.post("/accounts/reauthenticate/", {"password": PASSWORD})
        assert laptop.post(SESSIONS, {}).status_code == 302
        assert not _logged_in_now(phone)
