"""Pages, access by school membership (rules.school_access) and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import ActionItem, Meeting
from apps.meetings.permissions import SchoolAccess, can_follow, can_organise, school_access
from apps.organisations.models import Membership, Role
from tests.factories import CareOrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


# --- the rule ---------------------------------------------------------------------------------------


def test_staff_organise_and_guardians_follow_their_own_school(school_world):
    school = school_world["school"]
    assert school_access(school_world["teacher"], school) is SchoolAccess.ORGANISE
    assert school_access(school_world["guardians"][0], school) is SchoolAccess.FOLLOW
    assert can_follow(school_world["guardians"][0], school) and not can_organise(school_world["guardians"][0], school)


def test_rule_refuses_outsiders_other_schools_inactive_staff_and_youth_workers(school_world):
    school = school_world["school"]
    assert school_access(school_world["elsewhere"], school) is SchoolAccess.NONE, "guardian at another school"
    assert school_access(UserFactory(), school) is SchoolAccess.NONE, "a stranger"
    cjg = staff(Role.YOUTH_WORKER, organisation=CareOrganisationFactory())
    assert school_access(cjg, school) is SchoolAccess.NONE, "youth-care workers do not organise school meetings"
    Membership.objects.filter(user=school_world["ib"]).update(active=False)
    assert school_access(school_world["ib"], school) is SchoolAccess.NONE, "a former staff member"
    from django.contrib.auth.models import AnonymousUser

    assert school_access(AnonymousUser(), school) is SchoolAccess.NONE
    assert school_access(school_world["teacher"], None) is SchoolAccess.NONE


# --- pages ------------------------------------------------------------------------------------------


def test_staff_build_a_meeting_from_the_template_through_the_page(client, school_world):
    client.force_login(school_world["ib"])
    starts = timezone.localtime() + timedelta(days=10)
    response = client.post(
        reverse("meetings:create"),
        {
            "school": school_world["school"].pk,
            "kind": "learning_community",
            "title": "Leergemeenschap 1",
            "starts_at": starts.strftime("%Y-%m-%dT19:00"),
            "rsvp_deadline": (starts - timedelta(days=3)).strftime("%Y-%m-%dT12:00"),
            "location": "Teamkamer",
            "invitation_text": "",
            "use_template": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Inloop met koffie, thee en koekjes" in page
    assert "135 minuten (19:00–21:15)" in page


def test_overlapping_agenda_item_page_shows_dutch_error(client, school_world, meeting):
    client.force_login(school_world["ib"])
    first = meeting.agenda.first()
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"start": first.start.strftime("%H:%M"), "duration": 10, "topic": "Dubbel"},
        follow=True,
    )
    assert "overlapt met" in response.content.decode()
    assert not meeting.agenda.filter(topic="Dubbel").exists()


def test_guardians_and_other_schools_cannot_open_the_organiser_pages(client, school_world, meeting):
    for user in (school_world["guardians"][0], school_world["elsewhere"]):
        client.force_login(user)
        assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 403
        assert client.post(reverse("meetings:divide", args=[meeting.pk]), {"n_groups": 2}).status_code == 403
        assert client.get(reverse("meetings:actions", args=[meeting.school.pk])).status_code == 403
    client.force_login(school_world["teacher"])
    assert client.get(reverse("meetings:detail", args=[999999])).status_code == 404


def test_invite_a_class_rsvp_and_late_rsvp_through_the_pages(client, school_world, meeting):
    client.force_login(school_world["ib"])
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"audience": "class", "group": school_world["group"].pk})
    assert meeting.invitations.count() == 6
    parent = school_world["guardians"][0]
    client.force_login(parent)
    page = client.get(reverse("meetings:rsvp", args=[meeting.pk])).content.decode()
    assert "Beste Ouder 0" in page
    client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"reply": "yes"})
    assert meeting.invitations.get(user=parent).reply == "yes"
    Meeting.objects.filter(pk=meeting.pk).update(rsvp_deadline=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("meetings:rsvp", args=[meeting.pk]), {"reply": "no"})
    assert "Aanmelden kon tot" in response.content.decode()
    assert meeting.invitations.get(user=parent).reply == "yes"
    client.force_login(school_world["seventh"])
    assert client.get(reverse("meetings:rsvp", args=[meeting.pk])).status_code == 404, "not invited"


def _meeting_with_actions(school_world, meeting):
    services.invite(meeting, school_world["guardians"], kind="guardian")
    services.invite(meeting, services.school_staff(meeting), kind="staff")
    for invitation in meeting.invitations.all():
        services.respond(invitation, "yes")
    services.set_leaders(meeting, meeting.invitations.filter(kind="staff").values_list("pk", flat=True))
    services.add_theme(meeting, title="Korte lijntjes")
    table = services.divide_into_tables(meeting, 2)[0]
    outcome = services.add_outcome(table, "Ouders willen sneller horen hoe het gaat.")
    action = services.create_action(
        school=meeting.school,
        by=school_world["ib"],
        title="Elke vrijdag een kort bericht",
        owner=school_world["teacher"],
        principles=services.principles_from_text(meeting.school, "korte lijntjes"),
        meeting=meeting,
        outcome=outcome,
    )
    services.add_update(action, by=school_world["teacher"], text="Groep 5 doet mee", status="started", version=1)
    return action


def test_guardian_sees_you_said_we_did_with_status_and_latest_update(client, school_world, meeting):
    _meeting_with_actions(school_world, meeting)
    services.add_theme(meeting, title="Nog niet besproken")
    client.force_login(school_world["seventh"])  # a guardian of the school who was not invited
    page = client.get(reverse("meetings:feedback", args=[meeting.school.pk])).content.decode()
    assert "Nog niet besproken" not in page, "a theme without input or actions is not shown"
    assert "Korte lijntjes" in page
    assert "Ouders willen sneller horen hoe het gaat." in page
    assert "Elke vrijdag een kort bericht" in page and "in gang gezet" in page and "Groep 5 doet mee" in page
    printable = client.get(reverse("meetings:feedback", args=[meeting.school.pk]) + "?afdrukken=1")
    assert "Elke vrijdag een kort bericht" in printable.content.decode()


def test_feedback_page_is_refused_to_guardians_of_other_schools(client, school_world, meeting):
    client.force_login(school_world["elsewhere"])
    assert client.get(reverse("meetings:feedback", args=[meeting.school.pk])).status_code == 403
    assert client.get(reverse("meetings:feedback_pdf", args=[meeting.school.pk])).status_code == 403


def test_feedback_pdf_is_a_pdf(client, school_world, meeting):
    _meeting_with_actions(school_world, meeting)
    client.force_login(school_world["guardians"][1])
    response = client.get(reverse("meetings:feedback_pdf", args=[meeting.school.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_feedback_page_queries_do_not_grow_with_actions(client, school_world, meeting, django_assert_max_num_queries):
    _meeting_with_actions(school_world, meeting)
    client.force_login(school_world["guardians"][0])
    url = reverse("meetings:feedback", args=[meeting.school.pk])
    client.get(url)
    services.import_seed_actions(meeting.school, school_world["director"])
    for action in ActionItem.objects.all():
        services.add_update(
            action, by=school_world["director"], text="Nieuws", status="started", version=action.version
        )
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.content.decode().count("Nieuws") >= 8


def test_import_button_and_action_update_page(client, school_world):
    client.force_login(school_world["director"])
    client.post(reverse("meetings:import_actions", args=[school_world["school"].pk]))
    assert ActionItem.objects.count() == 8
    action = ActionItem.objects.get(number=3)
    response = client.post(
        reverse("meetings:action", args=[action.pk]),
        {"text": "Parro-berichten gestart", "status": "started", "version": 1},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "started"
    stale = client.post(reverse("meetings:action", args=[action.pk]), {"text": "oud", "status": "done", "version": 1})
    assert "Iemand anders" in stale.content.decode()


def test_menu_link_for_staff_and_guardians_only(client, school_world):
    from apps.meetings.links import nav_links

    assert nav_links(school_world["teacher"]) and nav_links(school_world["guardians"][0])
    assert nav_links(UserFactory()) == []


# --- API --------------------------------------------------------------------------------------------


def test_api_meetings_groups_and_actions_for_staff(client, school_world, meeting):
    _meeting_with_actions(school_world, meeting)
    client.force_login(school_world["ib"])
    meetings = client.get("/api/v1/meetings/").json()["results"]
    assert meetings[0]["title"] == "Ouderavond partnerschap" and meetings[0]["agenda_total_minutes"] == 135
    groups = client.get(f"/api/v1/meetings/{meeting.pk}/groups/").json()
    assert len(groups) == 2 and groups[0]["explanation"].startswith("groep 1:")
    actions = client.get("/api/v1/meeting-actions/").json()["results"]
    assert actions[0]["principles"] == ["korte lijntjes"] and actions[0]["status"] == "started"


def test_api_division_refusal_is_dutch_and_changes_nothing(client, school_world, meeting):
    services.invite(meeting, school_world["guardians"], kind="guardian")
    for invitation in meeting.invitations.all():
        services.respond(invitation, "yes")
    client.force_login(school_world["ib"])
    response = client.post(f"/api/v1/meetings/{meeting.pk}/groups/", {"n_groups": 2}, content_type="application/json")
    assert response.status_code == 400
    assert "gespreksleiders" in response.json()["detail"][0]
    assert not meeting.tables.exists()


def test_api_hides_other_schools_meetings(client, school_world, meeting):
    other = staff(Role.TEACHER, school=school_world["elsewhere"].guardianships.first().child.school)
    other.is_demo = True
    other.save()
    client.force_login(other)
    assert client.get("/api/v1/meetings/").json()["results"] == []
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/api/v1/meetings/{meeting.pk}/groups/").status_code == 404
    client.force_login(school_world["guardians"][0])
    assert client.get("/api/v1/meeting-actions/").json()["results"] == []


def test_organiser_page_queries_do_not_grow_with_invitations_and_tables(
    client, school_world, meeting, django_assert_max_num_queries
):
    _meeting_with_actions(school_world, meeting)
    client.force_login(school_world["ib"])
    url = reverse("meetings:detail", args=[meeting.pk])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(20):
        user = UserFactory(full_name=f"Extra ouder {i}")
        services.invite(meeting, [user], kind="guardian")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "Extra ouder 19" in response.content.decode()


def test_checklist_and_agenda_can_be_adjusted_and_the_total_follows(client, school_world, meeting):
    client.force_login(school_world["ib"])
    client.post(reverse("meetings:checklist_add", args=[meeting.pk]), {"text": "Tolk regelen"})
    assert meeting.checklist.filter(text="Tolk regelen").exists()
    pause = meeting.agenda.get(topic="Pauze")
    client.post(reverse("meetings:agenda_delete", args=[meeting.pk, pause.pk]))
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "125 minuten" in page
    other = Meeting.objects.create(
        school=meeting.school,
        organiser=school_world["ib"],
        title="ander",
        starts_at=meeting.starts_at,
        rsvp_deadline=meeting.rsvp_deadline,
    )
    item = meeting.agenda.first()
    assert client.post(reverse("meetings:agenda_delete", args=[other.pk, item.pk])).status_code == 404


def test_api_progress_update_on_an_action_and_stale_version_refused(client, school_world):
    services.import_seed_actions(school_world["school"], school_world["director"])
    action = ActionItem.objects.get(number=8)
    client.force_login(school_world["ib"])
    url = f"/api/v1/meeting-actions/{action.pk}/updates/"
    response = client.post(
        url, {"text": "Concept klaar", "status": "started", "version": 1}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "started"
    stale = client.post(url, {"text": "oud", "status": "done", "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and "Iemand anders" in stale.json()["detail"][0]
    action.refresh_from_db()
    assert action.status == "started" and action.updates.count() == 1
    client.force_login(school_world["guardians"][0])
    assert client.post(
        url, {"text": "x", "status": "done", "version": 2}, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
