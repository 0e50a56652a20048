"""Reads for youth care in the circle: who is in through a consent, and how a professional is named.

Circle membership of outside professionals is derived from the consents at the moment of asking, never
copied into rows: a consent's end is a date without an event, so a copy would outlive it (docs/youth-care.md).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from apps.access.policy import REFERRAL_TAKEN_ON, consents_covering, current_memo
from apps.circles.models import Child
from apps.consent import rules as consent_rules
from apps.consent.models import Category, Consent
from apps.organisations.models import OUTSIDE_ROLES, Membership

from .models import Assignment


def professional_label(membership: Membership) -> str:
    """'Jeroen Smit — gezinscoach, Wijkteam Oost': the name, what they do, and where."""
    title = getattr(membership, "title", None)
    what = title.title if title else membership.get_role_display()
    return f"{membership.user} — {what}, {membership.organisation_name}"


def role_title(membership: Membership | None) -> str:
    if membership is None:
        return ""
    title = getattr(membership, "title", None)
    return title.title if title else str(membership.get_role_display())


def outside_staff(organisation_ids=None):
    """Active outside professionals with their organisation and title, for choosing a person."""
    qs = Membership.objects.filter(active=True, role__in=[r.value for r in OUTSIDE_ROLES], user__is_active=True)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.select_related("user", "organisation", "title").order_by("organisation__name", "user__full_name")


@dataclass
class ConsentMember:
    """An outside professional in the circle through a consent, for as long as it is valid."""

    user: object
    role: str
    organisation: object
    consent: Consent
    since: date
    until: date | None
    categories: list[str]
    is_coordinator: bool = False
    via_consent: bool = True
    pk: None = None

    @property
    def organisation_name(self) -> str:
        return str(self.organisation)

    @property
    def id(self):
        return self.pk


def consent_members(child: Child, on: date | None = None) -> list[ConsentMember]:
    """Who is in the circle through a valid consent today: the person it names, or the workers the
    organisation assigned when it names nobody. A constant number of queries, once per request (the policy's
    memo, which a change to a consent, an assignment or a membership clears)."""
    on = on or timezone.localdate()
    memo = current_memo()
    if memo is None:
        return _consent_members(child, on)
    key = ("consent_members", child.pk, on)
    if key not in memo.values:
        memo.values[key] = _consent_members(child, on)
    return memo.values[key]


def _consent_members(child: Child, on: date) -> list[ConsentMember]:
    found = Consent.objects.filter(child=child, revoked_at__isnull=True, completed_at__isnull=False)
    if "guardianships" in getattr(child, "_prefetched_objects_cache", {}):  # the caller loaded the signers
        found = list(found.select_related("organisation").prefetch_related("signatures", "scopes"))
        for consent in found:
            consent.child = child
    else:
        found = found.select_related("organisation", "child").prefetch_related(
            "signatures", "scopes", "child__guardianships__user"
        )
    consents = [c for c in found if consent_rules.is_valid(c, on)]
    if not consents:
        return []
    assignments = list(
        Assignment.objects.active().filter(child=child, organisation_id__in={c.organisation_id for c in consents})
    )
    people: dict[tuple[int, int], ConsentMember] = {}
    memberships = {(m.user_id, m.organisation_id): m for m in outside_staff({c.organisation_id for c in consents})}
    coordinator_ids = set(child.circle.filter(is_coordinator=True).values_list("user_id", flat=True))
    for consent in consents:
        if consent.grantee_id:
            user_ids = [consent.grantee_id]
        else:
            user_ids = [a.worker_id for a in assignments if a.organisation_id == consent.organisation_id]
        for user_id in user_ids:
            membership = memberships.get((user_id, consent.organisation_id))
            if membership is None:  # left the organisation: the consent no longer covers them
                continue
            key = (user_id, consent.organisation_id)
            categories = sorted({Category.BASIC.value, *consent.category_values})
            if key in people:
                member = people[key]
                member.categories = sorted({*member.categories, *categories})
                open_ended = member.until is None or consent.ends_on is None
                member.until = None if open_ended else max(member.until, consent.ends_on)
                continue
            people[key] = ConsentMember(
                user=membership.user,
                role=role_title(membership),
                organisation=consent.organisation,
                consent=consent,
                since=consent.starts_on,
                until=consent.ends_on,
                categories=categories,
                is_coordinator=user_id in coordinator_ids,
            )
    return sorted(people.values(), key=lambda m: (not m.is_coordinator, str(m.user)))


def consent_member_ids(child: Child, on: date | None = None) -> set[int]:
    return {m.user.pk for m in consent_members(child, on)}


def circle_members(child: Child, on: date | None = None) -> list:
    """The professionals in the circle today: school staff from the circle rows, outside professionals
    only while a consent covers them (a row of an outside professional grants nothing by itself)."""
    on = on or timezone.localdate()
    via_consent = consent_members(child, on)
    inside = {m.user.pk for m in via_consent}
    rows = []
    for row in child.circle.current(on).select_related("user", "school", "organisation"):
        if row.organisation_id is None:
            rows.append(row)
        elif row.user_id in inside:  # the row carries only the coordinator flag and its history
            next(m for m in via_consent if m.user.pk == row.user_id).pk = row.pk
    return sorted([*rows, *via_consent], key=lambda m: not m.is_coordinator)


@dataclass
class OrganisationConsent:
    """A valid consent to the organisation (naming nobody), with who of the organisation works on it."""

    consent: Consent
    child: Child
    assignments: list
    categories: list[str]


def organisation_consents(user, on: date | None = None) -> list[OrganisationConsent]:
    """Valid consents to the user's organisations that name nobody: the organisation chooses who works on
    them. Only outside professionals of that organisation see these. A constant number of queries."""
    on = on or timezone.localdate()
    org_ids = list(
        Membership.objects.filter(user=user, active=True, role__in=[r.value for r in OUTSIDE_ROLES]).values_list(
            "organisation_id", flat=True
        )
    )
    consents = [
        c
        for c in Consent.objects.filter(
            Q(referral__isnull=True) | Q(referral__status__in=REFERRAL_TAKEN_ON),  # the inbox shows the others
            organisation_id__in=org_ids,
            grantee__isnull=True,
            revoked_at__isnull=True,
            completed_at__isnull=False,
        )
        .select_related("organisation", "child__school", "child__group", "child__user")
        .prefetch_related("signatures", "scopes", "child__guardianships__user")
        .order_by("child__last_name", "child__first_name", "pk")
        if consent_rules.is_valid(c, on)
    ]
    assignments: dict[tuple[int, int], list] = {}
    for a in (
        Assignment.objects.active()
        .filter(child_id__in={c.child_id for c in consents}, organisation_id__in=org_ids)
        .select_related("worker")
    ):
        assignments.setdefault((a.child_id, a.organisation_id), []).append(a)
    return [
        OrganisationConsent(
            consent=c,
            child=c.child,
            assignments=assignments.get((c.child_id, c.organisation_id), []),
            categories=sorted({Category.BASIC.value, *c.category_values}),
        )
        for c in consents
    ]


@dataclass
class Coverage:
    """What a consent lets an outside professional see of one child, for their home page."""

    sees: list[str]
    not_sees: list[str]
    until: date | None


def coverage_for(user, children, on: date | None = None) -> dict[int, Coverage]:
    """Per child: the categories the valid consents covering this professional name (the basic details
    are implied by each), the ones they do not, and the last day (None: no end date). From the consents the
    policy read for this request (no query of its own)."""
    on = on or timezone.localdate()
    found = consents_covering(user, [c.pk for c in children], Category.BASIC, on)
    result = {}
    for child_id, consents in found.items():
        named = {cat for c in consents for cat in c.category_values} - {Category.BASIC.value}
        ends = [c.ends_on for c in consents]
        result[child_id] = Coverage(
            sees=[str(c.label) for c in Category if c.value in named],
            not_sees=[str(c.label) for c in Category if c.value not in named and c != Category.BASIC],
            until=None if None in ends else max(ends),
        )
    return result


# --- Referrals (issue 10 item 2) -------------------------------------------------------------------------


def receiving_org_ids(user) -> set[int]:
    """The organisations whose referrals this user receives (outside professionals only)."""
    from apps.access.policy import memberships_of

    return {m.organisation_id for m in memberships_of(user) if m.role in OUTSIDE_ROLES and m.organisation_id}


def is_receiver(user, referral) -> bool:
    return referral.organisation_id in receiving_org_ids(user)


def inbox(user, on: date | None = None) -> list:
    """Referrals to the user's organisations that the family consented to (valid today) and that are still
    open; a waiting referral whose consent became valid is sent on the way. A constant number of queries."""
    from apps.access.policy import REFERRAL_OPEN

    from .models import Referral
    from .services import refresh_status

    on = on or timezone.localdate()
    candidates = list(
        Referral.objects.filter(
            organisation_id__in=receiving_org_ids(user),
            status__in=REFERRAL_OPEN,
            consent__revoked_at__isnull=True,
            consent__completed_at__isnull=False,
        )
        .select_related("child__school", "organisation", "referred_by", "consent", "assignment__worker")
        .prefetch_related("consent__signatures", "consent__scopes", "child__guardianships__user")
    )
    for r in candidates:
        r.consent.child = r.child  # the same child object, with its guardians prefetched, for the rules
    rows = [r for r in candidates if consent_rules.is_valid(r.consent, on)]
    return [refresh_status(r) if r.status == r.Status.WAITING_CONSENT else r for r in rows]


def visible_referrals(user):
    """Referrals of children whose support data this user may see (family, school, the circle)."""
    from apps.access.policy import visible_q

    from .models import Referral

    return (
        Referral.objects.filter(visible_q(user, Category.SUPPORT))
        .select_related("child", "organisation", "referred_by", "assignment__worker")
        .order_by("-created_at")
    )
