"""One decision per request (docs/performance.md): the policy's memo is shared inside a request or a task,
cleared by writes to what it was read from, and never carried into the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import task

from apps.access import policy
from apps.access.policy import AccessDenied, Action, authorize, decide, policy_scope
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.organisations.models import Membership, Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school, date_of_birth=years_ago(9))
    mother = GuardianshipFactory(child=child).user
    father = GuardianshipFactory(child=child, relation="father").user
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True))
    circle_member(child, worker, organisation=cjg)
    consent = consent_services.request_consent(
        child=child, by=mother, organisation=cjg, grantee=worker, categories=["support"],
        starts_on=child.created_at.date(),
    )  # fmt: skip
    consent_services.sign(consent, father)
    teacher = staff(Role.TEACHER, school=group.school, groups=[group])
    return {"child": child, "mother": mother, "father": father, "worker": worker, "consent": consent, "t": teacher}


def test_a_decision_is_made_once_per_request(family):
    child, worker = family["child"], family["worker"]
    with policy_scope():
        assert decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
        assert not decide(worker, Action.VIEW, child, Category.HEALTH).allowed
        with CaptureQueriesContext(connection) as again:
            for _i in range(5):
                assert decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
                assert not decide(worker, Action.VIEW, child, Category.HEALTH).allowed
                assert decide(worker, Action.LIST, child, Category.SUPPORT).allowed  # same consents, no query
        assert len(again.captured_queries) == 0


def test_a_decision_after_a_revoke_in_the_same_request_is_refused_and_logged(family):
    child, worker = family["child"], family["worker"]
    with policy_scope():
        assert decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
        consent_services.revoke(family["consent"], family["mother"], "We stoppen")
        assert not decide(worker, Action.VIEW, child, Category.SUPPORT).allowed
        with pytest.raises(AccessDenied):
            authorize(Actor(worker), Action.VIEW, child, Category.SUPPORT)
    refusal = AccessLogEntry.objects.filter(actor=worker, child=child).latest("pk")
    assert not refusal.allowed and refusal.category == Category.SUPPORT


def test_a_teacher_who_leaves_the_class_is_refused_later_in_the_same_request(family):
    child, teacher = family["child"], family["t"]
    with policy_scope():
        assert decide(teacher, Action.VIEW, child, Category.HEALTH).allowed
        Membership.objects.get(user=teacher).groups.clear()
        assert not decide(teacher, Action.VIEW, child, Category.HEALTH).allowed


def test_a_new_guardian_is_let_in_later_in_the_same_request(family):
    child, stranger = family["child"], UserFactory()
    with policy_scope():
        assert not decide(stranger, Action.VIEW, child).allowed
        GuardianshipFactory(child=child, user=stranger, relation="other")
        assert decide(stranger, Action.VIEW, child).allowed


def test_decisions_are_kept_per_language(family):
    """A decision's texts are translated: one made for an English page is not the one the log keeps."""
    from django.utils import translation

    child, stranger = family["child"], UserFactory()
    with policy_scope():
        with translation.override("en"):
            english = decide(stranger, Action.VIEW, child).reason
        dutch = decide(stranger, Action.VIEW, child).reason
    assert english != dutch and "kring" in dutch


def test_each_request_starts_with_an_empty_memo(client, family, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child, worker = family["child"], family["worker"]
    client.force_login(worker)
    assert client.get(f"/plan/kind/{child.pk}/").status_code == 200
    assert policy.current_memo() is None  # nothing outlives the request
    consent_services.revoke(family["consent"], family["mother"], "")
    assert client.get(f"/plan/kind/{child.pk}/").status_code == 403


SEEN = []


@task()
def _remember_memo():
    SEEN.append(policy.current_memo())


def test_a_task_gets_its_own_memo_inside_a_request():
    with policy_scope() as request_memo:
        _remember_memo.enqueue()  # the immediate backend runs it here, inside the request
        assert policy.current_memo() is request_memo
    assert SEEN[-1] is not None and SEEN[-1] is not request_memo
    assert policy.current_memo() is None
