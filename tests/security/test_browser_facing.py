"""Cookies (SEC-11), safe GETs and redirects (SEC-22), error pages (SEC-32) and nothing exposed (SEC-34)."""

import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.test import Client, override_settings
from django.urls import get_resolver, path

from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, circle_member, staff
from tests.foundation.test_deny_by_default import _concrete, _walk

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"


def test_cookies_are_secure_http_only_same_site_and_host_prefixed(settings):
    """Under the default (production) settings the session and CSRF cookies carry every protection."""
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE  # DEBUG is off in tests, as in production
    user = UserFactory()
    client = Client()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax" and csrf["path"] == "/" and not csrf["domain"]


def test_laptop_settings_without_https_use_plain_cookie_names():
    """`__Host-` cookies need HTTPS; with DEBUG on (http://127.0.0.1) the plain names keep log-in working."""
    code = (
        "import django,os;os.environ['DEBUG']='1';os.environ['DJANGO_SETTINGS_MODULE']='driehoek.settings';"
        "os.environ.pop('SECURE_COOKIES',None);django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["sessionid", "csrftoken", "False"]


# --- SEC-22: no state change on GET, no open redirect ------------------------------------------------------------

IGNORED_TABLES = {"audit", "sessions", "django_tasks_db"}  # access log rows and session data are written on reads
# Bookkeeping a read may create, reviewed: none of it changes what anyone may see or do.
READ_BOOKKEEPING = {
    "account.EmailAddress",  # allauth mirrors the account's e-mail address on its e-mail page
    "usersessions.UserSession",  # allauth's record of a session (last seen, IP) for the sessions page
    "plans.PlanVisit",  # "last seen" marker, drives the "new since your last visit" badge
    "messaging.NotificationSetting",  # default mail settings, created when first shown
    "helpguide.HelpGuide",  # the default guide text, created when first shown
}


def _row_counts():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in IGNORED_TABLES and m._meta.label not in READ_BOOKKEEPING and not m._meta.proxy
    }


@pytest.fixture
def world():
    child = ChildFactory()
    guardian = GuardianshipFactory(child=child).user
    ib = staff(Role.IB, school=child.school)
    Authenticator.objects.create(user=ib, type=Authenticator.Type.TOTP, data={"secret": "x"})
    circle_member(child, ib, role="IB'er", school=child.school)
    return {"child": child, "guardian": guardian, "ib": ib}


@pytest.mark.parametrize("who", ["guardian", "ib"])
def test_a_get_on_any_route_changes_no_data(client, world, who):
    client.force_login(world[who])
    child = world["child"]
    changed = []
    for route in sorted(set(_walk(get_resolver().url_patterns))):
        url = _concrete(route)
        if url is None or url.startswith(("/accounts/logout", "/beheer/logout")):
            continue
        before = _row_counts()
        client.get(url.replace("/1/", f"/{child.pk}/"))
        after = _row_counts()
        diff = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if diff:
            changed.append(f"GET {url}: {diff}")
    assert not changed, "\n".join(changed)


OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, target):
    user = UserFactory()
    response = client.post(f"/accounts/login/?next={target}", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "evil" not in location


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_logout_and_language_switch_never_redirect_off_site(client, target):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/", {"next": target})
    assert "evil" not in response.get("Location", "")
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert "evil" not in response.get("Location", "")


# --- SEC-32: generic error pages --------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("SELECT secret_column FROM accounts_user -- SECRET_KEY leak")


urlpatterns = [path("boom/", _boom), *get_resolver("driehoek.urls").url_patterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_shows_a_generic_page_without_traceback(settings):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in body
    for leak in ("Traceback", "RuntimeError", "SELECT", "SECRET_KEY", "secret_column", "driehoek/settings"):
        assert leak not in body


def test_an_unknown_page_gives_the_plain_404_page(client):
    client.force_login(UserFactory())
    response = client.get("/bestaat-niet/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in body and "kinderen/" not in body and "Traceback" not in body


# --- SEC-34: nothing from the working copy or debug tooling is served ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/.git/HEAD",
        "/.git/config",
        "/.env",
        "/var/driehoek.sqlite3",
        "/driehoek.sqlite3",
        "/static/../driehoek/settings.py",
        "/media/",
        "/__debug__/",
        "/beheer/doc/",
        "/pyproject.toml",
    ],
)
def test_no_repository_database_or_debug_files_are_served(client, url):
    response = client.get(url)
    assert response.status_code in (302, 404), url
    if response.status_code == 302:
        assert "/login/" in response["Location"]  # the admin catch-all sends strangers to its log-in


def test_production_settings_refuse_to_start_without_a_secret_key():
    code = (
        "import django,os;[os.environ.pop(k,None) for k in ('DEBUG','SECRET_KEY','DRIEHOEK_TESTING')];"
        "os.environ['DJANGO_SETTINGS_MODULE']='driehoek.settings';django.setup()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


# --- SEC-02: the admin is no side door past two-factor -------------------------------------------------------------


def test_admin_with_password_only_never_shows_a_page(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in ("/beheer/", "/beheer/accounts/user/", "/beheer/notifications/outgoingmail/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/accounts/2fa" in response["Location"] or "/login/" in response["Location"], url
