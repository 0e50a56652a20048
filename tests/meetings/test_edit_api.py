"""The API that changes a meeting, its agenda, themes and action team, and creates actions: the web pages'
rules (deadline, overlap, stale versions, owner at the school) and only for staff of the meeting's school."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import ActionItem, AgendaItem, Meeting, Theme, WorkingPrinciple
from apps.organisations.models import Membership, Role
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def outsiders(school_world):
    """Everyone who must not manage the meeting: a guardian of the school, staff of another school, and a
    teacher who left the school."""
    other_school = school_world["elsewhere"].guardianships.first().child.school
    other_staff = staff(Role.TEACHER, school=other_school, user=UserFactory(is_demo=True, full_name="Elders"))
    former = staff(Role.TEACHER, school=school_world["school"], user=UserFactory(is_demo=True, full_name="Weg"))
    Membership.objects.filter(user=former).update(active=False)
    return {"guardian": school_world["guardians"][0], "other school": other_staff, "former staff": former}


def _refused(client, outsiders, method, url, data):
    for who, user in outsiders.items():
        client.force_login(user)
        response = getattr(client, method)(url, data, content_type=JSON)
        assert response.status_code in (403, 404), f"{who} was not refused: {response.status_code}"


# --- PATCH /meetings/{id}/ -----------------------------------------------------------------------------


def test_staff_change_a_meetings_details(client, school_world, meeting):
    client.force_login(school_world["teacher"])
    starts = meeting.starts_at + timedelta(days=7)
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {
            "title": "Ouderavond (verplaatst)",
            "kind": "study_day",
            "starts_at": starts.isoformat(),
            "rsvp_deadline": (starts - timedelta(days=1)).isoformat(),
            "location": "Gymzaal",
            "invitation_text": "Nieuwe datum!",
            "version": 1,
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["location"], body["version"]) == ("Ouderavond (verplaatst)", "Gymzaal", 2)
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.starts_at, meeting.invitation_text) == ("study_day", starts, "Nieuwe datum!")
    assert meeting.rsvp_deadline == starts - timedelta(days=1)


def test_patch_sends_only_what_changes(client, school_world, meeting):
    client.force_login(school_world["ib"])
    response = client.patch(f"/api/v1/meetings/{meeting.pk}/", {"location": "Kantine", "version": 1}, JSON)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.location, meeting.title, meeting.version) == ("Kantine", "Ouderavond partnerschap", 2)


def test_stale_meeting_edit_gives_409_with_the_current_meeting(client, school_world, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(title="Titel van een collega", version=2)
    client.force_login(school_world["ib"])
    response = client.patch(f"/api/v1/meetings/{meeting.pk}/", {"title": "Mijn titel", "version": 1}, JSON)
    assert response.status_code == 409
    body = response.json()
    assert "Iemand anders heeft dit intussen gewijzigd" in body["detail"][0]
    assert (body["current"]["title"], body["current"]["version"]) == ("Titel van een collega", 2)
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Titel van een collega", 2)


def test_deadline_after_the_start_is_refused_in_dutch_and_changes_nothing(client, school_world, meeting):
    client.force_login(school_world["ib"])
    late = (meeting.starts_at + timedelta(hours=1)).isoformat()
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/", {"title": "Fout", "rsvp_deadline": late, "version": 1}, JSON
    )
    assert response.status_code == 400
    assert "De aanmelddatum moet vóór het begin van de bijeenkomst liggen." in response.json()["detail"]
    # Moving the start before the existing deadline is the same mistake.
    early = (meeting.rsvp_deadline - timedelta(hours=1)).isoformat()
    response = client.patch(f"/api/v1/meetings/{meeting.pk}/", {"starts_at": early, "version": 1}, JSON)
    assert response.status_code == 400 and "aanmelddatum" in response.json()["detail"][0]
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Ouderavond partnerschap", 1)


def test_meeting_edit_is_refused_to_guardians_other_schools_and_former_staff(client, meeting, outsiders):
    _refused(client, outsiders, "patch", f"/api/v1/meetings/{meeting.pk}/", {"title": "Overgenomen", "version": 1})
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Ouderavond partnerschap", 1)


def test_put_is_not_offered(client, school_world, meeting):
    client.force_login(school_world["ib"])
    response = client.put(f"/api/v1/meetings/{meeting.pk}/", {"title": "X", "version": 1}, JSON)
    assert response.status_code == 405


# --- the agenda ----------------------------------------------------------------------------------------


def test_agenda_is_returned_in_running_order_past_midnight(client, school_world):
    """A late evening: 00:10 comes after 23:50, although the clock time is smaller."""
    day = timezone.localtime() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day.date(), time(23, 0)))
    late = services.create_meeting(
        school=school_world["school"],
        by=school_world["ib"],
        title="Nachtelijke sessie",
        kind="learning_community",
        starts_at=starts,
        rsvp_deadline=starts - timedelta(days=1),
        use_template=False,
    )
    services.add_agenda_item(late, start=time(0, 10), duration=20, topic="Afsluiting")
    services.add_agenda_item(late, start=time(23, 0), duration=50, topic="Welkom")
    services.add_agenda_item(late, start=time(23, 50), duration=20, topic="Dialoog")
    client.force_login(school_world["ib"])
    body = client.get(f"/api/v1/meetings/{late.pk}/").json()
    assert [item["topic"] for item in body["agenda"]] == ["Welkom", "Dialoog", "Afsluiting"]
    assert body["agenda_total_minutes"] == 90


def test_staff_add_an_agenda_item(client, school_world, meeting):
    client.force_login(school_world["teacher"])
    last = services.ordered_agenda(meeting)[-1]
    end = (datetime.combine(datetime.today(), last.start) + timedelta(minutes=last.duration)).time()
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/agenda/",
        {"start": end.strftime("%H:%M"), "duration": 15, "topic": "Borrel", "who": "actieteam"},
        JSON,
    )
    assert response.status_code == 201, response.content
    item = AgendaItem.objects.get(pk=response.json()["id"])
    assert (item.meeting, item.topic, item.who, item.duration, item.remark) == (meeting, "Borrel", "actieteam", 15, "")
    agenda = client.get(f"/api/v1/meetings/{meeting.pk}/").json()["agenda"]
    assert agenda[-1]["topic"] == "Borrel"


def test_overlapping_or_empty_agenda_item_is_refused_in_dutch(client, school_world, meeting):
    client.force_login(school_world["ib"])
    first = services.ordered_agenda(meeting)[0]
    url = f"/api/v1/meetings/{meeting.pk}/agenda/"
    response = client.post(url, {"start": first.start.strftime("%H:%M"), "duration": 10, "topic": "Dubbel"}, JSON)
    assert response.status_code == 400
    assert "overlapt met" in response.json()["detail"][0] and first.topic in response.json()["detail"][0]
    response = client.post(url, {"start": "06:00", "duration": 0, "topic": "Niets"}, JSON)
    assert response.status_code == 400
    assert response.json()["detail"] == ["Geef een duur van minstens één minuut."]
    assert meeting.agenda.count() == 9


def test_adding_agenda_items_is_refused_to_outsiders(client, meeting, outsiders):
    _refused(
        client,
        outsiders,
        "post",
        f"/api/v1/meetings/{meeting.pk}/agenda/",
        {"start": "06:00", "duration": 5, "topic": "X"},
    )
    assert not meeting.agenda.filter(topic="X").exists()


def test_staff_change_an_agenda_item_keeping_fields_not_sent(client, school_world, meeting):
    client.force_login(school_world["ib"])
    last = services.ordered_agenda(meeting)[-1]
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/agenda/{last.pk}/",
        {"topic": "Afsluiting met soep", "duration": 20, "version": 1},
        JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    last.refresh_from_db()
    assert (last.topic, last.duration, last.who, last.version) == ("Afsluiting met soep", 20, "school", 2)
    assert last.remark == "Hoe houden we contact over het onderwerp?"


def test_agenda_item_change_that_overlaps_is_refused_and_saves_nothing(client, school_world, meeting):
    client.force_login(school_world["ib"])
    first, second = services.ordered_agenda(meeting)[:2]
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/agenda/{first.pk}/", {"duration": 20, "topic": "Langer", "version": 1}, JSON
    )
    assert response.status_code == 400
    assert "overlapt met" in response.json()["detail"][0] and second.topic in response.json()["detail"][0]
    first.refresh_from_db()
    assert (first.duration, first.topic, first.version) == (15, "Inloop met koffie, thee en koekjes", 1)


def test_stale_agenda_item_change_gives_409_with_the_current_item(client, school_world, meeting):
    item = services.ordered_agenda(meeting)[0]
    AgendaItem.objects.filter(pk=item.pk).update(topic="Versie van een collega", version=2)
    client.force_login(school_world["ib"])
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/agenda/{item.pk}/", {"topic": "Mijn versie", "version": 1}, JSON
    )
    assert response.status_code == 409
    body = response.json()
    assert "Iemand anders heeft dit intussen gewijzigd" in body["detail"][0]
    assert (body["current"]["topic"], body["current"]["version"]) == ("Versie van een collega", 2)
    item.refresh_from_db()
    assert item.topic == "Versie van een collega"


def test_agenda_item_of_another_meeting_is_not_found(client, school_world, meeting):
    other = services.create_meeting(
        school=meeting.school,
        by=school_world["ib"],
        title="Andere",
        kind="parent_evening",
        starts_at=meeting.starts_at,
        rsvp_deadline=meeting.rsvp_deadline,
    )
    item = other.agenda.first()
    client.force_login(school_world["ib"])
    url = f"/api/v1/meetings/{meeting.pk}/agenda/{item.pk}/"
    assert client.patch(url, {"topic": "X", "version": 1}, JSON).status_code == 404
    assert client.delete(url).status_code == 404
    item.refresh_from_db()
    assert item.topic != "X"


def test_agenda_item_change_and_removal_are_refused_to_outsiders(client, meeting, outsiders):
    item = meeting.agenda.first()
    url = f"/api/v1/meetings/{meeting.pk}/agenda/{item.pk}/"
    _refused(client, outsiders, "patch", url, {"topic": "X", "version": 1})
    _refused(client, outsiders, "delete", url, None)
    item.refresh_from_db()
    assert (item.topic, item.version) != ("X", 2)
    assert meeting.agenda.count() == 9


def test_staff_remove_an_agenda_item(client, school_world, meeting):
    pause = meeting.agenda.get(topic="Pauze")
    client.force_login(school_world["ib"])
    assert client.delete(f"/api/v1/meetings/{meeting.pk}/agenda/{pause.pk}/").status_code == 204
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").json()["agenda_total_minutes"] == 125


# --- themes and the action team ------------------------------------------------------------------------


def test_staff_add_a_theme_and_a_colleague_to_the_action_team(client, school_world, meeting):
    client.force_login(school_world["ib"])
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/themes/", {"title": "Korte lijntjes", "questions": "Wat?\nHoe?"}, JSON
    )
    assert response.status_code == 201 and response.json()["question_list"] == ["Wat?", "Hoe?"]
    response = client.post(f"/api/v1/meetings/{meeting.pk}/action-team/", {"user": school_world["teacher"].pk}, JSON)
    assert response.status_code == 201
    assert {m["full_name"] for m in response.json()["action_team"]} == {"Ingrid IB", "Tom Leerkracht"}


def test_only_colleagues_join_the_action_team(client, school_world, meeting, outsiders):
    client.force_login(school_world["ib"])
    for user in (school_world["guardians"][0], outsiders["other school"], outsiders["former staff"]):
        response = client.post(f"/api/v1/meetings/{meeting.pk}/action-team/", {"user": user.pk}, JSON)
        assert response.status_code == 400 and response.json()["detail"] == ["Kies een collega van deze school."]
    assert list(meeting.action_team.all()) == [school_world["ib"]]


def test_themes_and_action_team_are_refused_to_outsiders(client, school_world, meeting, outsiders):
    _refused(client, outsiders, "post", f"/api/v1/meetings/{meeting.pk}/themes/", {"title": "X"})
    _refused(
        client, outsiders, "post", f"/api/v1/meetings/{meeting.pk}/action-team/", {"user": school_world["teacher"].pk}
    )
    assert not Theme.objects.exists()
    assert list(meeting.action_team.all()) == [school_world["ib"]]


# --- actions -------------------------------------------------------------------------------------------


def _outcome(school_world, meeting):
    """A stored division with one outcome at the first table (its theme: 'Korte lijntjes')."""
    services.invite(meeting, school_world["guardians"], kind="guardian")
    services.invite(meeting, services.school_staff(meeting), kind="staff")
    for invitation in meeting.invitations.all():
        services.respond(invitation, "yes")
    services.set_leaders(meeting, meeting.invitations.filter(kind="staff").values_list("pk", flat=True))
    services.add_theme(meeting, title="Korte lijntjes")
    table = services.divide_into_tables(meeting, 2)[0]
    return services.add_outcome(table, "Ouders willen sneller horen hoe het gaat.")


def test_staff_create_an_action_from_an_outcome(client, school_world, meeting):
    outcome = _outcome(school_world, meeting)
    client.force_login(school_world["ib"])
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/actions/",
        {
            "title": "Elke vrijdag een kort bericht",
            "owner": school_world["teacher"].pk,
            "principles": ["korte lijntjes", "transparante communicatie, ook over zorg"],
            "outcome": outcome.pk,
        },
        JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["owner"], body["theme"], body["meeting"]) == (
        "planned",
        "Tom Leerkracht",
        "Korte lijntjes",
        meeting.pk,
    )
    assert body["principles"] == ["korte lijntjes", "transparante communicatie, ook over zorg"], "names kept whole"
    action = ActionItem.objects.get(pk=body["id"])
    assert (action.outcome, action.school, action.version) == (outcome, meeting.school, 1)
    # It appears in the actions list and on the parents' feedback page's data.
    assert client.get("/api/v1/meeting-actions/").json()["results"][0]["title"] == "Elke vrijdag een kort bericht"
    assert services.feedback(meeting.school)["themes"][0]["actions"] == [action]


def test_action_owner_defaults_to_the_caller_and_can_be_given_a_theme(client, school_world, meeting):
    theme = services.add_theme(meeting, title="Schoolplein")
    client.force_login(school_world["director"])
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/actions/", {"title": "Vaker op het plein", "theme": theme.pk}, JSON
    )
    assert response.status_code == 201
    assert (response.json()["owner"], response.json()["theme"], response.json()["principles"]) == (
        "Dirk Directeur",
        "Schoolplein",
        [],
    )


def test_action_with_an_owner_outside_the_school_is_refused_and_leaves_nothing(client, school_world, meeting):
    client.force_login(school_world["ib"])
    url = f"/api/v1/meetings/{meeting.pk}/actions/"
    for owner in (school_world["guardians"][0].pk, 999999):
        response = client.post(url, {"title": "Iets", "owner": owner, "principles": ["nieuw principe"]}, JSON)
        assert response.status_code == 400
        assert response.json()["detail"] == ["De eigenaar van een actie moet bij de school werken."]
    response = client.post(url, {"title": "  ", "principles": ["nieuw principe"]}, JSON)
    assert response.status_code == 400 and response.json()["detail"] == ["Geef de actie een naam."]
    assert not ActionItem.objects.exists()
    assert not WorkingPrinciple.objects.exists(), "a refused action creates no werkprincipes"


def test_action_with_an_outcome_or_theme_of_another_meeting_is_refused(client, school_world, meeting):
    outcome = _outcome(school_world, meeting)
    other = services.create_meeting(
        school=meeting.school,
        by=school_world["ib"],
        title="Andere avond",
        kind="parent_evening",
        starts_at=meeting.starts_at,
        rsvp_deadline=meeting.rsvp_deadline,
    )
    client.force_login(school_world["ib"])
    url = f"/api/v1/meetings/{other.pk}/actions/"
    assert client.post(url, {"title": "X", "outcome": outcome.pk}, JSON).status_code == 400
    theme = meeting.themes.get()
    assert client.post(url, {"title": "X", "theme": theme.pk}, JSON).status_code == 400
    assert not ActionItem.objects.exists()
    with pytest.raises(ValidationError, match="andere bijeenkomst"):
        services.create_meeting_action(
            other, by=school_world["ib"], title="X", owner=school_world["ib"], outcome=outcome
        )


def test_creating_actions_is_refused_to_outsiders(client, school_world, meeting, outsiders):
    _refused(client, outsiders, "post", f"/api/v1/meetings/{meeting.pk}/actions/", {"title": "Overgenomen"})
    assert not ActionItem.objects.exists()


def test_web_page_creates_an_action_from_an_outcome_with_principles(client, school_world, meeting):
    """The page and the API share services.create_meeting_action."""
    from django.urls import reverse

    outcome = _outcome(school_world, meeting)
    client.force_login(school_world["ib"])
    url = reverse("meetings:action_create", args=[meeting.pk]) + f"?opbrengst={outcome.pk}"
    response = client.post(
        url,
        {"title": "Vrijdagbericht", "owner": school_world["teacher"].pk, "principles": "korte lijntjes; mét het kind"},
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.outcome, action.theme.title) == (outcome, "Korte lijntjes")
    assert sorted(p.name for p in action.principles.all()) == ["korte lijntjes", "mét het kind"]


# --- the schema ----------------------------------------------------------------------------------------


def test_schema_documents_the_editing_endpoints_and_their_conflicts(client, school_world):
    client.force_login(school_world["ib"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "409" in paths["/api/v1/meetings/{id}/"]["patch"]["responses"]
    assert "409" in paths["/api/v1/meetings/{meeting_id}/agenda/{item_id}/"]["patch"]["responses"]
    assert "post" in paths["/api/v1/meetings/{meeting_id}/actions/"]
    agenda = schema["components"]["schemas"]["Meeting"]["properties"]["agenda"]
    assert agenda["type"] == "array" and agenda["items"]["$ref"].endswith("/AgendaItem")


def test_meeting_list_queries_do_not_grow_with_meetings(client, school_world, meeting, django_assert_max_num_queries):
    """The running order reads each item's meeting: that must come from the prefetch, not a query per item."""
    client.force_login(school_world["ib"])
    with django_assert_max_num_queries(30) as one:
        client.get("/api/v1/meetings/")
    for i in range(3):
        services.create_meeting(
            school=meeting.school,
            by=school_world["ib"],
            title=f"Extra {i}",
            kind="parent_evening",
            starts_at=meeting.starts_at,
            rsvp_deadline=meeting.rsvp_deadline,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/api/v1/meetings/")
    assert len(response.json()["results"]) == 4
