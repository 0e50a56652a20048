"""One family, one plan: the family's own goals per life domain, which professionals build on but never
overwrite (refused and logged); the plan page shows the goals per life domain with the one coordinator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.core.versioning import StaleEdit
from apps.plans import services as plan_services
from apps.plans.groei import services as groei
from apps.plans.groei_models import FamilyGoal
from tests.factories import circle_member
from tests.opp.conftest import act, load

pytestmark = pytest.mark.django_db


def test_the_family_writes_first_and_the_professional_builds_on_it(family):
    child = load(family["child"])
    mine = groei.add_family_goal(act(family["mother"]), child, life_domain="family", text="Rustige ochtenden thuis")
    goal = plan_services.add_goal(
        act(family["ib"]),
        child,
        text="Noor komt op tijd en uitgerust op school",
        evaluate_on=timezone.localdate(),
        family_goal=mine,
    )
    assert goal.family_goal_id == mine.pk and goal.life_domain == "family"
    assert FamilyGoal.objects.get(pk=mine.pk).text == "Rustige ochtenden thuis"


def test_the_pupil_with_an_own_account_writes_too(family):
    child = load(family["child"])
    groei.add_family_goal(act(family["pupil"]), child, life_domain="free_time", text="Weer naar voetbal")
    assert FamilyGoal.objects.get().written_by_id == family["pupil"].pk


def test_a_professional_cannot_write_or_overwrite_the_family_text_refused_and_logged(family):
    child = load(family["child"])
    mine = groei.add_family_goal(act(family["mother"]), child, life_domain="school", text="Met plezier naar school")
    mine.child = child
    with pytest.raises(PermissionDenied):
        groei.change_family_goal(
            act(family["ib"]), mine, life_domain="school", text="Door de school herschreven", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        groei.add_family_goal(act(family["teacher"]), child, life_domain="school", text="Namens het gezin")
    assert FamilyGoal.objects.get().text == "Met plezier naar school"
    entry = AccessLogEntry.objects.filter(actor_id=family["ib"].pk, allowed=False).latest("pk")
    assert "plan van het gezin" in entry.basis


def test_a_father_without_gezag_cannot_write_the_family_plan(family):
    with pytest.raises(PermissionDenied):
        groei.add_family_goal(act(family["father"]), load(family["child"]), life_domain="school", text="x")


def test_bad_input_is_explained_and_a_stale_change_is_refused(family):
    child = load(family["child"])
    with pytest.raises(ValidationError) as e:
        groei.add_family_goal(act(family["mother"]), child, life_domain="moon", text="")
    assert set(e.value.message_dict) == {"life_domain", "text"}
    mine = groei.add_family_goal(act(family["mother"]), child, life_domain="school", text="Eerste")
    mine.child = child
    groei.change_family_goal(act(family["other"]), mine, life_domain="school", text="Tweede", expected_version=1)
    with pytest.raises(StaleEdit):
        groei.change_family_goal(act(family["mother"]), mine, life_domain="school", text="Derde", expected_version=1)
    assert FamilyGoal.objects.get().text == "Tweede"


def test_the_plan_page_shows_the_goals_per_life_domain_with_the_coordinator(client, family):
    from apps.organisations.models import Role
    from tests.factories import staff

    child = load(family["child"])
    ib_member = circle_member(child, family["ib"], role="IB'er", school=family["school"], coordinator=True)
    assert ib_member.is_coordinator
    client.force_login(family["ib"])
    page = client.get(f"/plan/kind/{child.pk}/").content.decode()
    assert "Eén gezin, één plan" not in page  # no youth care, no family plan
    groei.add_family_goal(act(family["mother"]), child, life_domain="housing", text="Een rustig huis")
    page = client.get(f"/plan/kind/{child.pk}/").content.decode()
    assert "Eén gezin, één plan" in page and "Een rustig huis" in page and "Wonen en geld" in page
    assert family["ib"].full_name in page
    assert staff(Role.TEACHER, school=family["school"])  # unrelated staff do not change the page


def test_the_family_plan_page(client, family):
    child = family["child"]
    url = f"/plan/kind/{child.pk}/gezinsplan/"
    client.force_login(family["mother"])
    r = client.post(url, {"life_domain": "", "text": ""})
    assert r.status_code == 400 and "Kies een levensgebied" in r.content.decode()
    assert client.post(url, {"life_domain": "health", "text": "Beter slapen"}).status_code == 302
    goal = FamilyGoal.objects.get()
    client.force_login(family["ib"])
    page = client.get(url).content.decode()
    assert "Beter slapen" in page and "Een doel van het gezin toevoegen" not in page
    r = client.post(url, {"life_domain": "health", "text": "Door de IB'er", "goal": goal.pk, "version": 1})
    assert r.status_code == 403 and FamilyGoal.objects.get().text == "Beter slapen"


def test_the_family_plan_api(api, family):
    base = f"/api/v1/children/{family['child'].pk}/plan/family-goals/"
    r = api(family["mother"]).post(base, {"life_domain": "safety", "text": "Veilig naar school fietsen"}, format="json")
    assert r.status_code == 201
    goal_id = r.json()["id"]
    assert api(family["ib"]).post(base, {"life_domain": "safety", "text": "x"}, format="json").status_code == 403
    r = api(family["ib"]).patch(f"{base}{goal_id}/", {"text": "Overschreven"}, format="json")
    assert r.status_code == 403
    assert [g["text"] for g in api(family["ib"]).get(base).json()] == ["Veilig naar school fietsen"]
    r = api(family["other"]).patch(f"{base}{goal_id}/", {"text": "Samen fietsen", "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2


def test_api_a_professional_goal_builds_on_the_family_goal(api, family):
    child = load(family["child"])
    mine = groei.add_family_goal(act(family["mother"]), child, life_domain="health", text="Beter slapen")
    base = f"/api/v1/children/{child.pk}/plan/goals/"
    on = timezone.localdate().isoformat()
    r = api(family["ib"]).post(base, {"text": "Rust voor het slapen", "evaluate_on": on, "family_goal_id": mine.pk})
    assert r.status_code == 201 and r.json()["family_goal_id"] == mine.pk and r.json()["life_domain"] == "health"
    r = api(family["ib"]).post(base, {"text": "x", "evaluate_on": on, "life_domain": "moon"})
    assert r.status_code == 400 and "Kies een levensgebied." in r.json()["detail"][0]
