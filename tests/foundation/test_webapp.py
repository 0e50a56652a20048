"""The installable web app and the small things a newcomer notices (issue 15 items 4 and 5)."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from apps.core import webapp
from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def _static_path(url: str) -> str:
    return url.removeprefix("/static/")


def test_the_manifest_makes_driehoek_installable_in_the_users_language(client):
    response = client.get(reverse("core:manifest"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["lang"] == "en"
    assert data["description"] == "Parents, school and youth care together around one child."
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes and any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert finders.find(_static_path(icon["src"])), icon["src"]  # every icon is a file we serve


def test_the_service_worker_caches_only_static_files_and_the_offline_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    precache = json.loads(body.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert precache[0] == reverse("core:offline")
    assert all(url.startswith("/static/") for url in precache[1:])
    for url in precache[1:]:
        assert finders.find(_static_path(url)), url
    # Pages are never put in the cache: only the static branch calls cache.put.
    assert body.count("cache.put(") == 1 and 'request.mode === "navigate"' in body


def test_the_offline_page_holds_nothing_personal(client):
    parent = GuardianshipFactory(child=ChildFactory(first_name="Noor"), user=UserFactory(full_name="Sanne Peters")).user
    client.force_login(parent)
    html = client.get(reverse("core:offline")).content.decode()
    assert "Geen verbinding" in html
    assert "Sanne" not in html and "Noor" not in html and "Uitloggen" not in html


def test_every_page_has_a_favicon_and_the_manifest(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'rel="icon"' in html and 'rel="manifest"' in html and 'rel="apple-touch-icon"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and finders.find(_static_path(response["Location"]))


def test_the_login_page_does_not_invite_a_sign_up_that_is_closed(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "registreer" not in html.lower() and "sign up" not in html.lower()
    assert "U krijgt een uitnodiging" in html and reverse("accounts:redeem_code") in html


def test_parents_see_no_developer_links_and_the_api_key_stays_on_the_account_page(client):
    parent = GuardianshipFactory(user=UserFactory()).user
    client.force_login(parent)
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("api_key") not in home and reverse("api-docs") not in home
    security = client.get(reverse("usersessions_list"), follow=True).content.decode()
    assert reverse("api_key") in security or reverse("api_key") in client.get(reverse("api_key")).content.decode()
    teacher = staff(Role.TEACHER, school=SchoolFactory(), user=UserFactory(is_demo=True))
    client.force_login(teacher)
    assert reverse("api_key") not in client.get(reverse("core:home")).content.decode()


def test_after_log_in_a_parent_is_addressed_with_u_and_a_pupil_with_je(client):
    parent = GuardianshipFactory(user=UserFactory(full_name="Sanne Peters")).user
    page = client.post(
        reverse("account_login"), {"login": parent.email, "password": "geheim-wachtwoord-123"}, follow=True
    )
    text = page.content.decode()
    assert "U bent ingelogd als" in text and "Je bent" not in text
    client.logout()
    pupil = UserFactory(full_name="Noor Peters")
    ChildFactory(user=pupil)
    text = client.post(
        reverse("account_login"), {"login": pupil.email, "password": "geheim-wachtwoord-123"}, follow=True
    ).content.decode()
    assert "Je bent ingelogd als" in text and "Vraagt je aandacht" in text
    assert "Niets dat op je wacht." in client.get(reverse("core:attention")).content.decode()


def test_precached_files_exist():
    for path in webapp.PRECACHED_STATIC:
        assert finders.find(path), path
