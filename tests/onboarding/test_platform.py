"""The platform administrator sets up boards, schools and care organisations without code, and never sees a child."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import Invite, User
from apps.audit.models import AccessLogEntry
from apps.organisations.models import AdminLogEntry, Board, CareOrganisation, Membership, Role, School
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

from .conftest import security_events, token_of

pytestmark = pytest.mark.django_db

PASSWORD = {"password1": "een-lang-wachtwoord-9", "password2": "een-lang-wachtwoord-9"}


def test_the_platform_admin_creates_a_board_with_a_school_and_invites_its_first_administrator(
    client, platform_admin, django_capture_on_commit_callbacks
):
    client.force_login(platform_admin)
    response = client.post("/platform/besturen/nieuw/", {"name": "Stichting Kindwijs"})
    board = Board.objects.get(name="Stichting Kindwijs")
    assert response.status_code == 302 and response.url == f"/platform/besturen/{board.pk}/"
    data = {"name": "De Regenboog", "brin": "07xy", "vestiging": "01", "city": "Zwolle", "board": board.pk}
    assert client.post("/platform/scholen/nieuw/", data).status_code == 302
    school = School.objects.get(name="De Regenboog")
    assert (school.brin, school.vestiging, school.board, school.city) == ("07XY", "01", board, "Zwolle")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/platform/scholen/{school.pk}/beheerder-uitnodigen/",
            {"email": "Directie@Regenboog.example", "role": "director"},
        )
    assert response.status_code == 302
    invite = Invite.objects.get(kind=Invite.Kind.STAFF)
    assert (invite.email, invite.role, invite.school) == ("directie@regenboog.example", Role.DIRECTOR, school)
    assert len(mail.outbox) == 1 and "directeur bij De Regenboog" in mail.outbox[0].body
    descriptions = list(AdminLogEntry.objects.order_by("pk").values_list("description", flat=True))
    assert descriptions == [
        "Bestuur Stichting Kindwijs aangemaakt.",
        "School De Regenboog (BRIN 07XY-01) aangemaakt.",
        "directie@regenboog.example uitgenodigd als directeur bij De Regenboog.",
    ]
    assert AdminLogEntry.objects.filter(board=board).count() == 3  # the school's entries carry its board


def test_accepting_a_staff_invite_creates_the_membership_and_the_new_account_must_set_up_two_factor(
    client, platform_admin, django_capture_on_commit_callbacks
):
    organisation = CareOrganisation.objects.create(name="CJG Zwolle", kind=CareOrganisation.Kind.CJG)
    client.force_login(platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/platform/organisaties/{organisation.pk}/beheerder-uitnodigen/",
            {"email": "beheer@cjg.example", "role": "org_admin"},
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/uitnodiging/" in line)
    client.logout()
    response = client.post(f"/uitnodiging/{token_of(link)}/", {"full_name": "Carla Cjg", **PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="beheer@cjg.example")
    assert Membership.objects.filter(user=user, role=Role.ORG_ADMIN, organisation=organisation, active=True).exists()
    home = client.get("/")
    assert home.status_code == 302 and home.url == reverse("enrol_two_factor")
    # Accepting the invite proved the mailbox: this session may set up TOTP without a second e-mail link.
    # (allauth still asks for the password once more before showing the set-up page.)
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 302 and setup.url.startswith("/accounts/reauthenticate/")
    assert AdminLogEntry.objects.filter(action="accept", organisation=organisation, actor=user).exists()
    client.logout()
    assert client.get(f"/uitnodiging/{token_of(link)}/").status_code == 410  # single use


@pytest.mark.parametrize("brin", ["1234", "AB12", "12A", "12ABC", ""])
def test_a_malformed_brin_is_refused_in_dutch(client, platform_admin, brin):
    client.force_login(platform_admin)
    response = client.post("/platform/scholen/nieuw/", {"name": "School X", "brin": brin, "vestiging": "00"})
    assert response.status_code == 200 and not School.objects.filter(name="School X").exists()
    page = response.content.decode()
    assert any(
        text in page for text in ("twee cijfers en twee letters", "Dit veld is vereist", "niet meer dan 4 tekens")
    )


def test_a_duplicate_brin_and_vestiging_is_refused_and_another_vestiging_is_fine(client, platform_admin):
    School.objects.create(name="De Wegwijzer", brin="12AB", vestiging="00")
    client.force_login(platform_admin)
    response = client.post("/platform/scholen/nieuw/", {"name": "Kopie", "brin": "12ab", "vestiging": "00"})
    assert response.status_code == 200
    assert "Er is al een school met BRIN 12AB en vestiging 00: De Wegwijzer." in response.content.decode()
    assert (
        client.post("/platform/scholen/nieuw/", {"name": "Dependance", "brin": "12AB", "vestiging": "01"}).status_code
        == 302
    )
    assert School.objects.filter(brin="12AB").count() == 2


def test_care_organisations_of_each_kind_are_created(client, platform_admin):
    client.force_login(platform_admin)
    for kind in ("cjg", "wijkteam", "ggd", "leerplicht"):
        assert client.post("/platform/organisaties/nieuw/", {"name": f"Org {kind}", "kind": kind}).status_code == 302
    assert set(CareOrganisation.objects.values_list("kind", flat=True)) == {"cjg", "wijkteam", "ggd", "leerplicht"}


def test_deactivating_a_school_asks_first_then_cuts_its_people_off_at_once(client, platform_admin, world):
    school, teacher, child = world["school"], world["teacher"], world["child"]
    client.force_login(teacher)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 200
    client.force_login(platform_admin)
    confirm = client.get(f"/platform/scholen/{school.pk}/deactiveren/")
    assert confirm.status_code == 200 and "verliezen meteen de toegang" in confirm.content.decode()
    school.refresh_from_db()
    assert school.active  # a GET changes nothing
    assert client.post(f"/platform/scholen/{school.pk}/deactiveren/", {}).status_code == 200  # not confirmed
    assert client.post(f"/platform/scholen/{school.pk}/deactiveren/", {"confirm": "on"}).status_code == 302
    school.refresh_from_db()
    assert not school.active and School.objects.filter(pk=school.pk).exists()  # never deleted
    client.force_login(teacher)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 403
    client.force_login(platform_admin)
    client.post(f"/platform/scholen/{school.pk}/activeren/")
    client.force_login(teacher)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 200
    actions = list(AdminLogEntry.objects.filter(school=school).values_list("action", flat=True))
    assert "deactivate" in actions and "reactivate" in actions


def test_deactivating_a_board_cuts_off_the_staff_of_its_schools(client, platform_admin, world):
    client.force_login(platform_admin)
    client.post(f"/platform/besturen/{world['board'].pk}/deactiveren/", {"confirm": "on"})
    assert not Membership.objects.effective().filter(user=world["teacher"]).exists()
    assert Membership.objects.effective().filter(user=world["other_admin"]).exists()  # school without this board
    client.force_login(world["teacher"])
    assert client.get(f"/kinderen/{world['child'].pk}/").status_code == 403


def test_deactivating_a_care_organisation_ends_its_workers_consented_access(platform_admin, world):
    from django.utils import timezone

    from apps.access.policy import decide
    from apps.consent import services as consent_services
    from apps.organisations import services
    from tests.factories import circle_member, staff

    from .conftest import with_totp

    organisation = CareOrganisation.objects.create(name="CJG", kind="cjg")
    worker = with_totp(staff(Role.YOUTH_WORKER, organisation=organisation))
    child = world["child"]
    circle_member(child, worker, organisation=organisation)
    mother = GuardianshipFactory(child=child).user
    consent_services.request_consent(
        child=child, by=mother, organisation=organisation, categories=["basic"], starts_on=timezone.localdate()
    )
    assert decide(User.objects.get(pk=worker.pk), "view", child).allowed
    services.set_active(by=platform_admin, obj=organisation, active=False)
    assert not decide(User.objects.get(pk=worker.pk), "view", child).allowed
    services.set_active(by=platform_admin, obj=organisation, active=True)
    assert decide(User.objects.get(pk=worker.pk), "view", child).allowed


def test_the_platform_admins_pages_show_no_child_data_and_write_no_child_log(client, platform_admin, world):
    child = world["child"]
    CareOrganisation.objects.create(name="CJG Rivierstad", kind="cjg")
    client.force_login(platform_admin)
    school, board = world["school"], world["board"]
    urls = [
        "/platform/",
        "/platform/besturen/",
        "/platform/scholen/",
        "/platform/organisaties/",
        "/platform/gebruikers/",
        f"/platform/besturen/{board.pk}/",
        f"/platform/scholen/{school.pk}/",
        f"/platform/scholen/{school.pk}/deactiveren/",
        f"/platform/scholen/{school.pk}/beheerder-uitnodigen/",
        "/organisatie/beheerlog/",
        "/api/v1/admin-log/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert child.first_name not in page and child.last_name not in page, url
    assert AccessLogEntry.objects.count() == 0


def test_the_platform_admin_is_refused_a_childs_page_and_the_refusal_is_logged(client, platform_admin, world, caplog):
    child = world["child"]
    client.force_login(platform_admin)
    assert client.get(f"/kinderen/{child.pk}/").status_code == 403
    assert client.get(f"/api/v1/children/{child.pk}/").status_code in (403, 404)
    refused = AccessLogEntry.objects.filter(child=child, actor=platform_admin, allowed=False)
    assert refused.exists()
    assert security_events(caplog, "access_denied")


@pytest.mark.parametrize("who", ["teacher", "admin", "board_admin", "guardian"])
def test_nobody_else_reaches_the_platform_pages_and_the_refusal_is_logged(client, world, caplog, who):
    user = GuardianshipFactory(child=world["child"]).user if who == "guardian" else world[who]
    client.force_login(user)
    for url in ("/platform/", "/platform/scholen/nieuw/", f"/platform/scholen/{world['school'].pk}/deactiveren/"):
        assert client.get(url).status_code == 403, url
    response = client.post("/platform/besturen/nieuw/", {"name": "Stiekem"})
    assert response.status_code == 403 and not Board.objects.filter(name="Stiekem").exists()
    assert len(security_events(caplog, "admin_refused")) == 4


def test_the_lists_are_searchable_and_paginated(client, platform_admin):
    School.objects.bulk_create([School(name=f"School {n:02d}", brin=f"{n:02d}ZZ", city="Deventer") for n in range(30)])
    School.objects.create(name="De Eik", brin="99EE", city="Apeldoorn")
    client.force_login(platform_admin)
    first = client.get("/platform/scholen/").content.decode()
    assert "Pagina 1 van 2" in first
    found = client.get("/platform/scholen/?q=apeldoorn").content.decode()
    assert "De Eik" in found and "School 01" not in found
    assert "Niets gevonden" in client.get("/platform/scholen/?q=bestaatniet").content.decode()


def test_the_user_list_shows_professionals_with_their_roles_but_no_guardians(client, platform_admin, world):
    guardian = GuardianshipFactory(child=world["child"]).user
    client.force_login(platform_admin)
    page = client.get("/platform/gebruikers/").content.decode()
    assert "Tom Leraar" in page and "leerkracht" in page and guardian.email not in page
    assert "Tom Leraar" not in client.get("/platform/gebruikers/?q=sanne").content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _more_boards_and_schools(start: int, count: int) -> None:
    for n in range(start, start + count):
        board = Board.objects.create(name=f"Bestuur {n}")
        school = School.objects.create(name=f"School {n}", brin=f"{n:02d}QQ", board=board)
        Membership.objects.create(user=UserFactory(), role=Role.TEACHER, school=school)


@pytest.mark.parametrize("url", ["/platform/scholen/", "/platform/besturen/", "/platform/gebruikers/"])
def test_the_list_pages_cost_the_same_number_of_queries_for_many_rows(client, platform_admin, url):
    _more_boards_and_schools(0, 2)
    client.force_login(platform_admin)
    _queries(client, url)  # warm the session
    few = _queries(client, url)
    _more_boards_and_schools(2, 30)
    assert _queries(client, url) == few


def test_a_platform_admin_sees_the_menu_link_and_a_teacher_does_not(client, platform_admin, world):
    client.force_login(platform_admin)
    assert "Platformbeheer" in client.get("/platform/").content.decode()
    client.force_login(world["teacher"])
    page = client.get("/").content.decode()
    assert "Platformbeheer" not in page and "Medewerkers" not in page


def test_there_is_no_way_to_delete_a_school(platform_admin, world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world["school"].delete()
    ChildFactory  # noqa: B018 - the school holds pupils; PROTECT keeps it


def test_the_demo_school_has_a_board_and_its_administrator_is_in_the_printed_log_ins(client, settings):
    from apps.demo import school as demo

    demo.build()
    board = Board.objects.get(name=demo.BOARD_NAME)
    assert School.objects.get(name=demo.SCHOOL_NAME).board == board
    rows = {row["role"]: row["email"] for row in demo.accounts_listing()}
    assert rows["beheerder van het bestuur"] == "bestuur@demo.driehoek.example"
    settings.DEMO_SKIP_TWO_FACTOR = True
    client.force_login(User.objects.get(email=rows["beheerder van het bestuur"]))
    page = client.get("/organisatie/beheerlog/")
    assert page.status_code == 200
    assert client.get(f"/kinderen/{School.objects.get(name=demo.SCHOOL_NAME).pupils.first().pk}/").status_code == 403
