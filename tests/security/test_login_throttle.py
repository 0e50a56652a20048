"""SEC-03 (issue 16 item 6): the log-in throttle slows guessing down without locking out the real user.

Failures count per account and address together, with a looser limit per address; the client's address
is the peer's unless trusted proxies are configured; the refusal tells the user how to get in.
"""

import pytest
from django.core import mail
from django.test import Client

from apps.accounts.throttle import lockout_minutes
from apps.organisations.models import Role
from tests.factories import SchoolFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
SCHOOL = "192.0.2.10"  # one school's shared connection
HOME = "198.51.100.20"


def _login(client, email, password, ip, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _per_address_limit(settings) -> int:
    return int(settings.LOGIN_FAILURES_PER_ADDRESS.split("/")[0])


def test_ten_unknown_addresses_from_one_connection_do_not_lock_out_a_known_user():
    user = UserFactory()
    for i in range(10):
        _login(Client(), f"onbekend{i}@example.org", "fout-wachtwoord-1", SCHOOL)
    client = Client()
    _login(client, user.email, PASSWORD, SCHOOL)
    assert _logged_in(client)


def test_five_failures_on_a_teacher_from_one_address_do_not_lock_her_out_elsewhere():
    teacher = staff(Role.TEACHER, school=SchoolFactory())
    attacker = Client()
    for _ in range(5):
        _login(attacker, teacher.email, "fout-wachtwoord-1", SCHOOL)
    refused = _login(attacker, teacher.email, PASSWORD, SCHOOL)
    assert not _logged_in(attacker)  # from the guessing address even the right password waits
    assert "Te veel mislukte inlogpogingen" in refused.content.decode()
    at_home = Client()
    _login(at_home, teacher.email, PASSWORD, HOME)
    assert _logged_in(at_home)


def test_the_looser_per_address_limit_kicks_in_at_its_own_bound(settings):
    limit = _per_address_limit(settings)
    assert limit > 10  # looser than the ten of the old per-address limit
    user, other = UserFactory(), UserFactory()
    for i in range(limit - 1):
        _login(Client(), f"onbekend{i}@example.org", "fout-wachtwoord-1", SCHOOL)
    just_below = Client()
    _login(just_below, user.email, PASSWORD, SCHOOL)  # the limit is not reached yet
    assert _logged_in(just_below)
    _login(Client(), "nog-een@example.org", "fout-wachtwoord-1", SCHOOL)  # failure number `limit`
    blocked = Client()
    _login(blocked, other.email, PASSWORD, SCHOOL)
    assert not _logged_in(blocked)
    elsewhere = Client()
    _login(elsewhere, other.email, PASSWORD, HOME)
    assert _logged_in(elsewhere)


def test_the_refusal_says_how_long_to_wait_and_that_a_reset_works():
    user = UserFactory()
    client = Client()
    for _ in range(6):
        response = _login(client, user.email, "fout-wachtwoord-1", SCHOOL)
    text = response.content.decode()
    assert f"Wacht {lockout_minutes()} minuten" in text
    assert "Wachtwoord vergeten" in text


def test_the_password_reset_stays_open_while_the_log_in_is_locked(django_capture_on_commit_callbacks):
    user = UserFactory()
    client = Client()
    for _ in range(6):
        _login(client, user.email, "fout-wachtwoord-1", SCHOOL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": user.email}, REMOTE_ADDR=SCHOOL)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored():
    """Everyone behind one unconfigured proxy shares its address; a made-up header buys no fresh attempts."""
    user = UserFactory()
    client = Client()
    for i in range(5):
        _login(client, user.email, "fout-wachtwoord-1", SCHOOL, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    _login(client, user.email, PASSWORD, SCHOOL, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert not _logged_in(client)


def test_behind_one_trusted_proxy_each_client_is_counted_by_its_own_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    user = UserFactory()
    attacker = Client()
    for _ in range(5):
        # The attacker puts a fake address first; our proxy appends the real one, and only that one counts.
        _login(attacker, user.email, "fout-wachtwoord-1", proxy, HTTP_X_FORWARDED_FOR=f"{HOME}, {SCHOOL}")
    _login(attacker, user.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=f"{HOME}, {SCHOOL}")
    assert not _logged_in(attacker)
    real_user = Client()
    _login(real_user, user.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert _logged_in(real_user)


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    user = UserFactory()
    client = Client()
    response = _login(client, user.email, PASSWORD, SCHOOL, HTTP_X_FORWARDED_FOR=HOME)
    assert response.status_code == 302 and _logged_in(client)
