"""Issue 9 item 8: the school administrator's pupils, groups, guardians and invitations, on the page and in
the API, through the one policy (visible_children + log_list) and with a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts import bulk
from apps.audit.models import AccessLogEntry
from apps.circles.models import Guardianship
from apps.organisations.models import Group, Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory(name="Groep 5a")
    composite = GroupFactory(school=group.school, name="Plusklas", kind=Group.Kind.COMPOSITE)
    GroupFactory(school=group.school, name="Groep 4a", school_year="2025-2026")
    emma = ChildFactory(group=group, first_name="Emma", last_name="de Vries")
    emma.extra_groups.add(composite)
    left = ChildFactory(group=group, first_name="Daan", last_name="Bakker", left_on=timezone.localdate())
    admin = staff(Role.SCHOOL_ADMIN, school=group.school, user=UserFactory(is_demo=True))
    return {"group": group, "composite": composite, "emma": emma, "left": left, "admin": admin}


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


@pytest.mark.parametrize("query", ["Emma", "de Vries", "emma de vries", "  Emma   de  Vries "])
def test_pupils_are_found_by_first_last_or_full_name(client, school, query):
    _r, html = _get(client, school["admin"], f"/schoolbeheer/leerlingen/?q={query}")
    assert "Emma de Vries" in html and "Daan Bakker" not in html


def test_pupils_filter_by_group_including_composite_groups_and_who_left_is_marked(client, school):
    _r, html = _get(client, school["admin"], f"/schoolbeheer/leerlingen/?groep={school['composite'].pk}")
    assert "Emma de Vries" in html and "Daan Bakker" not in html
    _r, html = _get(client, school["admin"], "/schoolbeheer/leerlingen/")
    assert "Daan Bakker" in html and "uitgeschreven op" in html


def test_pupil_names_shown_are_logged(client, school):
    _get(client, school["admin"], "/schoolbeheer/leerlingen/")
    entries = AccessLogEntry.objects.filter(actor=school["admin"], action="list")
    assert {e.child_id for e in entries} == {school["emma"].pk, school["left"].pk}


def test_an_empty_search_says_so(client, school):
    _r, html = _get(client, school["admin"], "/schoolbeheer/leerlingen/?q=niemand")
    assert "Geen leerlingen gevonden" in html


def test_the_pupil_list_has_a_constant_number_of_queries_and_paginates(client, school):
    client.force_login(school["admin"])
    client.get("/schoolbeheer/leerlingen/")
    with CaptureQueriesContext(connection) as few:
        client.get("/schoolbeheer/leerlingen/")
    for _ in range(30):
        ChildFactory(group=school["group"])
    with CaptureQueriesContext(connection) as many:
        html = client.get("/schoolbeheer/leerlingen/").content.decode()
    assert len(many) == len(few)
    assert "Pagina 1 van 2" in html


def test_groups_per_school_year_with_counts(client, school):
    _r, html = _get(client, school["admin"], "/schoolbeheer/groepen/?jaar=2026-2027")
    assert "Groep 5a" in html and "Plusklas" in html and "samengestelde groep" in html and "Groep 4a" not in html
    _r, html = _get(client, school["admin"], "/schoolbeheer/groepen/?jaar=2025-2026")
    assert "Groep 4a" in html and "Groep 5a" not in html


def test_guardians_show_gezag_and_invitation_status_with_constant_queries(client, school):
    GuardianshipFactory(child=school["emma"], authority_status=Guardianship.Authority.DECLARED)
    client.force_login(school["admin"])
    client.get("/schoolbeheer/ouders/")
    with CaptureQueriesContext(connection) as few:
        html = client.get("/schoolbeheer/ouders/").content.decode()
    assert "door ouder opgegeven" in html and "account actief" in html
    for _ in range(5):
        user = UserFactory()
        user.set_unusable_password()
        user.save()
        GuardianshipFactory(child=ChildFactory(group=school["group"]), user=user)
        bulk.invite_guardian(by=school["admin"], user=user, school=school["group"].school)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/schoolbeheer/ouders/").content.decode()
    assert len(many) == len(few) and "e-mail in de wachtrij" in html


def test_invitations_list_says_empty_and_then_shows_each_invite(client, school):
    _r, html = _get(client, school["admin"], "/schoolbeheer/uitnodigingen/")
    assert "Nog geen uitnodigingen verstuurd." in html
    user = UserFactory(full_name="Ouder Zonder Account")
    user.set_unusable_password()
    user.save()
    GuardianshipFactory(child=school["emma"], user=user)
    bulk.invite_guardian(by=school["admin"], user=user, school=school["group"].school)
    _r, html = _get(client, school["admin"], "/schoolbeheer/uitnodigingen/")
    assert "Ouder Zonder Account" in html and "Opnieuw uitnodigen" in html


def test_the_administrator_of_another_school_sees_only_their_own_school(client, school):
    other = staff(Role.SCHOOL_ADMIN, school=SchoolFactory(), user=UserFactory(is_demo=True))
    for url in ("leerlingen", "ouders", "uitnodigingen", "gezag"):
        response, html = _get(client, other, f"/schoolbeheer/{url}/")
        assert response.status_code == 200 and "Emma" not in html
        response, html = _get(client, other, f"/schoolbeheer/{url}/?school={school['group'].school_id}")
        assert response.status_code == 403 and "Emma" not in html


@pytest.mark.parametrize("who", ["teacher", "guardian", "youth_worker"])
def test_people_outside_the_school_office_are_refused(client, school, who):
    school_obj = school["group"].school
    user = {
        "teacher": lambda: staff(Role.TEACHER, school=school_obj, groups=[school["group"]]),
        "guardian": lambda: GuardianshipFactory(child=school["emma"]).user,
        "youth_worker": lambda: staff(Role.YOUTH_WORKER),
    }[who]()
    user.is_demo = True
    user.save()
    for url in ("leerlingen", "groepen", "ouders", "uitnodigingen", "gezag"):
        response, html = _get(client, user, f"/schoolbeheer/{url}/")
        assert response.status_code == 403 and "Emma" not in html
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/school/pupils/").status_code == 403


def test_the_api_lists_the_same_pupils_under_the_same_policy_and_logs_them(school):
    api = APIClient()
    api.force_authenticate(school["admin"])
    data = api.get("/api/v1/school/pupils/", {"q": "emma de vries"}).json()
    assert [row["first_name"] for row in data["results"]] == ["Emma"]
    assert AccessLogEntry.objects.filter(actor=school["admin"], child=school["emma"], channel="api").exists()
    groups = api.get("/api/v1/school/groups/", {"jaar": "2026-2027"}).json()["results"]
    assert {g["name"]: g["pupil_count"] for g in groups} == {"Groep 5a": 1, "Plusklas": 1}
    GuardianshipFactory(child=school["emma"])
    guardians = api.get("/api/v1/school/guardians/").json()["results"]
    assert guardians[0]["invitation"]["key"] == "active" and guardians[0]["authority_status"] == "confirmed"
    assert api.get("/api/v1/school/invitations/").json()["results"] == []


def test_the_menu_links_to_the_school_office_only_for_its_staff(client, school):
    _r, html = _get(client, school["admin"], "/")
    assert 'href="/schoolbeheer/leerlingen/"' in html
    teacher = staff(Role.TEACHER, school=school["group"].school, user=UserFactory(is_demo=True))
    _r, html = _get(client, teacher, "/")
    assert "/schoolbeheer/" not in html
