"""SEC-12: every route refuses an anonymous visitor unless it is on a short, reviewed list of public pages."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = (
    "",  # the home page redirects anonymous visitors to log-in (checked below)
    "healthz",
    "readyz",
    "accounts/",
    "uitnodiging/",
    "i18n/",
    "beheer/",  # the admin has its own log-in, behind two-factor (secure_admin_login)
    # The installable web app's own files: nothing personal (tests/foundation/test_webapp.py checks that).
    "manifest.webmanifest",
    "sw.js",
    "offline/",
    "favicon.ico",
    # A child answers the partnership monitor with a one-time code from the teacher, without an account; the
    # page shows nothing personal and wrong codes are rate-limited (docs/learning.md).
    "peiling/kind/",
    "woorden/",  # the glossary of school words: the same for everyone, nothing personal (docs/languages.md)
)

# Pages under a public prefix that still show personal data: they are walked like any private route.
PRIVATE_UNDER_PUBLIC = ("accounts/sessions/",)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes (DRF format suffixes) are covered by their plain twin
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(str|slug):\w+>", "x", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<path:\w+>", "x", route)
    return "/" + route


def _public(route: str) -> bool:
    if route.startswith(PRIVATE_UNDER_PUBLIC):
        return False
    return any(route.startswith(p) for p in PUBLIC if p) or route == ""


def test_every_private_route_refuses_anonymous_visitors(client):
    routes = sorted({r for r in _walk(get_resolver().url_patterns) if not _public(r)})
    assert len(routes) > 20
    leaks = []
    for route in routes:
        url = _concrete(route)
        if url is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code in (302, 401, 403, 404, 405):
                if response.status_code == 302 and "/accounts/login/" not in response["Location"]:
                    leaks.append(f"{method.upper()} {url} → redirect to {response['Location']}")
                continue
            leaks.append(f"{method.upper()} {url} → {response.status_code}")
    assert not leaks, "\n".join(leaks)


def test_home_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_professional_without_two_factor_reaches_no_private_page(client):
    """SEC-01: a password-only session of a professional gets no page with data, on any route."""
    from apps.organisations.models import Role
    from tests.factories import ChildFactory, staff

    child = ChildFactory()
    ib = staff(Role.IB, school=child.school)
    client.force_login(ib)
    routes = sorted({r for r in _walk(get_resolver().url_patterns) if not _public(r)})
    reached = []
    for route in routes:
        url = _concrete(route)
        if url is None:
            continue
        response = client.get(url.replace("/1/", f"/{child.pk}/"))
        if response.status_code == 200:
            reached.append(url)
        elif response.status_code == 302 and "/accounts/2fa" not in response["Location"]:
            reached.append(f"{url} → {response['Location']}")
    assert not reached, "\n".join(reached)
