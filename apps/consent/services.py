"""Giving, signing and revoking consent. Each step is one transaction and leaves history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.circles.models import Child, Guardianship
from apps.organisations.models import OUTSIDE_ROLES
from apps.referrals.models import Assignment

from . import rules
from .models import Category, Consent, ConsentEvent, ConsentScope, ConsentSignature


@transaction.atomic
def request_consent(
    *,
    child: Child,
    by,
    organisation=None,
    categories: list[str],
    starts_on: date,
    ends_on: date | None = None,
    grantee=None,
    purpose: str = "",
    school=None,
) -> Consent:
    """Start a consent; the person asking signs it at once when they are one of the required signers.

    The recipient is an outside `organisation`, or the child's own `school` (then what youth care recorded in
    these categories reaches the school's staff, docs/record-owner.md); never both."""
    today = timezone.localdate()
    if (organisation is None) == (school is None):
        raise ValidationError(_("Kies één ontvanger: een organisatie of de school."))
    if school is not None and (school.pk != child.school_id or grantee is not None):
        raise ValidationError(_("Toestemming aan een school geldt alleen voor de eigen school van het kind."))
    valid_categories = {c.value for c in Category}
    if not categories or not set(categories) <= valid_categories:
        raise ValidationError(_("Kies minstens één soort informatie."))
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("De einddatum ligt vóór de ingangsdatum."))
    if ends_on is not None and ends_on < today:
        raise ValidationError(_("De einddatum ligt in het verleden."))
    if grantee is not None and not grantee.memberships.effective().filter(organisation=organisation).exists():
        raise ValidationError(_("Deze persoon werkt niet bij de gekozen organisatie."))
    if rules.may_sign(by, child, today) is None:
        raise ValidationError(_("U mag voor dit kind geen toestemming geven."))
    consent = Consent.objects.create(
        child=child,
        organisation=organisation,
        school=school,
        grantee=grantee,
        purpose=purpose,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    ConsentScope.objects.bulk_create([ConsentScope(consent=consent, category=c) for c in sorted(set(categories))])
    ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.CREATED, actor=by)
    return sign(consent, by)


@transaction.atomic
def sign(consent: Consent, by) -> Consent:
    today = timezone.localdate()
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        raise ValidationError(_("Deze toestemming is ingetrokken en kan niet meer getekend worden."))
    if consent.ends_on is not None and consent.ends_on < today:
        raise ValidationError(_("Deze toestemming is verlopen."))
    signed_as = rules.may_sign(by, consent.child, today)
    if signed_as is None:
        raise ValidationError(_("U hoeft of mag deze toestemming niet te ondertekenen."))
    was_complete = consent.completed_at is not None and rules.is_complete(consent, today)
    try:
        with transaction.atomic():
            ConsentSignature.objects.create(consent=consent, signer=by, signed_as=signed_as)
    except IntegrityError:
        raise ValidationError(_("U heeft deze toestemming al ondertekend.")) from None
    ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.SIGNED, actor=by)
    if not was_complete and rules.is_complete(consent, today):
        # The first completion stays the reference: a guardian confirmed later co-signs (rules.cosigners).
        if consent.completed_at is None:
            consent.completed_at = timezone.now()
            consent.save(update_fields=["completed_at"])
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.VALID, actor=by)
        from apps.referrals.services import consent_became_valid  # a referral waiting for it is sent now

        consent_became_valid(consent)
    return consent


@transaction.atomic
def revoke(consent: Consent, by, reason: str = "") -> Consent:
    """Any required signer may revoke; it takes effect at once."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        raise ValidationError(_("Deze toestemming is al ingetrokken."))
    if rules.may_sign(by, consent.child, timezone.localdate()) is None:
        raise ValidationError(_("U mag deze toestemming niet intrekken."))
    consent.revoked_at = timezone.now()
    consent.revoked_by = by
    consent.revoke_reason = reason[:300]
    consent.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.REVOKED, actor=by, note=reason[:300])
    return consent


def valid_consents_for(user, child: Child, category: str, on: date | None = None) -> list[Consent]:
    """Valid consents that let this outside professional see this category of this child."""
    return valid_consents_by_child(user, category, on, child_ids=[child.pk]).get(child.pk, [])


def valid_consents_by_child(user, category: str, on: date | None = None, child_ids=None) -> dict[int, list[Consent]]:
    """Per child: the valid consents that bring this outside professional in for `category` (docs/youth-care.md).

    A consent covers the person it names, or, when it names nobody, the workers its organisation assigned
    to the child (`referrals.Assignment`). Whoever a consent covers also sees the basic details and the
    circle, so no second consent is needed to find the child. Validity is checked on the day itself, so a
    consent that ends, lapses at the 12th or 16th birthday or is revoked lets nobody in from that moment.
    A constant number of queries for any number of children."""
    from apps.access.policy import memberships_of  # the roles read once per request (no cycle at import)

    on = on or timezone.localdate()
    org_ids = [m.organisation_id for m in memberships_of(user) if m.organisation_id and m.role in OUTSIDE_ROLES]
    if not org_ids:
        return {}
    assigned = Assignment.objects.active().filter(
        child_id=OuterRef("child_id"), organisation_id=OuterRef("organisation_id"), worker=user
    )
    candidates = Consent.objects.filter(
        Q(grantee=user) | (Q(grantee__isnull=True) & Q(Exists(assigned))),
        organisation_id__in=org_ids,
        revoked_at__isnull=True,
        completed_at__isnull=False,
        starts_on__lte=on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    if category != Category.BASIC:
        candidates = candidates.filter(scopes__category=category)
    if child_ids is not None:
        candidates = candidates.filter(child_id__in=child_ids)
    found: dict[int, list[Consent]] = {}
    loaded = candidates.select_related("child", "organisation").prefetch_related(
        Prefetch("signatures", to_attr="loaded_signatures"),
        Prefetch("scopes", to_attr="loaded_scopes"),
        Prefetch("child__guardianships", Guardianship.objects.select_related("user"), to_attr="loaded_guardianships"),
    )
    for consent in loaded:
        if rules.is_valid(consent, on):
            found.setdefault(consent.child_id, []).append(consent)
    return found


def awaiting_signature(user, on: date | None = None) -> list[tuple[Consent, str]]:
    """Consents that wait for this person's own signature, with the capacity they sign in.

    A consent waits for someone when it is still pending (or needs renewal) and they are one of its required
    signers, or when they are a guardian confirmed later who is asked to co-sign (`rules.cosigners`). Only
    children the policy lets them see count. A constant number of queries for any number of children."""
    from apps.core.extensions import visible_child_ids

    on = on or timezone.localdate()
    already = ConsentSignature.objects.filter(consent=OuterRef("pk"), signer=user)
    candidates = (
        Consent.objects.filter(
            Q(child__user=user) | Q(child__guardianships__user=user),
            child_id__in=visible_child_ids(user, Category.BASIC),
            revoked_at__isnull=True,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exclude(Exists(already))
        .distinct()
        .select_related("child", "organisation")
        .prefetch_related("signatures", "child__guardianships__user")
    )
    waiting = []
    for consent in candidates:
        state = rules.status(consent, on)
        if state in (rules.Status.PENDING, rules.Status.NEEDS_RENEWAL):
            capacity = next((s.signed_as for s in rules.missing_signers(consent, on) if s.user_id == user.pk), None)
        elif state in (rules.Status.VALID, rules.Status.SCHEDULED):
            capacity = next((s.signed_as for s in rules.cosigners(consent, on) if s.user_id == user.pk), None)
        else:
            capacity = None
        if capacity:
            waiting.append((consent, capacity))
    return waiting


def valid_school_consents(school_id: int, on: date | None = None) -> dict[str, dict[int, Consent]]:
    """Per category, per child of this school: a valid consent **to the school** covering that category — the
    only way what a youth-care organisation recorded reaches school staff (R3, docs/record-owner.md). One
    query for a school without such consents, a fixed number for any number of them."""
    return valid_school_consents_by_school([school_id], on)[school_id]


def valid_school_consents_by_school(school_ids, on: date | None = None) -> dict[int, dict[str, dict[int, Consent]]]:
    """`valid_school_consents` for several schools at once (someone on the staff of many schools): the same
    fixed number of queries for any number of schools and consents."""
    on = on or timezone.localdate()
    school_ids = list(dict.fromkeys(school_ids))
    result = {school_id: {c.value: {} for c in Category} for school_id in school_ids}
    if not school_ids:
        return result
    candidates = Consent.objects.filter(
        school_id__in=school_ids, revoked_at__isnull=True, completed_at__isnull=False, starts_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    loaded = candidates.select_related("child", "school").prefetch_related(
        Prefetch("signatures", to_attr="loaded_signatures"),
        Prefetch("scopes", to_attr="loaded_scopes"),
        Prefetch("child__guardianships", Guardianship.objects.select_related("user"), to_attr="loaded_guardianships"),
    )
    for consent in loaded:
        if not rules.is_valid(consent, on):
            continue
        for category in consent.category_values:
            result[consent.school_id][category].setdefault(consent.child_id, consent)
    return result
