"""The groeidocument's and the family plan's rules as plain functions (apps/plans/groei/rules.py)."""

from types import SimpleNamespace

from apps.plans.groei import rules
from apps.plans.groei_models import LifeDomain


def test_nothing_goes_until_every_gezag_parent_answered():
    state = rules.export_state([1, 2], [(1, ["support"])])
    assert not state.complete and state.missing == [2] and state.categories == []


def test_only_what_every_parent_allowed_goes_and_the_newest_answer_counts():
    answers = [(1, ["support", "health"]), (2, ["support", "development"]), (1, ["support", "health", "development"])]
    state = rules.export_state([1, 2], answers)
    assert state.complete and state.categories == ["support", "development"]


def test_an_empty_choice_sends_only_the_document_itself():
    state = rules.export_state([1], [(1, [])])
    assert state.complete and state.categories == []


def test_a_parent_who_lost_gezag_no_longer_counts_and_a_new_one_must_answer():
    answers = [(1, ["support"]), (2, [])]
    assert rules.export_state([1], answers).categories == ["support"]  # parent 2 lost gezag
    assert rules.export_state([1, 3], answers).missing == [3]  # parent 3 confirmed since


def test_no_parent_with_gezag_means_never_complete():
    assert not rules.export_state([], [(1, ["support"])]).complete


def test_unknown_categories_are_ignored():
    assert rules.export_state([1], [(1, ["basic", "support", "x"])]).categories == ["support"]


def test_youth_care_records_go_only_with_the_consent_to_the_school():
    state = rules.export_state([1], [(1, ["support"])])
    assert rules.goes_with_request("support", state, school_may_see=True)
    assert not rules.goes_with_request("support", state, school_may_see=False)
    assert not rules.goes_with_request("health", state, school_may_see=True)


def test_the_plan_per_life_domain_shows_the_family_first_in_the_fixed_order():
    family = [SimpleNamespace(life_domain="family", text="Rustiger ochtenden")]
    goals = [
        SimpleNamespace(life_domain="school", text="Lezen"),
        SimpleNamespace(life_domain="family", text="Ochtendritme"),
        SimpleNamespace(life_domain="", text="Zonder"),
    ]
    rows = rules.by_life_domain(LifeDomain.choices, family, goals)
    assert [r["domain"] for r in rows] == ["school", "family", ""]
    assert rows[1]["family_goals"] == family and [g.text for g in rows[1]["goals"]] == ["Ochtendritme"]


def test_the_life_domains_are_a_short_fixed_list():
    assert LifeDomain.values == ["school", "health", "family", "housing", "free_time", "safety"]


def test_one_family_one_plan_is_shown_with_youth_care_or_a_family_plan():
    assert not rules.youth_care_involved(0, 0)
    assert rules.youth_care_involved(1, 0) and rules.youth_care_involved(0, 2)


def test_only_the_family_writes_its_own_text():
    assert rules.family_text_writable_by(True) and not rules.family_text_writable_by(False)
