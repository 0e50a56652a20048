"""Gezag: unconfirmed after import, declared by the guardian at first log-in, confirmed by the school; until
then the guardian cannot sign consents and the consent page says why; only confirmed guardians sign."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.policy import Action, decide
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.circles import authority
from apps.circles.models import Guardianship
from apps.consent import rules
from apps.consent import services as consent_services
from apps.organisations.models import Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    staff,
)

pytestmark = pytest.mark.django_db
A = Guardianship.Authority


@pytest.fixture
def imported(settings):
    """A child whose mother came from the import: gezag not confirmed yet."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory(first_name="Lotte")
    g = GuardianshipFactory(child=child, authority_status=A.UNCONFIRMED)
    return child, g


def test_an_unconfirmed_guardian_cannot_sign_and_the_refusal_says_why(imported):
    child, g = imported
    decision = decide(g.user, Action.GIVE_CONSENT, child)
    assert not decision.allowed
    assert decision.reason == "De school heeft uw gezag nog niet bevestigd. Tot dan kunt u niet tekenen."
    assert rules.may_sign(g.user, child, timezone.localdate()) is None
    with pytest.raises(Exception, match="geen toestemming"):
        consent_services.request_consent(
            child=child,
            by=g.user,
            organisation=CareOrganisationFactory(),
            categories=["support"],
            starts_on=timezone.localdate(),
        )


def test_the_consent_page_tells_the_guardian_in_plain_dutch(client, imported):
    child, g = imported
    client.force_login(g.user)
    html = client.get(f"/kinderen/{child.pk}/toestemming/").content.decode()
    assert "De school heeft uw gezag nog niet bevestigd. Tot dan kunt u niet tekenen." in html
    assert "Toestemming geven</button>" not in html
    response = client.post(f"/kinderen/{child.pk}/toestemming/", {"organisation": 1})
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor=g.user, child=child, allowed=False, action="sign").exists()


def test_only_confirmed_guardians_are_required_signers(imported):
    child, g = imported
    confirmed = GuardianshipFactory(child=child, relation="father")
    GuardianshipFactory(child=child, relation="other", authority_status=A.DECLARED)
    child = type(child).objects.prefetch_related("guardianships__user").get(pk=child.pk)
    assert [s.user_id for s in rules.required_signers(child, timezone.localdate())] == [confirmed.user_id]


def test_log_in_asks_the_guardian_about_gezag_first_and_records_the_answer(client, imported):
    child, g = imported
    response = client.post("/accounts/login/", {"login": g.user.email, "password": "geheim-wachtwoord-123"})
    assert response.status_code == 302 and response.url == "/kinderen/gezag/"
    html = client.get("/kinderen/gezag/").content.decode()
    assert f"Heeft u ouderlijk gezag over {child.full_name}?" in html and "Wat is gezag?" in html
    assert "Kies ja of nee." in client.post("/kinderen/gezag/", {}).content.decode()
    assert client.post("/kinderen/gezag/", {f"gezag_{g.pk}": "yes"}).status_code == 302
    g.refresh_from_db()
    assert g.authority_status == A.DECLARED and g.has_authority and g.authority_declared_at
    assert not decide(g.user, Action.GIVE_CONSENT, child).allowed  # declared is not yet confirmed
    assert client.get("/kinderen/gezag/").url == "/"  # asked only once


def test_a_guardian_cannot_declare_for_someone_elses_guardianship(imported):
    child, g = imported
    stranger = GuardianshipFactory(authority_status=A.UNCONFIRMED).user
    with pytest.raises(Exception, match="Beantwoord"):
        authority.declare_authority(user=stranger, answers={g.pk: True})
    g.refresh_from_db()
    assert g.authority_status == A.UNCONFIRMED


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.IB, Role.DIRECTOR])
def test_the_school_confirms_declared_gezag_from_its_list(client, imported, role):
    child, g = imported
    authority.declare_authority(user=g.user, answers={g.pk: True})
    confirmer = staff(role, school=child.school, user=UserFactory(is_demo=True))
    client.force_login(confirmer)
    html = client.get("/schoolbeheer/gezag/").content.decode()
    assert child.full_name in html and "Bevestigen: heeft gezag" in html
    assert client.post(f"/schoolbeheer/gezag/{g.pk}/", {"gezag": "ja"}).status_code == 302
    g.refresh_from_db()
    assert g.authority_status == A.CONFIRMED and g.authority_confirmed_by == confirmer
    assert decide(g.user, Action.GIVE_CONSENT, child).allowed
    assert "Er wacht niets op bevestiging." in client.get("/schoolbeheer/gezag/").content.decode()


def test_the_school_can_correct_a_declaration(imported):
    child, g = imported
    authority.declare_authority(user=g.user, answers={g.pk: True})
    ib = staff(Role.IB, school=child.school)
    authority.confirm_authority(actor=Actor(user=ib), guardianship=g, has_authority=False)
    g.refresh_from_db()
    assert g.authority_status == A.CONFIRMED and g.has_authority is False
    assert not decide(g.user, Action.GIVE_CONSENT, child).allowed


def test_staff_of_another_school_or_a_teacher_cannot_confirm_and_are_logged(client, imported):
    child, g = imported
    authority.declare_authority(user=g.user, answers={g.pk: True})
    for user in (staff(Role.IB, school=SchoolFactory()), staff(Role.TEACHER, school=child.school)):
        with pytest.raises(Exception) as err:  # noqa: B017 - the type is checked below
            authority.confirm_authority(actor=Actor(user=user), guardianship=g, has_authority=True)
        assert err.type.__name__ == "AccessDenied"
        assert AccessLogEntry.objects.filter(actor=user, child=child, allowed=False).exists()
    other_admin = staff(Role.SCHOOL_ADMIN, school=SchoolFactory(), user=UserFactory(is_demo=True))
    client.force_login(other_admin)
    assert client.post(f"/schoolbeheer/gezag/{g.pk}/", {"gezag": "ja"}).status_code == 404
    g.refresh_from_db()
    assert g.authority_status == A.DECLARED


def test_without_gezag_the_school_records_the_information_mode_and_a_fathers_recognition(client, imported):
    """BW 1:377c: a recognised father without gezag may ask for information; "geen informatie" stops that."""
    child, _mother = imported
    father = GuardianshipFactory(child=child, relation="father", authority_status=A.UNCONFIRMED)
    authority.declare_authority(user=father.user, answers={father.pk: False})
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True))
    assert not decide(father.user, Action.REQUEST_INFORMATION, child).allowed  # recognition unknown: nothing
    client.force_login(ib)
    page = client.get("/schoolbeheer/gezag/").content.decode()
    assert "Heeft deze vader het kind erkend?" in page
    client.post(f"/schoolbeheer/gezag/{father.pk}/", {"gezag": "nee", "informatie": "on_request", "erkend": "ja"})
    father.refresh_from_db()
    assert (father.has_authority, father.recognised_child, father.information_mode) == (False, True, "on_request")
    assert decide(Guardianship.objects.get(pk=father.pk).user, Action.REQUEST_INFORMATION, child).allowed


def test_the_school_can_record_that_a_parent_gets_no_information(imported):
    child, g = imported
    authority.declare_authority(user=g.user, answers={g.pk: False})
    ib = staff(Role.IB, school=child.school)
    authority.confirm_authority(actor=Actor(user=ib), guardianship=g, has_authority=False, information_mode="none")
    g.refresh_from_db()
    assert g.information_mode == Guardianship.InformationMode.NONE
    refused = decide(g.user, Action.REQUEST_INFORMATION, child)
    assert not refused.allowed and "geen informatie" in refused.reason
    with pytest.raises(ValidationError):
        authority.confirm_authority(actor=Actor(user=ib), guardianship=g, has_authority=False, information_mode="x")
