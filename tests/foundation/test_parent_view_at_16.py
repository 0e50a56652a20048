"""From 16 the young person decides what the parents see of health and support (issue 16, item 7).

The default is the law's: nothing of those two categories is shared until the young person says so;
basic details and school development stay with the parents. Only the young person changes it, and every
try is in the access log. See docs/age-rules.md.
"""

import itertools
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.access.policy import AccessDenied, Action, authorize, decide, visible_children
from apps.audit.describe import describe
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import parent_view
from apps.consent.models import Category, ParentViewChoice
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.timeline.models import TimelineEntry
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db

KEPT = (Category.HEALTH, Category.SUPPORT)
STAY = (Category.BASIC, Category.DEVELOPMENT)


@pytest.fixture
def family(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    young = UserFactory(is_demo=True)
    child = ChildFactory(
        group=group, school=group.school, user=young, date_of_birth=years_ago(16, days=3), first_name="Sanne"
    )
    mother = GuardianshipFactory(child=child).user
    # Both parents with gezag: one without gezag gets nothing automatically (test_information_modes.py).
    father = GuardianshipFactory(child=child, relation="father").user
    teacher = staff(Role.TEACHER, school=child.school, groups=[group], user=UserFactory(is_demo=True))
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True))
    admin = UserFactory(is_staff=True, is_superuser=True, is_demo=True)
    return {"child": child, "young": young, "mother": mother, "father": father, "t": teacher, "ib": ib, "admin": admin}


def _reload(child):
    from apps.access.shortcuts import load_child

    return load_child(child.pk)


def _choose(f, category, shared):
    return parent_view.set_shared(Actor(user=f["young"]), _reload(f["child"]), category, shared)


# --- the rule -------------------------------------------------------------------------------------------------


def test_by_default_from_16_the_parents_keep_basic_and_development_but_not_health_and_support(family):
    f = family
    child = _reload(f["child"])
    for parent, category in itertools.product((f["mother"], f["father"]), Category):
        decision = decide(parent, Action.VIEW, child, category)
        assert decision.allowed == (category in STAY), (parent, category)
        if category in KEPT:
            assert "Vanaf 16 jaar beslist Sanne zelf" in decision.reason and "met u" in decision.reason
    # writing and exporting are refused too: a parent cannot change what they may not see
    for action in (Action.CREATE, Action.CHANGE, Action.EXPORT):
        assert not decide(f["mother"], action, child, Category.HEALTH).allowed
    assert decide(f["mother"], Action.CHANGE, child, Category.DEVELOPMENT).allowed
    # the young person, the school and the policy for everyone else are unchanged
    assert all(decide(f["young"], Action.VIEW, child, c).allowed for c in Category)
    assert all(decide(f["t"], Action.VIEW, child, c).allowed for c in Category)


def test_the_young_person_shares_and_takes_back_and_the_refusal_after_no_is_logged(family):
    f = family
    _choose(f, Category.HEALTH, True)
    child = _reload(f["child"])
    assert decide(f["mother"], Action.VIEW, child, Category.HEALTH).allowed
    assert not decide(f["mother"], Action.VIEW, child, Category.SUPPORT).allowed  # per category
    authorize(Actor(user=f["mother"]), Action.VIEW, child, Category.HEALTH, label="de ziekmeldingen")

    _choose(f, Category.HEALTH, False)
    child = _reload(f["child"])
    with pytest.raises(AccessDenied) as refused:
        authorize(Actor(user=f["mother"]), Action.VIEW, child, Category.HEALTH, label="de ziekmeldingen")
    assert "Sanne deelt dit nu niet met u" in str(refused.value)
    entry = AccessLogEntry.objects.filter(child=child).order_by("-pk").first()
    assert entry.actor_id == f["mother"].pk and entry.allowed is False and entry.category == "health"
    assert "Vanaf 16 jaar beslist Sanne zelf" in entry.basis
    # history is kept: both choices are there
    assert list(ParentViewChoice.objects.filter(child=child).values_list("shared", flat=True)) == [False, True]


def test_visible_children_agrees_with_decide_in_every_state(family):
    f = family
    states = [None, (Category.HEALTH, True), (Category.SUPPORT, True), (Category.HEALTH, False)]
    for state in states:
        if state:
            _choose(f, *state)
        child = _reload(f["child"])
        for user, category in itertools.product((f["mother"], f["father"], f["young"], f["t"], f["admin"]), Category):
            listed = visible_children(user, category).filter(pk=child.pk).exists()
            assert listed == decide(user, Action.VIEW, child, category).allowed, (state, user, category)


def test_under_16_the_parents_see_everything_and_old_choices_do_not_matter(family):
    f = family
    younger = ChildFactory(group=f["child"].group, date_of_birth=years_ago(15, days=200))
    GuardianshipFactory(child=younger, user=f["mother"])
    younger = _reload(younger)
    assert all(decide(f["mother"], Action.VIEW, younger, c).allowed for c in Category)
    assert visible_children(f["mother"], Category.HEALTH).filter(pk=younger.pk).exists()


def test_only_the_young_person_from_16_may_change_it_and_every_try_is_logged(family):
    f = family
    child = _reload(f["child"])
    for who in ("mother", "father", "t", "ib", "admin"):
        before = AccessLogEntry.objects.filter(child=child, allowed=False).count()
        with pytest.raises(AccessDenied):
            parent_view.set_shared(Actor(user=f[who]), child, Category.HEALTH, True)
        refusal = AccessLogEntry.objects.filter(child=child).order_by("-pk").first()
        assert AccessLogEntry.objects.filter(child=child, allowed=False).count() == before + 1, who
        assert refusal.actor_id == f[who].pk and refusal.action == "change"
        assert "wat ouders zien" in refusal.object_label
    assert not ParentViewChoice.objects.exists()

    fifteen = UserFactory()
    younger = ChildFactory(group=child.group, user=fifteen, date_of_birth=years_ago(15, days=30))
    with pytest.raises(AccessDenied) as refused:
        parent_view.set_shared(Actor(user=fifteen), _reload(younger), Category.HEALTH, False)
    assert "16e verjaardag" in str(refused.value)


def test_a_change_is_logged_for_the_family_and_the_parents_are_told(family):
    f = family
    _choose(f, Category.SUPPORT, True)
    entry = AccessLogEntry.objects.filter(child=f["child"], allowed=True).order_by("-pk").first()
    assert entry.actor_id == f["young"].pk and entry.category == "basic"  # so the parents read it
    assert entry.object_label == "wat ouders zien van ondersteuning en plan (nu gedeeld)"
    assert "wijzigde wat ouders zien van ondersteuning en plan (nu gedeeld)" in describe(entry)
    assert Notification.objects.filter(user=f["mother"], text__contains="Sanne deelt ondersteuning en plan").exists()
    assert Notification.objects.filter(user=f["father"]).exists()
    # choosing the same again adds nothing to the history
    assert _choose(f, Category.SUPPORT, True) is None
    assert ParentViewChoice.objects.count() == 1


# --- the 16th birthday, on the Amsterdam local date ---------------------------------------------------------


def test_a_guardian_of_a_child_who_turns_16_tomorrow_still_sees_today(family):
    f = family
    child = f["child"]
    child.date_of_birth = date(2010, 6, 15)
    child.save()
    # 14 June 2026, 23:30 in Amsterdam (21:30 UTC): still 15.
    with time_machine.travel(datetime(2026, 6, 14, 21, 30, tzinfo=UTC), tick=False):
        assert timezone.localdate() == date(2026, 6, 14)
        child = _reload(child)
        assert decide(f["mother"], Action.VIEW, child, Category.HEALTH).allowed
        assert visible_children(f["mother"], Category.HEALTH).filter(pk=child.pk).exists()
        with pytest.raises(AccessDenied):  # and the young person cannot choose yet
            parent_view.set_shared(Actor(user=f["young"]), child, Category.HEALTH, True)
    # 15 June, 00:30 in Amsterdam, while it is still 14 June in UTC: 16, the young person decides.
    with time_machine.travel(datetime(2026, 6, 14, 22, 30, tzinfo=UTC), tick=False):
        assert timezone.localdate() == date(2026, 6, 15)
        child = _reload(child)
        assert not decide(f["mother"], Action.VIEW, child, Category.HEALTH).allowed
        assert not visible_children(f["mother"], Category.HEALTH).filter(pk=child.pk).exists()
        assert decide(f["young"], Action.SET_PARENT_VIEW, child).allowed


def test_born_on_29_february_the_sixteenth_birthday_is_29_february():
    child = ChildFactory(date_of_birth=date(2012, 2, 29))
    GuardianshipFactory(child=child)
    assert parent_view.sixteenth_birthday(child) == date(2028, 2, 29)
    child2 = ChildFactory(date_of_birth=date(2008, 2, 29), group=child.group)
    guardian = GuardianshipFactory(child=child2).user
    child2 = _reload(child2)
    # 2024 is a leap year: 16 on 29 February 2024
    assert decide(guardian, Action.VIEW, child2, Category.HEALTH, on=date(2024, 2, 28)).allowed
    assert not decide(guardian, Action.VIEW, child2, Category.HEALTH, on=date(2024, 2, 29)).allowed
    assert visible_children(guardian, Category.HEALTH, on=date(2024, 2, 28)).filter(pk=child2.pk).exists()
    assert not visible_children(guardian, Category.HEALTH, on=date(2024, 2, 29)).filter(pk=child2.pk).exists()


# --- through the front door: page, API, family log, timeline ------------------------------------------------


def test_the_young_person_chooses_on_their_own_page_reached_from_the_child_page(client, family):
    f = family
    client.force_login(f["young"])
    child_page = client.get(f"/kinderen/{f['child'].pk}/").content.decode()
    assert f"/kinderen/{f['child'].pk}/wat-ouders-zien/" in child_page and "Wat je ouders zien" in child_page
    url = f"/kinderen/{f['child'].pk}/wat-ouders-zien/"
    page = client.get(url).content.decode()
    assert "Jij beslist nu zelf" in page and "je hebt nog niets gekozen" in page
    response = client.post(url, {"health": "shared", "support": "hidden"})
    assert response.status_code == 302
    assert parent_view.parent_view(_reload(f["child"])).categories[0].shared is True
    assert ParentViewChoice.objects.filter(child=f["child"], category="health", shared=True).exists()
    assert not ParentViewChoice.objects.filter(category="support").exists()  # unchanged: still the default


def test_the_parent_sees_who_decides_and_what_was_chosen_and_cannot_change_it(client, family):
    f = family
    _choose(f, Category.HEALTH, True)
    client.force_login(f["mother"])
    child_page = client.get(f"/kinderen/{f['child'].pk}/").content.decode()
    assert "Wat Sanne met u deelt" in child_page
    url = f"/kinderen/{f['child'].pk}/wat-ouders-zien/"
    page = client.get(url).content.decode()
    assert "Vanaf 16 jaar beslist Sanne zelf" in page
    assert page.count("ouders zien dit niet") == 1 and "ouders zien dit</span>" in page
    assert 'name="health"' not in page  # no form for the parent
    before = AccessLogEntry.objects.filter(child=f["child"], allowed=False).count()
    response = client.post(url, {"health": "hidden", "support": "shared"})
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(child=f["child"], allowed=False, actor=f["mother"]).count() == before + 1
    assert ParentViewChoice.objects.count() == 1


def test_the_api_shows_and_changes_the_choice_for_the_young_person_only(client, family):
    f = family
    url = f"/api/v1/children/{f['child'].pk}/parent-view/"
    client.force_login(f["young"])
    data = client.get(url).json()
    assert data["young_person_decides"] is True and data["can_change"] is True
    assert {c["category"]: c["shared"] for c in data["categories"]} == {"health": False, "support": False}
    data = client.post(url, {"category": "support", "shared": True}, content_type="application/json").json()
    assert {c["category"]: c["shared"] for c in data["categories"]}["support"] is True

    for who in ("mother", "t"):
        client.force_login(f[who])
        assert client.get(url).json()["can_change"] is False
        response = client.post(url, {"category": "support", "shared": False}, content_type="application/json")
        assert response.status_code == 403, who
    assert ParentViewChoice.objects.count() == 1
    assert AccessLogEntry.objects.filter(child=f["child"], allowed=False, channel="api").count() == 2


def test_the_parents_timeline_and_family_log_leave_out_what_is_not_shared(client, family):
    f = family
    child = f["child"]
    TimelineEntry.objects.create(child=child, kind="support", happened_on=date(2026, 1, 5), text="Gesprek bij de GGZ",
                                 category="health", author=f["young"])  # fmt: skip
    TimelineEntry.objects.create(child=child, kind="school", happened_on=date(2026, 1, 6), text="Toets wiskunde",
                                 category="development", author=f["t"])  # fmt: skip
    authorize(Actor(user=f["ib"]), Action.VIEW, _reload(child), Category.HEALTH, label="de ziekmeldingen")

    client.force_login(f["mother"])
    timeline = client.get(f"/api/v1/children/{child.pk}/timeline/").content.decode()
    assert "Toets wiskunde" in timeline and "GGZ" not in timeline
    log = client.get(reverse("audit:child_log", args=[child.pk])).content.decode()
    assert "de ziekmeldingen" not in log
    assert "Wie keek naar ondersteuning en plan, gezondheid en verzuim, staat daarom niet in dit overzicht" in log
    api_log = client.get(f"/api/v1/children/{child.pk}/access-log/").json()
    rows = api_log["results"] if isinstance(api_log, dict) else api_log
    assert all(r["category"] not in ("health", "support") for r in rows)

    client.force_login(f["young"])
    log = client.get(reverse("audit:child_log", args=[child.pk])).content.decode()
    assert "de ziekmeldingen" in log and "Wie keek naar" not in log

    _choose(f, Category.HEALTH, True)
    client.force_login(f["mother"])
    log = client.get(reverse("audit:child_log", args=[child.pk])).content.decode()
    assert "de ziekmeldingen" in log and "wat ouders zien van gezondheid en verzuim (nu gedeeld)" in log
    assert "Wie keek naar ondersteuning en plan, staat" in log
    assert "GGZ" in client.get(f"/api/v1/children/{child.pk}/timeline/").content.decode()
