"""Editing a meeting and its agenda (overlap rule, stale edits), choosing the pupils' council, and the
create/RSVP API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings.models import AgendaItem, Invitation, Meeting
from tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _item_post(item, **overrides):
    data = {
        "start": item.start.strftime("%H:%M"),
        "duration": item.duration,
        "who": item.who,
        "topic": item.topic,
        "remark": item.remark,
        "version": item.version,
    }
    data.update(overrides)
    return data


def test_agenda_item_edit_saves_all_fields(client, school_world, meeting):
    client.force_login(school_world["ib"])
    last = meeting.agenda.last()  # the closing item, nothing after it
    url = reverse("meetings:agenda_edit", args=[meeting.pk, last.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _item_post(last, duration=20, who="directeur", topic="Afsluiting", remark="Met soep"))
    assert response.status_code == 302
    last.refresh_from_db()
    assert (last.duration, last.who, last.topic, last.remark, last.version) == (
        20,
        "directeur",
        "Afsluiting",
        "Met soep",
        2,
    )


def test_agenda_item_edit_that_overlaps_is_refused_in_dutch_and_saves_nothing(client, school_world, meeting):
    client.force_login(school_world["ib"])
    first, second = list(meeting.agenda.all())[:2]  # 18:00-18:15 and 18:15-18:20
    url = reverse("meetings:agenda_edit", args=[meeting.pk, first.pk])
    response = client.post(url, _item_post(first, duration=20, topic="Langer"))
    assert response.status_code == 200
    assert "overlapt met" in response.content.decode() and second.topic in response.content.decode()
    first.refresh_from_db()
    assert (first.duration, first.topic, first.version) == (15, "Inloop met koffie, thee en koekjes", 1)
    # Touching the next item is fine; the item itself never counts as an overlap.
    assert client.post(url, _item_post(first, duration=15, topic="Inloop")).status_code == 302


def test_stale_agenda_edit_is_detected_not_overwritten(client, school_world, meeting):
    client.force_login(school_world["ib"])
    item = meeting.agenda.first()
    stale = _item_post(item, topic="Mijn versie")
    AgendaItem.objects.filter(pk=item.pk).update(topic="Andere versie", version=2)
    response = client.post(reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]), stale)
    assert response.status_code == 200 and "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    item.refresh_from_db()
    assert item.topic == "Andere versie"


def _meeting_post(meeting, **overrides):
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "rsvp_deadline": timezone.localtime(meeting.rsvp_deadline).strftime("%Y-%m-%dT%H:%M"),
        "location": meeting.location,
        "invitation_text": meeting.invitation_text,
        "version": meeting.version,
    }
    data.update(overrides)
    return data


def test_meeting_details_edit_and_its_rules(client, school_world, meeting):
    client.force_login(school_world["ib"])
    url = reverse("meetings:edit", args=[meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _meeting_post(meeting, title="Ouderavond", location="Gymzaal")).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location, meeting.version) == ("Ouderavond", "Gymzaal", 2)
    # Deadline after the start: Dutch error, nothing saved.
    late = timezone.localtime(meeting.starts_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, _meeting_post(meeting, title="Fout", rsvp_deadline=late))
    assert "De aanmelddatum moet vóór het begin" in response.content.decode()
    # A stale version is refused.
    response = client.post(url, _meeting_post(meeting, title="Oud", version=1))
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Ouderavond", 2)


def test_guardian_cannot_edit_a_meeting_or_its_agenda(client, school_world, meeting):
    client.force_login(school_world["guardians"][0])
    item = meeting.agenda.first()
    edit_url = reverse("meetings:edit", args=[meeting.pk])
    assert client.post(edit_url, _meeting_post(meeting, title="X")).status_code == 403
    url = reverse("meetings:agenda_edit", args=[meeting.pk, item.pk])
    assert client.post(url, _item_post(item, topic="X")).status_code == 403
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.title != "X" and item.topic != "X"


@pytest.fixture
def pupils(school_world):
    result = []
    for i in range(3):
        user = UserFactory(full_name=f"Leerling {i}")
        ChildFactory(group=school_world["group"], school=school_world["school"], user=user)
        result.append(user)
    return result


def test_pupils_council_members_are_chosen_explicitly(client, school_world, meeting, pupils):
    elsewhere_pupil = UserFactory(full_name="Leerling Elders")
    ChildFactory(user=elsewhere_pupil)
    client.force_login(school_world["ib"])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Leerling 0" in page and "Leerling Elders" not in page
    url = reverse("meetings:invite", args=[meeting.pk])
    client.post(url, {"audience": "pupils", "pupils": [pupils[0].pk, pupils[2].pk]})
    invited = set(meeting.invitations.filter(kind="pupil_council").values_list("user_id", flat=True))
    assert invited == {pupils[0].pk, pupils[2].pk}
    # Nobody chosen: a Dutch error and no invitations; a pupil of another school is refused.
    response = client.post(url, {"audience": "pupils"}, follow=True)
    assert "Kies de leerlingen van de leerlingenraad" in response.content.decode()
    client.post(url, {"audience": "pupils", "pupils": [elsewhere_pupil.pk]})
    assert meeting.invitations.filter(kind="pupil_council").count() == 2


# --- API ---------------------------------------------------------------------------------------------


def _api_meeting(school_world, **overrides):
    starts = timezone.now() + timedelta(days=20)
    data = {
        "school": school_world["school"].pk,
        "kind": "learning_community",
        "title": "Leergemeenschap via API",
        "starts_at": starts.isoformat(),
        "rsvp_deadline": (starts - timedelta(days=3)).isoformat(),
        "location": "Teamkamer",
    }
    data.update(overrides)
    return data


def test_api_staff_create_a_meeting_with_the_template(client, school_world):
    client.force_login(school_world["teacher"])
    response = client.post("/api/v1/meetings/", _api_meeting(school_world), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Leergemeenschap via API" and body["agenda_total_minutes"] == 135
    assert Meeting.objects.get().organiser == school_world["teacher"]


def test_api_create_refuses_a_late_deadline_and_other_schools_and_guardians(client, school_world):
    client.force_login(school_world["teacher"])
    starts = timezone.now() + timedelta(days=20)
    late = _api_meeting(school_world, rsvp_deadline=(starts + timedelta(days=1)).isoformat())
    late["starts_at"] = starts.isoformat()
    response = client.post("/api/v1/meetings/", late, content_type="application/json")
    assert response.status_code == 400 and "aanmelddatum" in response.json()["detail"][0]
    other_school = school_world["elsewhere"].guardianships.first().child.school
    response = client.post(
        "/api/v1/meetings/", _api_meeting(school_world, school=other_school.pk), content_type="application/json"
    )
    assert response.status_code == 400
    client.force_login(school_world["guardians"][0])
    response = client.post("/api/v1/meetings/", _api_meeting(school_world), content_type="application/json")
    assert response.status_code == 403 and "Alleen medewerkers" in response.json()["detail"]
    assert not Meeting.objects.exists()


def test_api_rsvp_for_the_caller_only_and_not_after_the_deadline(client, school_world, meeting):
    from apps.meetings import services

    services.invite(meeting, school_world["guardians"][:2], kind="guardian")
    parent, other = school_world["guardians"][:2]
    client.force_login(parent)
    url = f"/api/v1/meetings/{meeting.pk}/rsvp/"
    response = client.post(url, {"reply": "yes"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["reply"] == "yes"
    assert Invitation.objects.get(meeting=meeting, user=parent).reply == "yes"
    assert Invitation.objects.get(meeting=meeting, user=other).reply == "pending"
    client.force_login(school_world["seventh"])  # not invited
    assert client.post(url, {"reply": "yes"}, content_type="application/json").status_code == 404
    Meeting.objects.filter(pk=meeting.pk).update(rsvp_deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(parent)
    response = client.post(url, {"reply": "no"}, content_type="application/json")
    assert response.status_code == 400 and "Aanmelden kon tot" in response.json()["detail"][0]
    assert Invitation.objects.get(meeting=meeting, user=parent).reply == "yes"


def test_api_schema_has_meeting_create_and_rsvp(client, school_world):
    client.force_login(school_world["ib"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/meetings/{id}/rsvp/" in schema and "MeetingCreate" in schema
