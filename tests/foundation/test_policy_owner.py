"""The owner dimension of the policy (R3, docs/record-owner.md): whose information a record is decides who sees it.

School ↔ youth care both ways, youth-care organisations among themselves, the jeugdarts's medical content; the
lists (`visible_q(..., owner=...)`) agree with `decide(..., owner=...)`; refusals are logged."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.owner import Owner, owner_of
from apps.access.owner_backfill import owner_fields
from apps.access.policy import AccessDenied, Action, authorize, decide, visible_q
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Category
from apps.messaging import services as messaging
from apps.organisations.models import Role
from apps.timeline import services as timeline
from apps.timeline.models import TimelineEntry
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    circle_member,
    staff,
    years_ago,
)

pytestmark = pytest.mark.django_db
S, H, D = Category.SUPPORT, Category.HEALTH, Category.DEVELOPMENT


class World:
    pass


def _fresh(user):
    """The same person as in a new request: nothing cached on the user object."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def w():
    w = World()
    w.school = SchoolFactory()
    group = GroupFactory(school=w.school)
    w.child = ChildFactory(group=group, date_of_birth=years_ago(9))
    w.mother = GuardianshipFactory(child=w.child).user
    w.cjg, w.ggd, w.other_org = (
        CareOrganisationFactory(),
        CareOrganisationFactory(kind="ggd"),
        CareOrganisationFactory(kind="wijkteam"),
    )
    w.ib = staff(Role.IB, school=w.school)
    w.teacher = staff(Role.TEACHER, school=w.school, groups=[group])
    w.worker = staff(Role.YOUTH_WORKER, organisation=w.cjg)
    w.doctor = staff(Role.DOCTOR, organisation=w.ggd)
    w.other_worker = staff(Role.YOUTH_WORKER, organisation=w.other_org)
    for user, org in ((w.worker, w.cjg), (w.doctor, w.ggd), (w.other_worker, w.other_org)):
        circle_member(w.child, user, organisation=org)
    w.give = lambda **kw: consent_services.request_consent(
        child=w.child, by=w.mother, starts_on=timezone.localdate(), **kw
    )
    w.give(organisation=w.cjg, grantee=w.worker, categories=[S, D])
    w.give(organisation=w.ggd, grantee=w.doctor, categories=[H])

    def entry(author, category, text):
        return timeline.add_entry(
            Actor(user=_fresh(author)),
            w.child,
            kind="support",
            happened_on=timezone.localdate() - timedelta(days=1),
            text=text,
            category=category,
        )

    w.school_support = entry(w.ib, S, "De school zag dat lezen moeilijk gaat")
    w.cjg_support = entry(w.worker, S, "Gezinscoach: thuis is er veel spanning")
    w.ggd_medical = entry(w.doctor, H, "Jeugdarts: diagnose en medicatie")
    w.school_advice = entry(w.ib, H, "Advies van de jeugdarts gegeven; afgesproken: rustmomenten in de klas")
    return w


def test_the_owner_is_set_on_create_from_the_authors_membership(w):
    assert w.school_support.owner == Owner(school_id=w.school.pk)
    assert w.cjg_support.owner == Owner(organisation_id=w.cjg.pk)
    assert w.ggd_medical.owner == Owner(organisation_id=w.ggd.pk)
    by_mother = timeline.add_entry(
        Actor(user=w.mother), w.child, kind="life_event", happened_on=timezone.localdate(), text="Verhuisd"
    )
    assert by_mother.owner == Owner(school_id=w.school.pk)  # the family is no organisation: the child's school


def test_a_familys_message_joins_the_threads_owner(w):
    thread = messaging.create_thread(Actor(user=_fresh(w.worker)), w.child, S, "Thuis", "Hoe gaat het?")
    reply = messaging.post_message(Actor(user=w.mother), thread, "Beter, dank u")
    assert thread.owner == Owner(organisation_id=w.cjg.pk) and reply.owner == thread.owner
    # The school does not see the gezinscoach's thread without a consent to the school.
    assert not messaging.visible_threads(_fresh(w.ib)).filter(pk=thread.pk).exists()
    assert w.ib not in messaging.recipients_of(thread)
    w.give(school=w.school, categories=[S])
    assert messaging.visible_threads(_fresh(w.ib)).filter(pk=thread.pk).exists()


# reader -> which records they may see (by the text's owner), before any consent to the school.
EXPECTED = {
    "ib": {"school_support", "school_advice"},
    "teacher": {"school_support", "school_advice"},
    "worker": {"school_support", "cjg_support"},  # consent: support and development
    "doctor": {"ggd_medical", "school_advice"},  # consent: health
    "other_worker": set(),  # no consent: not even their colleagues' records of another organisation
    "mother": {"school_support", "cjg_support", "ggd_medical", "school_advice"},
}
RECORDS = ("school_support", "cjg_support", "ggd_medical", "school_advice")


def _sees(user, record) -> bool:
    return decide(_fresh(user), Action.VIEW, record.child, record.category, owner=owner_of(record)).allowed


def _listed(user, record) -> bool:
    user = _fresh(user)
    return TimelineEntry.objects.filter(pk=record.pk).filter(visible_q(user, record.category, owner="")).exists()


def test_owner_matrix_school_and_youth_care_both_ways(w):
    mismatches = []
    for (reader, expected), name in itertools.product(EXPECTED.items(), RECORDS):
        record = getattr(w, name)
        if _sees(getattr(w, reader), record) != (name in expected):
            mismatches.append(f"{reader} {name}: expected {name in expected}")
        if _listed(getattr(w, reader), record) != (name in expected):
            mismatches.append(f"{reader} {name} (list): expected {name in expected}")
    assert not mismatches, "\n".join(mismatches)


def test_a_consent_to_the_school_brings_youth_care_records_in_per_category(w):
    w.give(school=w.school, categories=[S])
    assert _sees(w.ib, w.cjg_support) and _listed(w.ib, w.cjg_support)
    assert _sees(w.teacher, w.cjg_support)
    # The jeugdarts's medical content stays out: the consent does not cover health.
    assert not _sees(w.ib, w.ggd_medical) and not _listed(w.ib, w.ggd_medical)
    decision = decide(_fresh(w.ib), Action.VIEW, w.child, S, owner=owner_of(w.cjg_support))
    assert decision.consent is not None and decision.consent.school_id == w.school.pk


def test_jeugdarts_medical_content_reaches_the_school_only_with_consent(w):
    """Without consent the school sees that advice was given and the agreed steps (its own record), not the
    medical content; with a consent to the school for health it sees both."""
    shown = set(timeline.entries_for(_fresh(w.ib), w.child, categories=[H]).values_list("pk", flat=True))
    assert shown == {w.school_advice.pk}
    w.give(school=w.school, categories=[H])
    shown = set(timeline.entries_for(_fresh(w.ib), w.child, categories=[H]).values_list("pk", flat=True))
    assert shown == {w.school_advice.pk, w.ggd_medical.pk}


def test_a_revoked_consent_to_the_school_takes_effect_at_once(w):
    consent = w.give(school=w.school, categories=[S])
    assert _sees(w.ib, w.cjg_support)
    consent_services.revoke(consent, w.mother)
    assert not _sees(w.ib, w.cjg_support) and not _listed(w.ib, w.cjg_support)


def test_the_school_reading_a_youth_care_record_is_refused_and_logged(w):
    with pytest.raises(AccessDenied) as err:
        authorize(Actor(user=_fresh(w.ib)), Action.VIEW, w.child, S, obj=w.cjg_support, label="een regel")
    assert "toestemming" in str(err.value.decision.reason)
    entry = AccessLogEntry.objects.filter(actor_id=w.ib.pk).order_by("-pk").first()
    assert (entry.allowed, entry.object_type, entry.object_id) == (False, "timelineentry", str(w.cjg_support.pk))


def test_another_youth_care_organisation_is_refused_and_logged(w):
    with pytest.raises(AccessDenied):
        authorize(Actor(user=_fresh(w.other_worker)), Action.VIEW, w.child, S, obj=w.cjg_support, label="x")
    assert AccessLogEntry.objects.filter(actor_id=w.other_worker.pk, allowed=False).exists()


def test_correcting_a_youth_care_entry_is_refused_for_the_school(w):
    with pytest.raises(AccessDenied):
        timeline.correct_entry(
            Actor(user=_fresh(w.ib)), w.cjg_support, expected_version=1, text="Anders", category=S,
            kind="support", happened_on=w.cjg_support.happened_on, ends_on=None,
        )  # fmt: skip
    w.cjg_support.refresh_from_db()
    assert w.cjg_support.text.startswith("Gezinscoach")


def test_a_consent_to_a_school_is_only_for_the_childs_own_school(w):
    with pytest.raises(ValidationError):
        w.give(school=SchoolFactory(), categories=[S])
    with pytest.raises(ValidationError):
        w.give(school=w.school, organisation=w.cjg, categories=[S])
    with pytest.raises(ValidationError):
        w.give(school=w.school, grantee=w.worker, categories=[S])


def test_backfill_rule_author_membership_else_the_childs_school():
    school_id, org_id = 7, 9
    assert owner_fields([("ib", school_id, None)], school_id) == {"owner_school_id": 7, "owner_organisation_id": None}
    assert owner_fields([("youth_worker", None, org_id)], school_id)["owner_organisation_id"] == 9
    assert owner_fields([("teacher", 99, None)], school_id) == {"owner_school_id": 7, "owner_organisation_id": None}
    assert owner_fields([], school_id) == {"owner_school_id": 7, "owner_organisation_id": None}
    thread = {"owner_school_id": None, "owner_organisation_id": 9}
    assert owner_fields([], school_id, fallback=thread) == thread  # a family's message joins its thread


def test_record_without_owner_counts_as_the_childs_school(w):
    TimelineEntry.objects.filter(pk=w.school_support.pk).update(owner_school=None)
    w.school_support.refresh_from_db()
    assert _sees(w.ib, w.school_support) and _listed(w.ib, w.school_support)
    other_ib = staff(Role.IB, school=SchoolFactory())
    assert not _sees(other_ib, w.school_support)


def test_the_family_gives_a_consent_to_the_school_on_the_consent_page(w, client):
    client.force_login(w.mother)
    url = f"/kinderen/{w.child.pk}/toestemming/"
    day = timezone.localdate().isoformat()
    both = client.post(url, {"organisation": w.cjg.pk, "to_school": "on", "categories": [S], "starts_on": day})
    assert both.status_code == 200 and "niet allebei" in both.content.decode()
    response = client.post(url, {"to_school": "on", "categories": [S], "starts_on": day})
    assert response.status_code == 302
    consent = w.child.consents.get(school=w.school)
    assert consent.organisation_id is None and consent.category_values == [S]
    assert _sees(w.ib, w.cjg_support)
