"""The access matrix: every role × category × action, including every refusal (SEC-13, SEC-15, SEC-16)."""

import itertools

import pytest

from apps.access.policy import Action, authorize, decide, log_items, visible_children, visible_q
from apps.accounts.models import User
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category, Consent
from apps.organisations.models import Board, Membership, Role, School
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db

ALL = {c.value for c in Category}
A = Action
READ_WRITE = {A.VIEW, A.LIST, A.CREATE, A.CHANGE}
# The family's rights over the file (docs/inspection-and-retention.md): the guardian with confirmed gezag of a
# child under 16; the child itself (13 here) only for what youth care recorded.
RIGHTS = (A.REQUEST_INSPECTION, A.REQUEST_YOUTH_CARE_INSPECTION, A.REQUEST_CORRECTION, A.ADD_STATEMENT)
COORDINATOR = (A.HANDLE_INSPECTION, A.LEGAL_HOLD)

# role -> {action: categories allowed}. Anything not listed is refused.
EXPECTED = {
    "guardian_with_authority": {
        **{a: ALL for a in (*READ_WRITE, A.EXPORT, A.VIEW_LOG, A.GIVE_CONSENT, A.REVOKE_CONSENT, *RIGHTS)},
        A.CONSENT_OPP: {"support"},  # the handelingsdeel of the OPP (docs/opp.md)
    },
    # BW 1:377c: nothing automatically; only asking the school (docs/guardians-and-gezag.md).
    "guardian_without_authority": {A.REQUEST_INFORMATION: ALL},
    "child_self_13": {
        a: ALL
        for a in (*READ_WRITE, A.EXPORT, A.VIEW_LOG, A.GIVE_CONSENT, A.REVOKE_CONSENT, A.REQUEST_YOUTH_CARE_INSPECTION)
    },
    "teacher_own_class": {a: ALL for a in READ_WRITE},
    "teacher_other_class": {},
    "teacher_other_class_in_circle": {a: ALL for a in READ_WRITE},
    "ib": {
        **{
            a: ALL for a in (*READ_WRITE, A.EXPORT, A.MANAGE_CIRCLE, A.INVITE_FAMILY, A.CONFIRM_AUTHORITY, *COORDINATOR)
        },
        A.DRAFT_OPP: {"support"},
        A.DECIDE_INFORMATION: ALL,
    },
    "director": {
        **{
            a: ALL for a in (*READ_WRITE, A.EXPORT, A.MANAGE_CIRCLE, A.INVITE_FAMILY, A.CONFIRM_AUTHORITY, *COORDINATOR)
        },
        A.DRAFT_OPP: {"support"},
        A.DECIDE_INFORMATION: ALL,
    },
    "school_admin": {a: {"basic"} for a in (A.VIEW, A.LIST, A.CHANGE, A.MANAGE_CIRCLE, A.CONFIRM_AUTHORITY)},
    "teacher_other_school": {},
    "ib_other_school": {},
    "youth_worker_with_support_consent": {a: {"support", "basic"} for a in READ_WRITE},  # basic: implied
    "youth_worker_same_org_not_named": {},
    "youth_worker_without_consent": {},
    "youth_worker_revoked_consent": {},
    "doctor_expired_consent": {},
    "attendance_officer": {},
    "platform_admin": {},
    "board_admin_of_the_school": {},
    "org_admin_of_the_cjg": {},
    "teacher_own_class_removed": {},
    "guardian_of_other_child": {},
    "anonymous_like_inactive": {},
}


def _board_admin(school):
    board = Board.objects.create(name="Bestuur")
    School.objects.filter(pk=school.pk).update(board=board)
    return _member(Role.BOARD_ADMIN, board=board)


def _member(role, groups=(), **where):
    membership = Membership.objects.create(user=UserFactory(), role=role, **where)
    membership.groups.set(groups)
    return membership.user


@pytest.fixture
def world():
    school, other_school = SchoolFactory(), SchoolFactory()
    own_group, other_group = GroupFactory(school=school), GroupFactory(school=school)
    child_user = UserFactory()
    child = ChildFactory(group=own_group, date_of_birth=years_ago(13, days=10), user=child_user)
    guardian = GuardianshipFactory(child=child).user
    no_authority = GuardianshipFactory(child=child, relation="father", has_authority=False, recognised_child=True).user
    cjg, ggd, other_org = CareOrganisationFactory(), CareOrganisationFactory(kind="ggd"), CareOrganisationFactory()

    people = {
        "guardian_with_authority": guardian,
        "guardian_without_authority": no_authority,
        "child_self_13": child_user,
        "teacher_own_class": staff(Role.TEACHER, school=school, groups=[own_group]),
        "teacher_other_class": staff(Role.TEACHER, school=school, groups=[other_group]),
        "teacher_other_class_in_circle": staff(Role.TEACHER, school=school, groups=[other_group]),
        "ib": staff(Role.IB, school=school),
        "director": staff(Role.DIRECTOR, school=school),
        "school_admin": staff(Role.SCHOOL_ADMIN, school=school),
        "teacher_other_school": staff(Role.TEACHER, school=other_school, groups=[GroupFactory(school=other_school)]),
        "ib_other_school": staff(Role.IB, school=other_school),
        "youth_worker_with_support_consent": staff(Role.YOUTH_WORKER, organisation=cjg),
        "youth_worker_same_org_not_named": staff(Role.YOUTH_WORKER, organisation=cjg),
        "youth_worker_without_consent": staff(Role.YOUTH_WORKER, organisation=other_org),
        "youth_worker_revoked_consent": staff(Role.YOUTH_WORKER, organisation=other_org),
        "doctor_expired_consent": staff(Role.DOCTOR, organisation=ggd),
        "attendance_officer": staff(Role.ATTENDANCE_OFFICER),
        "platform_admin": UserFactory(is_staff=True, is_superuser=True),
        "board_admin_of_the_school": _board_admin(school),
        "org_admin_of_the_cjg": _member(Role.ORG_ADMIN, organisation=cjg),
        "teacher_own_class_removed": _member(Role.TEACHER, school=school, groups=[own_group], active=False),
        "guardian_of_other_child": GuardianshipFactory(child=ChildFactory(group=own_group)).user,
        "anonymous_like_inactive": GuardianshipFactory(
            child=child, user=UserFactory(is_active=False), has_authority=False
        ).user,
    }
    circle_member(child, people["teacher_other_class_in_circle"], "remedial teacher", school=school)
    circle_member(child, people["youth_worker_with_support_consent"], "CJG", organisation=cjg)
    circle_member(child, people["youth_worker_same_org_not_named"], "CJG", organisation=cjg)

    def give(org, grantee, categories):
        consent = consent_services.request_consent(
            child=child,
            by=guardian,
            organisation=org,
            grantee=grantee,
            categories=categories,
            starts_on=child.created_at.date(),
        )
        return consent_services.sign(consent, child_user)

    give(cjg, people["youth_worker_with_support_consent"], ["support"])
    revoked = give(other_org, people["youth_worker_revoked_consent"], list(ALL))
    consent_services.revoke(revoked, guardian)
    expired = give(ggd, people["doctor_expired_consent"], list(ALL))
    Consent.objects.filter(pk=expired.pk).update(starts_on="2020-01-01", ends_on="2020-12-31")
    return child, people


def test_matrix_covers_every_role_category_and_action(world):
    child, people = world
    assert set(people) == set(EXPECTED)
    mismatches = []
    for (role, user), action, category in itertools.product(people.items(), Action, Category):
        expected = category.value in EXPECTED[role].get(action, set())
        actual = decide(user, action, child, category).allowed
        if actual != expected:
            mismatches.append(f"{role} {action} {category}: expected {expected}, got {actual}")
    assert not mismatches, "\n".join(mismatches)


def test_visible_children_agrees_with_decide(world):
    child, people = world
    for (role, user), category in itertools.product(people.items(), Category):
        listed = visible_children(user, category).filter(pk=child.pk).exists()
        assert listed == decide(user, Action.VIEW, child, category).allowed, (role, category)


@pytest.mark.parametrize("role", [r for r, rights in EXPECTED.items() if not rights.get(Action.VIEW)])
def test_refusals_are_logged(world, role):
    child, people = world
    user = people[role]
    before = AccessLogEntry.objects.filter(child=child, allowed=False).count()
    with pytest.raises(Exception) as err:  # noqa: B017 - the type is checked below
        authorize(Actor(user=user), Action.VIEW, child, Category.SUPPORT, label="het plan")
    assert err.type.__name__ == "AccessDenied"
    entry = AccessLogEntry.objects.filter(child=child).order_by("-pk").first()
    assert AccessLogEntry.objects.filter(child=child, allowed=False).count() == before + 1
    assert entry.allowed is False and entry.actor_id == user.pk and entry.object_label == "het plan"


def test_allowed_read_is_logged_with_consent_as_basis(world):
    child, people = world
    worker = people["youth_worker_with_support_consent"]
    decision = authorize(Actor(user=worker, channel="api"), Action.VIEW, child, Category.SUPPORT, label="het plan")
    entry = AccessLogEntry.objects.filter(child=child).order_by("-pk").first()
    assert entry.allowed and entry.consent_id == decision.consent.pk and entry.channel == "api"


def test_policy_fails_closed_when_deciding_crashes(world, monkeypatch):
    child, people = world
    import apps.access.policy as policy

    def boom(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(policy, "_guardian_decision", boom)
    with pytest.raises(policy.AccessDenied):
        authorize(Actor(user=people["guardian_with_authority"]), Action.VIEW, child)
    assert AccessLogEntry.objects.filter(child=child, allowed=False).exists()


def test_revoking_takes_effect_at_once(world):
    child, people = world
    worker = people["youth_worker_with_support_consent"]
    assert decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
    consent = Consent.objects.get(grantee=worker)
    consent_services.revoke(consent, people["child_self_13"], "")
    worker._driehoek_memberships = None
    assert not decide(worker, Action.VIEW, child, Category.SUPPORT).allowed


def test_list_filter_agrees_with_decide(world):
    """`visible_q` (what every list of child-related objects filters on) is the same rule as `decide`."""
    from apps.circles.models import Child

    child, people = world
    for (role, user), category in itertools.product(people.items(), Category):
        user._driehoek_visible_ids = None  # one fresh subquery per check
        listed = Child.objects.filter(pk=child.pk).filter(visible_q(user, category, path="pk")).exists()
        assert listed == decide(user, Action.VIEW, child, category).allowed, (role, category)


def test_list_logging_agrees_with_decide(world):
    """`log_items` (lists and feeds) records the same decision, basis and consent as `decide`."""
    child, people = world
    for (role, user), category in itertools.product(people.items(), Category):
        before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        log_items(Actor(user=user, channel="feed"), [(child, category)], "de gespreksagenda")
        entry = AccessLogEntry.objects.get(pk__gt=before)
        decision = decide(user, Action.LIST, child, category)
        assert (entry.allowed, entry.category, entry.channel) == (decision.allowed, category, "feed"), (role, category)
        assert entry.consent_id == (decision.consent.pk if decision.consent else None), (role, category)


def test_list_logging_is_a_constant_number_of_queries(world, django_assert_max_num_queries):
    child, people = world
    worker = people["youth_worker_with_support_consent"]
    organisation = Consent.objects.get(grantee=worker).organisation
    # Each call as in its own request: a fresh user object, so nothing is cached from an earlier one.
    with django_assert_max_num_queries(20) as one:
        log_items(Actor(user=User.objects.get(pk=worker.pk)), [(child, Category.SUPPORT)], "x")
    others = [ChildFactory(group=child.group) for _ in range(8)]
    for other in others:  # each with a valid consent for the worker, so every entry has its own basis
        consent_services.request_consent(
            child=other, by=GuardianshipFactory(child=other).user, organisation=organisation, grantee=worker,
            categories=["support"], starts_on=other.created_at.date(),
        )  # fmt: skip
    fresh = User.objects.get(pk=worker.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        log_items(Actor(user=fresh), [(c, Category.SUPPORT) for c in [child, *others]], "x")
    assert AccessLogEntry.objects.filter(actor_id=worker.pk, child__in=others, allowed=True).count() == len(others)
