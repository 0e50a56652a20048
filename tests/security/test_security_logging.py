"""SEC-29 security events are logged, structured, in UTC; SEC-30 no secrets in logs and no forged log lines."""

import json
import logging

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from apps.core.logging import JsonFormatter
from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"
CANARY = "CANARY-7f3a-wachtwoord"


def _security_events(caplog, event):
    return [r for r in caplog.records if r.name == "driehoek.security" and getattr(r, "event", None) == event]


def _all_log_text(caplog) -> str:
    formatter = JsonFormatter()
    return "\n".join(formatter.format(r) for r in caplog.records)


def test_failed_login_is_logged_without_password_or_email(client, caplog):
    user = UserFactory(email="ouder.canary@example.org")
    caplog.set_level(logging.DEBUG)
    client.post("/accounts/login/", {"login": user.email, "password": CANARY}, REMOTE_ADDR="10.0.0.7")
    [record] = _security_events(caplog, "login_failed")
    assert record.ip == "10.0.0.7" and record.levelno == logging.WARNING
    text = _all_log_text(caplog)
    assert CANARY not in text and "ouder.canary" not in text
    # The same login typed again gives the same reference, so attempts can be correlated.
    client.post("/accounts/login/", {"login": user.email.upper(), "password": "nog-een-fout"}, REMOTE_ADDR="10.0.0.7")
    first, second = _security_events(caplog, "login_failed")
    assert first.login == second.login and len(first.login) == 16


def test_successful_login_and_logout_are_logged_with_the_user(client, caplog):
    user = UserFactory()
    caplog.set_level(logging.INFO)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    client.post("/accounts/logout/")
    assert [r.user_id for r in _security_events(caplog, "login")] == [user.pk]
    assert [r.user_id for r in _security_events(caplog, "logout")] == [user.pk]
    assert PASSWORD not in _all_log_text(caplog)


def test_lockout_is_logged(client, caplog):
    user = UserFactory()
    caplog.set_level(logging.INFO)
    for _ in range(6):
        client.post("/accounts/login/", {"login": user.email, "password": "fout"}, REMOTE_ADDR="10.0.0.8")
    locked = _security_events(caplog, "login_locked")
    assert locked and locked[0].ip == "10.0.0.8"


def test_lockout_is_not_undone_by_a_spoofed_forwarded_for_header(client):
    """SEC-03: the client IP is REMOTE_ADDR; a made-up X-Forwarded-For does not buy fresh attempts."""
    user = UserFactory()
    for i in range(6):
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": "fout"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert "_auth_user_id" not in client.session


def _professional_with_totp():
    child = ChildFactory()
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    secret = generate_totp_secret()
    TOTP.activate(teacher, secret)
    return teacher, secret


def _current_code(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_wrong_two_factor_code_is_logged(client, caplog):
    teacher, _ = _professional_with_totp()
    caplog.set_level(logging.INFO)
    response = client.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    [record] = _security_events(caplog, "mfa_failed")
    assert record.user_id == teacher.pk
    assert "_auth_user_id" not in client.session


def test_a_two_factor_code_works_only_once(client):
    """SEC-06: a TOTP code seen once (login) is refused when replayed within its 30 seconds."""
    teacher, secret = _professional_with_totp()
    code = _current_code(secret)
    client.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(teacher.pk)
    other = Client()
    other.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    other.post("/accounts/2fa/authenticate/", {"code": code})
    assert "_auth_user_id" not in other.session


def test_permission_denied_is_logged_with_user_child_and_ip(client, caplog):
    child = ChildFactory()
    stranger = GuardianshipFactory().user
    client.force_login(stranger)
    caplog.set_level(logging.INFO)
    assert client.get(f"/kinderen/{child.pk}/", REMOTE_ADDR="10.0.0.10").status_code == 403
    [record] = _security_events(caplog, "access_denied")
    assert (record.user_id, record.child_id, record.ip) == (stranger.pk, child.pk, "10.0.0.10")


def test_log_lines_are_json_in_utc_and_newlines_cannot_forge_a_line():
    record = logging.LogRecord("driehoek.security", logging.WARNING, __file__, 1, "log-in failed", None, None)
    record.login = 'evil\r\n{"level": "INFO", "message": "admin logged in"}'
    record.created = 1_700_000_000.0
    line = JsonFormatter().format(record)
    assert "\n" not in line and "\r" not in line
    data = json.loads(line)
    assert data["time"] == "2023-11-14T22:13:20.000+00:00"
    assert data["level"] == "WARNING" and data["login"].startswith("evil\r\n")


def test_the_security_loggers_write_json():
    for name in ("driehoek.security", "django.security"):
        ours = [h for h in logging.getLogger(name).handlers if not type(h).__module__.startswith("_pytest")]
        assert ours and all(isinstance(h.formatter, JsonFormatter) for h in ours), name


def test_typed_crlf_in_the_login_name_stays_one_log_line(client, caplog):
    caplog.set_level(logging.INFO)
    client.post("/accounts/login/", {"login": 'x@example.org\n{"event": "login"}', "password": "fout"})
    lines = _all_log_text(caplog).splitlines()
    assert len(lines) == len(caplog.records)
    assert not _security_events(caplog, "login")


def test_crlf_in_a_url_is_escaped_in_djangos_request_log(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/bestaat-niet%0d%0aINFO%20forged/")
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages and all("\n" not in m and "\r" not in m for m in messages)
