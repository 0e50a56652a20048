"""Issue 16, defect 2: the school administration cannot give itself (or anyone) the full file by inviting a
"guardian with authority"; a new guardian needs the IB'er or the director, starts as declared, and the
family is told; a new signer never silently suspends the family's valid consents."""

import pytest
from django.core import mail
from django.utils import timezone

from apps.access.policy import Action, decide
from apps.accounts import services as account_services
from apps.accounts.models import Invite, User
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.circles import authority
from apps.circles.models import Guardianship
from apps.consent import rules
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.notifications.models import Notification
from apps.organisations.models import Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

pytestmark = pytest.mark.django_db

POST = {"email": "nieuw@example.org", "kind": "guardian", "relation": "father", "has_authority": "on"}
PASSWORD = "een-lang-wachtwoord-9"


@pytest.fixture
def family(settings):
    """A child under 12 with a mother (gezag confirmed), a CJG worker with a valid support consent."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory(first_name="Sara")
    mother = GuardianshipFactory(child=child).user
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg)
    circle_member(child, worker, "CJG", organisation=cjg)
    consent = consent_services.request_consent(
        child=child, by=mother, organisation=cjg, grantee=worker, categories=["support"], starts_on=timezone.localdate()
    )
    assert rules.is_valid(consent)
    return child, mother, worker, consent


def _accept(client, link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    return client.post(
        f"/uitnodiging/{token}/", {"full_name": "Nieuwe Vader", "password1": PASSWORD, "password2": PASSWORD}
    )


def test_the_school_administration_cannot_invite_a_guardian_and_the_refusal_is_logged(client, family):
    child, _mother, _worker, _consent = family
    admin = staff(Role.SCHOOL_ADMIN, school=child.school, user=UserFactory(is_demo=True))
    client.force_login(admin)
    response = client.post(f"/kinderen/{child.pk}/uitnodigen/", POST)
    assert response.status_code == 403
    assert not Invite.objects.exists()
    entry = AccessLogEntry.objects.filter(actor=admin, child=child).order_by("-pk").first()
    assert entry.allowed is False and entry.object_label == "een nieuw gezinslid"


def test_the_school_administration_is_not_offered_the_invite_form(client, family):
    child, *_ = family
    admin = staff(Role.SCHOOL_ADMIN, school=child.school, user=UserFactory(is_demo=True))
    client.force_login(admin)
    html = client.get(f"/kinderen/{child.pk}/uitnodigen/").content.decode()
    assert 'name="email"' not in html and "Alleen de IB" in html


@pytest.mark.parametrize("role", [Role.IB, Role.DIRECTOR])
def test_the_ib_or_director_invites_and_the_new_guardian_starts_declared(
    client, family, role, django_capture_on_commit_callbacks
):
    child, *_ = family
    ib = staff(role, school=child.school, user=UserFactory(is_demo=True))
    client.force_login(ib)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/kinderen/{child.pk}/uitnodigen/", POST).status_code == 302
    client.logout()
    body = next(m.body for m in mail.outbox if "nieuw@example.org" in m.to)
    url = next(line for line in body.split("\n") if "/uitnodiging/" in line)
    assert _accept(client, url).status_code == 302
    g = Guardianship.objects.get(child=child, user__email="nieuw@example.org")
    assert g.authority_status == Guardianship.Authority.DECLARED and g.has_authority and g.added_by == ib


def test_the_existing_guardians_are_told_at_once_in_the_app_and_by_mail(family, django_capture_on_commit_callbacks):
    child, mother, *_ = family
    ib = staff(Role.IB, school=child.school)
    with django_capture_on_commit_callbacks(execute=True):
        _inv, link = account_services.invite(by=ib, email="nieuw@example.org", children=[child], relation="father")
    note = Notification.objects.get(user=mother)
    assert "uitgenodigd voor de kring van Sara" in note.text
    assert any(mother.email in m.to for m in mail.outbox)
    token = link.rstrip("/").rsplit("/", 1)[1]
    account_services.accept_invite(token, full_name="Nieuwe Vader", password=PASSWORD)
    assert Notification.objects.filter(user=mother, text__contains="Nieuwe Vader is nu ouder/verzorger").exists()


def test_a_new_guardian_reads_nothing_signs_nothing_until_confirmed_and_the_consent_stays_valid(family):
    child, mother, worker, consent = family
    ib = staff(Role.IB, school=child.school)
    _inv, link = account_services.invite(by=ib, email="nieuw@example.org", children=[child], relation="father")
    father = account_services.accept_invite(link.rstrip("/").rsplit("/", 1)[1], full_name="Vader", password=PASSWORD)
    child.refresh_from_db()
    assert not decide(father, Action.GIVE_CONSENT, child).allowed
    assert rules.is_valid(consent)  # a declared guardian is no signer yet
    # The school administration may not confirm a guardian added by hand; the refusal is logged.
    admin = staff(Role.SCHOOL_ADMIN, school=child.school)
    g = Guardianship.objects.get(user=father)
    with pytest.raises(Exception) as err:  # noqa: B017 - the type is checked below
        authority.confirm_authority(actor=Actor(user=admin), guardianship=g, has_authority=True)
    assert err.type.__name__ == "AccessDenied"
    assert AccessLogEntry.objects.filter(actor=admin, child=child, allowed=False).exists()
    # The IB'er confirms after checking: the consent stays valid, the worker keeps access, the father co-signs.
    authority.confirm_authority(actor=Actor(user=ib), guardianship=g, has_authority=True)
    consent.refresh_from_db()
    assert rules.status(consent) == rules.Status.VALID
    assert decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
    assert [s.user_id for s in rules.cosigners(consent, timezone.localdate())] == [father.pk]
    assert Notification.objects.filter(user=father, text__contains="mee te tekenen").exists()
    consent_services.sign(consent, father)
    assert rules.cosigners(consent, timezone.localdate()) == [] and rules.is_valid(consent)


def test_a_guardian_invite_for_a_professionals_email_is_refused_in_dutch(family):
    child, *_ = family
    teacher = staff(Role.TEACHER, school=child.school)
    ib = staff(Role.IB, school=child.school)
    with pytest.raises(Exception, match="hoort bij een medewerker"):
        account_services.invite(by=ib, email=teacher.email.upper(), children=[child])
    assert not Invite.objects.exists()


def test_an_invite_cannot_set_the_password_of_an_account_that_already_has_one(family):
    child, mother, *_ = family
    ib = staff(Role.IB, school=child.school)
    other = ChildFactory(school=child.school, group=child.group)
    _inv, link = account_services.invite(by=ib, email=mother.email, children=[other])
    with pytest.raises(Exception, match="Log eerst in"):
        account_services.accept_invite(link.rstrip("/").rsplit("/", 1)[1], full_name="X", password=PASSWORD)
    mother.refresh_from_db()
    assert mother.check_password("geheim-wachtwoord-123")
    assert User.objects.filter(email__iexact=mother.email).count() == 1
