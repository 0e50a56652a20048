"""The school administrator adds, changes and removes staff; removing ends access, sessions and circles."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail

from apps.accounts.models import Invite, User
from apps.audit.models import AccessLogEntry
from apps.circles.models import CircleMember, CoordinatorHandover
from apps.organisations import services
from apps.organisations.models import AdminLogEntry, Membership, Role
from tests.factories import GroupFactory, GuardianshipFactory, UserFactory, circle_member, staff

from .conftest import security_events, token_of, with_totp

pytestmark = pytest.mark.django_db

PASSWORD = {"password1": "een-lang-wachtwoord-9", "password2": "een-lang-wachtwoord-9"}


def _staff_url(world, suffix=""):
    return f"/organisatie/scholen/{world['school'].pk}/medewerkers/{suffix}"


def test_adding_a_new_teacher_invites_them_and_accepting_gives_the_role_with_the_groups(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _staff_url(world, "nieuw/"),
            {"email": "nieuw@school.example", "role": "teacher", "groups": [world["group"].pk]},
        )
    assert response.status_code == 302
    invite = Invite.objects.get(kind=Invite.Kind.STAFF, email="nieuw@school.example")
    assert invite.school == world["school"] and invite.role == Role.TEACHER
    link = next(line for line in mail.outbox[0].body.splitlines() if "/uitnodiging/" in line)
    client.logout()
    client.post(f"/uitnodiging/{token_of(link)}/", {"full_name": "Nina Nieuw", **PASSWORD})
    membership = Membership.objects.get(user__email="nieuw@school.example")
    assert membership.role == Role.TEACHER and list(membership.groups.all()) == [world["group"]]
    response = client.get(f"/kinderen/{world['child'].pk}/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/inschrijven/"  # two-factor first
    with_totp(membership.user)
    assert client.get(f"/kinderen/{world['child'].pk}/").status_code == 200


def test_adding_someone_who_already_has_an_account_gives_the_role_at_once(client, world):
    existing = UserFactory(email="ouder.en.juf@example.org")
    client.force_login(world["admin"])
    client.post(_staff_url(world, "nieuw/"), {"email": "Ouder.en.Juf@example.org", "role": "ib"})
    assert Membership.objects.filter(user=existing, role=Role.IB, school=world["school"], active=True).exists()
    assert not Invite.objects.filter(kind=Invite.Kind.STAFF).exists()
    response = client.post(_staff_url(world, "nieuw/"), {"email": existing.email, "role": "ib"})
    assert "heeft deze rol hier al" in response.content.decode()


def test_groups_of_another_school_cannot_be_given(world):
    other_group = GroupFactory(school=world["other"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.add_staff(
            by=world["admin"], school=world["school"], email="x@y.example", role="teacher", groups=[other_group]
        )


def test_changing_a_teacher_moves_them_to_other_groups_and_is_logged(client, world):
    new_group = GroupFactory(school=world["school"], name="Groep 6")
    membership = world["teacher"].memberships.get()
    client.force_login(world["admin"])
    response = client.post(_staff_url(world, f"{membership.pk}/"), {"role": "teacher", "groups": [new_group.pk]})
    assert response.status_code == 302
    assert list(membership.groups.all()) == [new_group]
    entry = AdminLogEntry.objects.get(action="change_staff")
    assert "Groep 6" in entry.description and entry.school == world["school"]
    client.force_login(world["teacher"])
    assert client.get(f"/kinderen/{world['child'].pk}/").status_code == 403  # no longer the child's class


def test_the_last_staff_manager_cannot_remove_or_demote_themselves(client, world):
    membership = world["admin"].memberships.get()
    client.force_login(world["admin"])
    response = client.post(_staff_url(world, f"{membership.pk}/"), {"role": "teacher"})
    assert response.status_code == 200 and "Er moet iemand overblijven" in response.content.decode()
    response = client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), {"confirm": "on"})
    assert response.status_code == 200 and "Er moet iemand overblijven" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).active


def test_removing_staff_asks_first_then_ends_access_sessions_and_circles(client, world):
    teacher, child = world["teacher"], world["child"]
    circle_member(child, teacher, role="leerkracht", school=world["school"])
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    UserSession.objects.create(user=teacher, session_key=teacher_client.session.session_key, ip="127.0.0.1")
    assert teacher_client.get(f"/kinderen/{child.pk}/").status_code == 200
    membership = teacher.memberships.get()
    client.force_login(world["admin"])
    page = client.get(_staff_url(world, f"{membership.pk}/verwijderen/"))
    assert page.status_code == 200 and "De toegang tot deze school stopt meteen" in page.content.decode()
    assert client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), {}).status_code == 200  # not confirmed
    assert Membership.objects.get(pk=membership.pk).active
    response = client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), {"confirm": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.active and membership.ended_at is not None
    assert not Session.objects.filter(session_key=teacher_client.session.session_key).exists()
    assert teacher_client.get(f"/kinderen/{child.pk}/").status_code == 302  # logged out: to the log-in page
    assert CircleMember.objects.get(child=child, user=teacher).until is not None
    assert User.objects.filter(pk=teacher.pk).exists()  # the account stays (they may be a parent too)
    assert AdminLogEntry.objects.filter(action="remove_staff", school=world["school"]).exists()


def test_a_removed_teacher_who_is_also_a_parent_keeps_their_session(client, world):
    teacher = world["teacher"]
    GuardianshipFactory(user=teacher)
    other_school_role = staff(Role.TEACHER, school=world["other"], user=teacher)
    teacher_client = client.__class__()
    teacher_client.force_login(teacher)
    UserSession.objects.create(user=teacher, session_key=teacher_client.session.session_key, ip="127.0.0.1")
    services.remove_staff(by=world["admin"], membership=teacher.memberships.get(school=world["school"]))
    assert Session.objects.filter(session_key=teacher_client.session.session_key).exists()
    assert other_school_role


def test_a_leaving_coordinator_needs_a_new_coordinator_and_a_handover_note(client, world):
    teacher, child = world["teacher"], world["child"]
    circle_member(child, teacher, role="leerkracht", school=world["school"], coordinator=True)
    ib = with_totp(staff(Role.IB, school=world["school"], user=UserFactory(full_name="Ilse Ib")))
    membership = teacher.memberships.get()
    client.force_login(world["admin"])
    page = client.get(_staff_url(world, f"{membership.pk}/verwijderen/")).content.decode()
    assert child.full_name in page and "Warme overdracht" in page
    listed = AccessLogEntry.objects.filter(child=child, actor=world["admin"], action="list", allowed=True)
    assert listed.exists()  # the remover read the child's name: logged
    response = client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), {"confirm": "on"})
    assert response.status_code == 200 and Membership.objects.get(pk=membership.pk).active
    data = {
        "confirm": "on",
        f"coordinator_{child.pk}": ib.pk,
        f"note_{child.pk}": "Ilse neemt het over, zij kent Fenna.",
    }
    assert client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), data).status_code == 302
    handover = CoordinatorHandover.objects.get(child=child)
    assert handover.previous == teacher and handover.new == ib and handover.by == world["admin"]
    coordinator = CircleMember.objects.get(child=child, is_coordinator=True)
    assert coordinator.user == ib
    assert not Membership.objects.get(pk=membership.pk).active


@pytest.mark.parametrize("who", ["teacher", "other_admin", "youth_worker", "board_admin"])
def test_people_who_do_not_manage_this_schools_staff_are_refused_and_logged(client, world, caplog, who):
    user = with_totp(staff(Role.YOUTH_WORKER)) if who == "youth_worker" else world[who]
    membership = world["teacher"].memberships.get()
    client.force_login(user)
    for url in (_staff_url(world), _staff_url(world, "nieuw/"), _staff_url(world, f"{membership.pk}/")):
        assert client.get(url).status_code == 403, url
    response = client.post(_staff_url(world, f"{membership.pk}/verwijderen/"), {"confirm": "on"})
    assert response.status_code == 403 and Membership.objects.get(pk=membership.pk).active
    assert len(security_events(caplog, "admin_refused")) == 4


def test_the_staff_list_is_searchable_paginated_and_shows_no_pupils(client, world):
    for n in range(30):
        staff(Role.TEACHER, school=world["school"], user=UserFactory(full_name=f"Collega {n:02d}"))
    client.force_login(world["admin"])
    page = client.get(_staff_url(world)).content.decode()
    assert "Pagina 1 van 2" in page and world["child"].last_name not in page
    found = client.get(_staff_url(world) + "?q=tom").content.decode()
    assert "Tom Leraar" in found and "Collega 01" not in found
    assert AccessLogEntry.objects.count() == 0


def test_the_staff_list_costs_the_same_queries_for_ten_or_forty_staff(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(_staff_url(world)).status_code == 200
        return len(context)

    client.force_login(world["admin"])
    count()
    for n in range(8):
        staff(Role.TEACHER, school=world["school"], groups=[world["group"]])
    few = count()
    for n in range(20):
        staff(Role.TEACHER, school=world["school"], groups=[world["group"]])
    assert count() == few


def test_the_menu_offers_staff_and_the_admin_log_to_the_school_administrator(client, world):
    client.force_login(world["admin"])
    page = client.get("/").content.decode()
    assert "Medewerkers" in page and "Beheerlog" in page
    assert client.get("/organisatie/medewerkers/").url == _staff_url(world)
