"""Issue 16 item 1: the platform admin has no page that hands out someone else's credentials.

With an API token made for a parent, or a professional's TOTP removed, or a guardian's e-mail changed
and the password reset, the admin would read a child's file in someone else's name.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from rest_framework.authtoken.models import Token, TokenProxy

from tests.factories import GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db

CREDENTIAL_PAGES = [
    "/beheer/authtoken/tokenproxy/",
    "/beheer/authtoken/tokenproxy/add/",
    "/beheer/authtoken/token/add/",
    "/beheer/mfa/authenticator/",
    "/beheer/mfa/authenticator/1/change/",
    "/beheer/account/emailaddress/",
    "/beheer/account/emailaddress/add/",
    "/beheer/usersessions/usersession/",
]


@pytest.fixture
def platform_admin(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return user


def test_the_admin_registry_holds_no_credential_model():
    registered = set(admin.site._registry)
    assert not registered & {Token, TokenProxy, Authenticator, EmailAddress, UserSession}


@pytest.mark.parametrize("url", CREDENTIAL_PAGES)
def test_a_superuser_with_two_factor_finds_no_credential_page(client, platform_admin, url):
    assert client.get("/beheer/").status_code == 200  # the admin itself works for them
    assert client.get(url).status_code == 404


def test_a_superuser_cannot_create_a_token_for_a_parent(client, platform_admin):
    parent = GuardianshipFactory().user
    client.post("/beheer/authtoken/tokenproxy/add/", {"user": parent.pk})
    assert not Token.objects.filter(user=parent).exists()


def test_a_user_still_makes_their_own_api_key(client):
    parent = GuardianshipFactory().user
    client.force_login(parent)
    client.post("/api-sleutel/", {"action": "create"})
    assert Token.objects.filter(user=parent).count() == 1
