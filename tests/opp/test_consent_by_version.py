"""The consent-by-version rule of the handelingsdeel (docs/opp.md, docs/domain-rules.md R13)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.circles.models import Guardianship
from apps.plans.opp import rules
from apps.plans.opp import services as opp
from apps.plans.opp_models import HandelingsdeelVersion

from .conftest import act, load

pytestmark = pytest.mark.django_db


# --- the plain rule ------------------------------------------------------------------------------


def test_rule_first_set_needs_every_required_parent():
    state = rules.consent_state([1, 2], [rules.Answer(1, rules.CONSENT)])
    assert not state.complete and state.missing == [2] and state.consented == [1]
    assert rules.consent_state([1, 2], [rules.Answer(1, rules.CONSENT), rules.Answer(2, rules.CONSENT)]).complete


def test_rule_a_decline_blocks_and_keeps_its_reason():
    state = rules.consent_state([1, 2], [rules.Answer(1, rules.CONSENT), rules.Answer(2, rules.DECLINE, "te weinig")])
    assert not state.complete and state.declined == [(2, "te weinig")] and state.missing == []


def test_rule_nobody_with_gezag_is_never_complete():
    assert not rules.consent_state([], []).complete


def test_rule_answers_of_people_no_longer_required_do_not_count():
    # parent 2 lost gezag: no longer asked; their decline no longer blocks, their consent no longer counts
    assert rules.consent_state([1], [rules.Answer(1, rules.CONSENT), rules.Answer(2, rules.DECLINE, "nee")]).complete
    assert not rules.consent_state([1, 3], [rules.Answer(2, rules.CONSENT), rules.Answer(1, rules.CONSENT)]).complete


def test_rule_the_hash_covers_the_content():
    a = {"support_lines": [{"what": "RT"}], "goals": []}
    assert rules.content_hash(a) == rules.content_hash({"goals": [], "support_lines": [{"what": "RT"}]})
    assert rules.content_hash(a) != rules.content_hash({"support_lines": [{"what": "RT 2x"}], "goals": []})


def test_rule_deadlines():
    start = timezone.localdate() - timedelta(days=43)
    assert rules.opp_due_on(start) == start + timedelta(weeks=6)
    assert rules.is_late(start, established=False, today=timezone.localdate())
    assert not rules.is_late(start, established=True, today=timezone.localdate())
    assert not rules.evaluation_date_is_valid(timezone.localdate() - timedelta(days=1), timezone.localdate())


# --- the services on a real database ---------------------------------------------------------------


def test_first_set_when_both_parents_consent(family, drafted):
    o, version = drafted
    opp.answer_version(act(family["mother"]), version, answer="consent")
    version.refresh_from_db()
    assert version.established_at is None
    opp.answer_version(act(family["other"]), version, answer="consent")
    version.refresh_from_db()
    assert version.established_at is not None
    view = opp.read_opp(act(family["ib"]), load(family["child"]))
    assert view.established.pk == version.pk and not view.draft_changed and view.opp.started_on is not None


def test_setting_without_every_parent_is_refused_naming_who_is_missing(family, drafted):
    o, version = drafted
    opp.answer_version(act(family["mother"]), version, answer="consent")
    with pytest.raises(ValidationError) as e:
        opp.establish(act(family["ib"]), o)
    other = family["other"]
    assert "ontbreekt" in e.value.messages[0] and (other.full_name or other.email) in e.value.messages[0]
    version.refresh_from_db()
    assert version.established_at is None


def test_a_change_after_consent_asks_again_and_keeps_the_old_version(family, drafted):
    o, v1 = drafted
    for parent in ("mother", "other"):
        opp.answer_version(act(family[parent]), v1, answer="consent")
    opp.add_support_line(
        act(family["ib"]),
        o,
        what="Time-outplek",
        who="leerkracht",
        how_often="als nodig",
        starts_on=timezone.localdate(),
    )
    assert opp.read_opp(act(family["ib"]), load(family["child"])).draft_changed
    with pytest.raises(ValidationError):  # a change needs a note for the parents
        opp.propose_version(act(family["ib"]), o)
    v2 = opp.propose_version(act(family["ib"]), o, note="Een time-outplek erbij")
    assert v2.number == 2
    view = opp.read_opp(act(family["ib"]), load(family["child"]))
    assert view.latest.pk == v2.pk and view.state.missing and view.established.pk == v1.pk
    with pytest.raises(ValidationError):
        opp.establish(act(family["ib"]), o)
    v1.refresh_from_db()
    assert v1.established_at is not None and len(v1.content["support_lines"]) == 2
    assert v1.content_hash == rules.content_hash(v1.content)
    with pytest.raises(ValidationError):  # an answer to the old version is no answer to the new one
        opp.answer_version(act(family["mother"]), v1, answer="consent")


def test_versions_cannot_be_changed_or_deleted(drafted):
    _o, version = drafted
    version.content = {"support_lines": []}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert HandelingsdeelVersion.objects.get(pk=version.pk).content["support_lines"]


def test_decline_with_a_reason_reaches_the_ib(family, drafted):
    from apps.notifications.models import Notification

    o, version = drafted
    with pytest.raises(ValidationError) as e:
        opp.answer_version(act(family["mother"]), version, answer="decline")
    assert "waarom" in e.value.messages[0]
    opp.answer_version(act(family["mother"]), version, answer="decline", reason="Twee keer RT is te weinig")
    assert Notification.objects.filter(user=family["ib"], text__contains="Twee keer RT is te weinig").exists()
    with pytest.raises(ValidationError) as e:
        opp.establish(act(family["ib"]), o)
    assert "stemt niet in" in e.value.messages[0]


def test_two_parents_one_has_not_answered(family, drafted):
    _o, version = drafted
    opp.answer_version(act(family["other"]), version, answer="consent")
    state = opp.version_state(version)
    assert state.missing == [family["mother"].pk] and not state.complete
    with pytest.raises(ValidationError):  # one answer per parent per version
        opp.answer_version(act(family["other"]), version, answer="decline", reason="toch niet")


def test_a_parent_who_loses_gezag_in_between(family, drafted):
    o, version = drafted
    opp.answer_version(act(family["mother"]), version, answer="consent")
    Guardianship.objects.filter(user=family["other"]).update(has_authority=False)
    version = opp.establish(act(family["ib"]), load_opp(o))
    assert version.established_at is not None
    with pytest.raises(AccessDenied):
        opp.answer_version(act(family["other"]), fresh(version), answer="consent")


def fresh(version):
    version = HandelingsdeelVersion.objects.select_related("opp").get(pk=version.pk)
    version.opp.child = load(version.opp.child)
    return version


def load_opp(o):
    o.child = load(o.child)
    return o


def test_a_parent_without_gezag_is_told_why_and_the_refusal_is_logged(family, drafted):
    _o, version = drafted
    with pytest.raises(AccessDenied) as e:
        opp.answer_version(act(family["father"]), version, answer="consent")
    assert "Alleen ouders met gezag" in str(e.value.decision.reason)
    assert AccessLogEntry.objects.filter(actor_id=family["father"].pk, allowed=False, action="sign").exists()


def test_an_unconfirmed_gezag_cannot_consent_yet(family, drafted):
    _o, version = drafted
    Guardianship.objects.filter(user=family["mother"]).update(authority_status="declared")
    version = fresh(version)
    with pytest.raises(AccessDenied) as e:
        opp.answer_version(act(family["mother"]), version, answer="consent")
    assert "nog niet bevestigd" in str(e.value.decision.reason)


def test_the_school_cannot_write_the_parents_view(family, drafted):
    o, _v = drafted
    opp.save_parents_view(act(family["mother"]), o, "Wij willen vooral rust in de klas.")
    with pytest.raises(AccessDenied):
        opp.save_parents_view(act(family["ib"]), o, "Overschreven")
    o.refresh_from_db()
    assert o.parents_view == "Wij willen vooral rust in de klas."
    assert AccessLogEntry.objects.filter(actor_id=family["ib"].pk, allowed=False).exists()


def test_the_pupil_writes_their_view_and_signs_heard(family, drafted):
    o, _v = drafted
    opp.save_pupil_view(act(family["pupil"]), o, "Ik wil niet steeds de klas uit.")
    opp.sign_heard(act(family["pupil"]), o)
    o.refresh_from_db()
    assert o.pupil_view == "Ik wil niet steeds de klas uit." and o.pupil_heard_at is not None
    with pytest.raises(AccessDenied):  # only the pupil signs that they were heard
        opp.sign_heard(act(family["ib"]), o)


def test_a_teacher_does_not_draft_the_opp(family, drafted):
    o, _v = drafted
    with pytest.raises(AccessDenied):
        opp.propose_version(act(family["teacher"]), o, note="x")


def test_an_evaluation_in_the_past_is_refused_and_a_future_one_is_a_conversation(family, drafted):
    from apps.conversations.models import Conversation

    o, _v = drafted
    with pytest.raises(ValidationError) as e:
        opp.plan_evaluation(act(family["ib"]), o, starts_at=timezone.now() - timedelta(days=2), place="School")
    assert "verleden" in e.value.messages[0]
    conversation = opp.plan_evaluation(
        act(family["ib"]), o, starts_at=timezone.now() + timedelta(days=30), place="School"
    )
    assert Conversation.objects.filter(pk=conversation.pk, kind="care", child=o.child).exists()
    o.refresh_from_db()
    assert o.evaluation_id == conversation.pk
