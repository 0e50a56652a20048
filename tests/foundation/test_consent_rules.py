"""The age rule for consent, tested on the boundaries: the day before and the day of the 12th and 16th birthday."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from apps.consent import rules, services
from apps.consent.models import ConsentEvent
from tests.factories import CareOrganisationFactory, ChildFactory, GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db

BIRTH = date(2014, 6, 15)


@pytest.fixture
def family():
    child_user = UserFactory()
    child = ChildFactory(date_of_birth=BIRTH, user=child_user)
    mother = GuardianshipFactory(child=child).user
    father = GuardianshipFactory(child=child, relation="father").user
    no_authority = GuardianshipFactory(child=child, relation="other", has_authority=False).user
    return child, mother, father, no_authority, child_user


@pytest.mark.parametrize(
    ("day", "band", "guardians_sign", "child_signs"),
    [
        (date(2026, 6, 14), rules.AgeBand.UNDER_12, True, False),  # day before 12th birthday
        (date(2026, 6, 15), rules.AgeBand.FROM_12_TO_15, True, True),  # 12th birthday
        (date(2030, 6, 14), rules.AgeBand.FROM_12_TO_15, True, True),  # day before 16th birthday
        (date(2030, 6, 15), rules.AgeBand.FROM_16, False, True),  # 16th birthday
    ],
)
def test_required_signers_by_age_on_the_day(family, day, band, guardians_sign, child_signs):
    child, mother, father, no_authority, child_user = family
    assert rules.age_band(child, day) == band
    signer_ids = {s.user_id for s in rules.required_signers(child, day)}
    assert (mother.pk in signer_ids) is guardians_sign
    assert (father.pk in signer_ids) is guardians_sign
    assert (child_user.pk in signer_ids) is child_signs
    assert no_authority.pk not in signer_ids  # a parent without gezag never signs


def test_29_february_birthday_counts_from_1_march():
    child = ChildFactory(date_of_birth=date(2012, 2, 29))
    assert rules.age_band(child, date(2024, 2, 28)) == rules.AgeBand.UNDER_12
    assert rules.age_band(child, date(2024, 2, 29)) == rules.AgeBand.FROM_12_TO_15
    assert rules.age_band(child, date(2025, 2, 28)) == rules.AgeBand.FROM_12_TO_15


def test_under_12_valid_only_when_every_guardian_with_authority_signed(family):
    child, mother, father, no_authority, _ = family
    with time_machine.travel(date(2026, 6, 14), tick=False):
        consent = services.request_consent(
            child=child,
            by=mother,
            organisation=CareOrganisationFactory(),
            categories=["support"],
            starts_on=date(2026, 6, 14),
        )
        assert rules.status(consent) == rules.Status.PENDING
        with pytest.raises(ValidationError):
            services.sign(consent, no_authority)  # may see, not sign
        services.sign(consent, father)
        consent.refresh_from_db()
        assert rules.status(consent) == rules.Status.VALID
        kinds = list(consent.events.values_list("kind", flat=True))
        assert kinds == [ConsentEvent.Kind.CREATED, "signed", "signed", "valid"]


def test_12_to_15_needs_guardians_and_child(family):
    child, mother, father, _, child_user = family
    with time_machine.travel(date(2026, 6, 15), tick=False):
        consent = services.request_consent(
            child=child,
            by=mother,
            organisation=CareOrganisationFactory(),
            categories=["support"],
            starts_on=date(2026, 6, 15),
        )
        services.sign(consent, father)
        assert rules.status(consent) == rules.Status.PENDING
        consent = services.sign(consent, child_user)
        assert rules.status(consent) == rules.Status.VALID


def test_from_16_the_child_alone_and_parents_may_not_sign(family):
    child, mother, _, _, child_user = family
    with time_machine.travel(date(2030, 6, 15), tick=False):
        with pytest.raises(ValidationError):
            services.request_consent(
                child=child,
                by=mother,
                organisation=CareOrganisationFactory(),
                categories=["basic"],
                starts_on=date(2030, 6, 15),
            )
        consent = services.request_consent(
            child=child,
            by=child_user,
            organisation=CareOrganisationFactory(),
            categories=["basic"],
            starts_on=date(2030, 6, 15),
        )
        assert rules.status(consent) == rules.Status.VALID


def test_consent_lapses_at_12th_birthday_until_the_child_signs(family):
    child, mother, father, _, child_user = family
    with time_machine.travel(date(2026, 6, 1), tick=False):
        consent = services.request_consent(
            child=child,
            by=mother,
            organisation=CareOrganisationFactory(),
            categories=["support"],
            starts_on=date(2026, 6, 1),
        )
        consent = services.sign(consent, father)
    assert rules.status(consent, date(2026, 6, 14)) == rules.Status.VALID
    assert rules.status(consent, date(2026, 6, 15)) == rules.Status.NEEDS_RENEWAL
    with time_machine.travel(date(2026, 6, 15), tick=False):
        services.sign(consent, child_user)
    assert rules.status(consent, date(2026, 6, 15)) == rules.Status.VALID


def test_revoke_by_any_required_signer_is_immediate_and_kept_in_history(family):
    child, mother, father, no_authority, _ = family
    with time_machine.travel(date(2026, 1, 10), tick=False):
        consent = services.request_consent(
            child=child,
            by=mother,
            organisation=CareOrganisationFactory(),
            categories=["support"],
            starts_on=date(2026, 1, 10),
            ends_on=date(2026, 12, 31),
        )
        services.sign(consent, father)
        with pytest.raises(ValidationError):
            services.revoke(consent, no_authority)
        services.revoke(consent, father, "we stoppen")
        consent.refresh_from_db()
        assert rules.status(consent) == rules.Status.REVOKED
        with pytest.raises(ValidationError):
            services.sign(consent, mother)
    assert consent.events.filter(kind="revoked", actor=father, note="we stoppen").exists()


def test_end_date_expires_and_start_date_schedules(family):
    child, mother, father, _, _ = family
    with time_machine.travel(date(2026, 1, 10), tick=False):
        consent = services.request_consent(
            child=child,
            by=mother,
            organisation=CareOrganisationFactory(),
            categories=["health"],
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 3, 1),
        )
        consent = services.sign(consent, father)
    assert rules.status(consent, date(2026, 1, 31)) == rules.Status.SCHEDULED
    assert rules.status(consent, date(2026, 3, 1)) == rules.Status.VALID
    assert rules.status(consent, date(2026, 3, 2)) == rules.Status.EXPIRED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"categories": []}, "Kies minstens één soort informatie."),
        ({"categories": ["secrets"]}, "Kies minstens één soort informatie."),
        ({"ends_on": date(2026, 1, 1)}, "De einddatum ligt vóór de ingangsdatum."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_changes_nothing(family, kwargs, message):
    child, mother, *_ = family
    base = {"categories": ["basic"], "starts_on": date(2026, 2, 1)}
    with time_machine.travel(date(2026, 1, 10), tick=False), pytest.raises(ValidationError) as err:
        services.request_consent(child=child, by=mother, organisation=CareOrganisationFactory(), **{**base, **kwargs})
    assert message in err.value.messages
    assert child.consents.count() == 0


def test_no_guardian_with_authority_means_never_valid():
    child = ChildFactory(date_of_birth=date.today() - timedelta(days=365 * 8))
    GuardianshipFactory(child=child, has_authority=False)
    assert rules.required_signers(child, date.today()) == []
