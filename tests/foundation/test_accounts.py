"""Invites, two-factor set-up for professionals, login throttling, password hashing."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import Invite, User
from apps.circles.models import Guardianship
from apps.organisations.models import Role
from tests.factories import ChildFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db


def _invite(child, **kwargs):
    admin = staff(Role.SCHOOL_ADMIN, school=child.school)
    return services.invite(by=admin, email="Nieuwe.Ouder@example.org", children=[child], **kwargs)


def _token(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def test_invite_mails_a_link_that_binds_the_account_to_the_child(client, django_capture_on_commit_callbacks):
    child = ChildFactory()
    with django_capture_on_commit_callbacks(execute=True):
        inv, link = _invite(child, relation="father", has_authority=False)
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    response = client.post(
        f"/uitnodiging/{_token(link)}/",
        {"full_name": "Nieuwe Ouder", "password1": "een-lang-wachtwoord-9", "password2": "een-lang-wachtwoord-9"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuwe.ouder@example.org")
    g = Guardianship.objects.get(child=child, user=user)
    assert g.relation == "father" and g.has_authority is False
    # Without gezag: nothing automatically (BW 1:377c); the home page offers to ask the school.
    assert client.get(f"/kinderen/{child.pk}/").status_code == 403
    assert "/kinderen/informatie/" in client.get("/").content.decode()


def test_invite_is_single_use(client):
    inv, link = _invite(ChildFactory())
    data = {"full_name": "A B", "password1": "een-lang-wachtwoord-9", "password2": "een-lang-wachtwoord-9"}
    client.post(f"/uitnodiging/{_token(link)}/", data)
    client.logout()
    response = client.get(f"/uitnodiging/{_token(link)}/")
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()
    assert User.objects.filter(email="nieuwe.ouder@example.org").count() == 1


def test_invite_expires_after_seven_days(client):
    inv, link = _invite(ChildFactory())
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = client.get(f"/uitnodiging/{_token(link)}/")
    assert response.status_code == 410 and "verlopen" in response.content.decode()


def test_unknown_invite_token_gives_dutch_message(client):
    response = client.get("/uitnodiging/verzonnen-token/")
    assert response.status_code == 410 and "bestaat niet" in response.content.decode()


def test_weak_password_is_refused_and_invite_stays_usable(client):
    inv, link = _invite(ChildFactory())
    response = client.post(
        f"/uitnodiging/{_token(link)}/", {"full_name": "A B", "password1": "kort", "password2": "kort"}
    )
    assert response.status_code == 200
    inv.refresh_from_db()
    assert inv.used_at is None


def test_child_account_only_from_twelve():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _invite(ChildFactory(date_of_birth=years_ago(11, days=364)), kind=Invite.Kind.CHILD)
    inv, _ = _invite(ChildFactory(date_of_birth=years_ago(12)), kind=Invite.Kind.CHILD)
    assert inv.pk


def test_professional_without_totp_cannot_see_child_data(client):
    child = ChildFactory()
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    client.force_login(teacher)
    for url in ("/", f"/kinderen/{child.pk}/", f"/kinderen/{child.pk}/toestemming/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/2fa/inschrijven/" in response.url
    assert client.get("/api/v1/children/").status_code == 403
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(f"/kinderen/{child.pk}/").status_code == 200


def test_demo_professionals_skip_totp_only_in_debug(client, settings):
    child = ChildFactory()
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group])
    teacher.is_demo = True
    teacher.save()
    client.force_login(teacher)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 302
    settings.DEMO_SKIP_TWO_FACTOR = True
    assert client.get(f"/kinderen/{child.pk}/").status_code == 200


def test_guardians_do_not_need_totp(client):
    child = ChildFactory()
    from tests.factories import GuardianshipFactory

    client.force_login(GuardianshipFactory(child=child).user)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 200


def test_login_is_throttled_after_repeated_failures(client):
    user = UserFactory(email="ouder@example.org")
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "fout"})
    response = client.post("/accounts/login/", {"login": user.email, "password": "geheim-wachtwoord-123"})
    assert "_auth_user_id" not in client.session  # the right password is refused while throttled
    assert response.status_code in (200, 429)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user("a@example.org", "een-lang-wachtwoord-9", full_name="A")
    assert user.password.startswith("argon2$argon2id$")


def test_open_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code in (200, 403)
    assert User.objects.count() == 0
    client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": "een-lang-wachtwoord-9", "password2": "een-lang-wachtwoord-9"},
    )
    assert not User.objects.filter(email="x@example.org").exists()
