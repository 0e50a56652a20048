"""The Dutch age rule for consent, in one place.

Under 12 every guardian with parental authority signs; from 12 up to the 16th birthday those guardians
and the child; from 16 the child alone. The age counts on the day in question (signing, or the day a
consent is relied on), so a consent lapses at the 12th and 16th birthday when its signatures no longer
cover who must sign (docs/domain-rules.md R1, docs/age-rules.md: re-check at both birthdays).

From the 16th birthday the young person also decides what the parents see of health and support
(`shared_with_parents`); until they choose, those stay with the young person (docs/age-rules.md).
Only a guardian whose gezag the school has confirmed signs (and counts as a signer): gezag is in no export,
so the guardian declares it and the school confirms it (docs/guardians-and-gezag.md). A guardian confirmed
after a consent became valid does not suspend it: the consent stays valid, and that guardian is asked to
co-sign (`cosigners`) and may revoke it like any signer.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.circles.models import Child, age_on

from .models import PARENT_VIEW_CATEGORIES, Consent, ConsentSignature, ParentViewChoice


class AgeBand:
    UNDER_12 = "under_12"
    FROM_12_TO_15 = "12_15"
    FROM_16 = "16_plus"


def age_band(child: Child, on: date) -> str:
    age = age_on(child.date_of_birth, on)
    if age < 12:
        return AgeBand.UNDER_12
    if age < 16:
        return AgeBand.FROM_12_TO_15
    return AgeBand.FROM_16


@dataclass(frozen=True)
class RequiredSigner:
    user_id: int | None  # None: the child has no account yet
    signed_as: str
    label: str


def signing_guardians(child: Child):
    """Guardians with gezag that the school confirmed (the prefetched guardianships, when there are; the list
    `services.valid_consents_by_child` loaded, when it did)."""
    loaded = child.__dict__.get("loaded_guardianships")
    guardianships = loaded if loaded is not None else child.guardianships.all()
    return [g for g in guardianships if g.has_authority and g.authority_status == g.Authority.CONFIRMED]


def _joined_later(guardianship, consent: Consent | None) -> bool:
    """Confirmed after the consent first became valid: such a guardian co-signs, but does not suspend it."""
    return (
        consent is not None
        and consent.completed_at is not None
        and guardianship.authority_confirmed_at is not None
        and guardianship.authority_confirmed_at > consent.completed_at
    )


def required_signers(child: Child, on: date, consent: Consent | None = None) -> list[RequiredSigner]:
    """Who must sign a consent about this child on this day (for `consent`: leaving out later guardians)."""
    band = age_band(child, on)
    signers: list[RequiredSigner] = []
    if band in (AgeBand.UNDER_12, AgeBand.FROM_12_TO_15):
        for g in signing_guardians(child):
            if not _joined_later(g, consent):
                signers.append(RequiredSigner(g.user_id, ConsentSignature.As.GUARDIAN, str(g.user)))
    if band in (AgeBand.FROM_12_TO_15, AgeBand.FROM_16):
        signers.append(RequiredSigner(child.user_id, ConsentSignature.As.CHILD, child.full_name))
    return signers


def may_sign(user, child: Child, on: date) -> str | None:
    """The capacity in which `user` signs for this child today, or None when they may not sign."""
    for signer in required_signers(child, on):
        if signer.user_id is not None and signer.user_id == user.pk:
            return signer.signed_as
    return None


def missing_signers(consent: Consent, on: date) -> list[RequiredSigner]:
    signed = {s.signer_id for s in consent.signature_list}
    return [s for s in required_signers(consent.child, on, consent) if s.user_id is None or s.user_id not in signed]


def cosigners(consent: Consent, on: date) -> list[RequiredSigner]:
    """Guardians confirmed after the consent became valid who have not signed it yet: asked, not required."""
    if age_band(consent.child, on) == AgeBand.FROM_16:
        return []
    signed = {s.signer_id for s in consent.signature_list}
    return [
        RequiredSigner(g.user_id, ConsentSignature.As.GUARDIAN, str(g.user))
        for g in signing_guardians(consent.child)
        if _joined_later(g, consent) and g.user_id not in signed
    ]


def is_complete(consent: Consent, on: date) -> bool:
    required = required_signers(consent.child, on, consent)
    return bool(required) and not missing_signers(consent, on)


class Status:
    PENDING = "pending"
    SCHEDULED = "scheduled"
    VALID = "valid"
    NEEDS_RENEWAL = "needs_renewal"
    REVOKED = "revoked"
    EXPIRED = "expired"

    LABELS = {
        PENDING: _("wacht op handtekening"),
        SCHEDULED: _("gaat later in"),
        VALID: _("geldig"),
        NEEDS_RENEWAL: _("opnieuw tekenen nodig"),
        REVOKED: _("ingetrokken"),
        EXPIRED: _("verlopen"),
    }


def status(consent: Consent, on: date | None = None) -> str:
    on = on or timezone.localdate()
    if consent.revoked_at is not None:
        return Status.REVOKED
    if consent.ends_on is not None and on > consent.ends_on:
        return Status.EXPIRED
    if consent.completed_at is None:
        return Status.PENDING
    if not is_complete(consent, on):
        return Status.NEEDS_RENEWAL
    if on < consent.starts_on:
        return Status.SCHEDULED
    return Status.VALID


def is_valid(consent: Consent, on: date | None = None) -> bool:
    return status(consent, on) == Status.VALID


# --- From 16: what the parents see of health and support ----------------------------------------------

YOUNG_PERSON_DECIDES_AT = 16


def young_person_decides(child: Child, on: date) -> bool:
    """True from the 16th birthday (the local date in the Netherlands, as `timezone.localdate()` gives it)."""
    return age_on(child.date_of_birth, on) >= YOUNG_PERSON_DECIDES_AT


def current_choice(child: Child, category: str) -> ParentViewChoice | None:
    return ParentViewChoice.objects.filter(child=child, category=category).order_by("-pk").first()


def shared_with_parents(child: Child, category: str, on: date) -> bool:
    """May the parents (with or without gezag) see this category of this child on this day?

    Until the young person chooses, the default is what the law gives: from 16 the young person alone
    decides about disclosure, so nothing is shared until they say so (docs/domain-rules.md R1, R2;
    docs/age-rules.md)."""
    if category not in PARENT_VIEW_CATEGORIES or not young_person_decides(child, on):
        return True
    choice = current_choice(child, category)
    return choice is not None and choice.shared


def _last_day_born_sixteen(on: date) -> date:
    try:
        return on.replace(year=on.year - YOUNG_PERSON_DECIDES_AT)
    except ValueError:  # 29 February in a year whose 16-years-earlier year has none
        return on.replace(year=on.year - YOUNG_PERSON_DECIDES_AT, day=28)


def shared_with_parents_q(category: str, on: date) -> Q:
    """`shared_with_parents` as a condition on Child, for the guardian branch of `visible_children`."""
    if category not in PARENT_VIEW_CATEGORIES:
        return Q()
    newest_shared = ParentViewChoice.objects.filter(category=category, shared=True).exclude(
        Exists(ParentViewChoice.objects.filter(child=OuterRef("child"), category=category, pk__gt=OuterRef("pk")))
    )
    under_sixteen = Q(date_of_birth__gt=_last_day_born_sixteen(on))
    return under_sixteen | Q(pk__in=newest_shared.values("child_id"))
