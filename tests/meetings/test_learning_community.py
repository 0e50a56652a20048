"""The learning community (seed 000, docs/learning-community.md): named members and roles, eight sessions,
named invitations, the real states of actions on "jullie zeiden, wij deden", and the director's restart."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.meetings import community, services, states
from apps.meetings.models import ActionItem, ActionUpdate, CommunityMember, Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


# --- the states as plain functions ------------------------------------------------------------------------------


def test_an_open_action_without_update_for_six_weeks_is_stalled_since_its_last_update():
    last = NOW - timedelta(weeks=6)
    state = states.state_of("planned", last, now=NOW)
    assert state.code == "stalled" and state.since == last and state.label == "staat stil"
    assert states.state_of("started", NOW - timedelta(weeks=6, seconds=-1), now=NOW).code == "running"
    assert states.state_of("planned", NOW - timedelta(days=3), now=NOW).code == "planned"


def test_stopped_keeps_its_reason_and_done_is_never_stalled():
    stopped = states.state_of("stopped", NOW - timedelta(weeks=20), "Geen budget", now=NOW)
    assert (stopped.code, stopped.reason, stopped.restartable) == ("stopped", "Geen budget", True)
    done = states.state_of("done", NOW - timedelta(weeks=20), now=NOW)
    assert done.code == "done" and not done.restartable
    assert not states.state_of("started", NOW, now=NOW).restartable


# --- members, roles, sessions ------------------------------------------------------------------------------------


@pytest.fixture
def lc(school_world):
    return community.create_community(school=school_world["school"], by=school_world["ib"], name="Dynamische Driehoek")


def test_named_members_with_community_roles(school_world, lc):
    w = school_world
    for parent in w["guardians"][:5]:
        community.add_member(lc, parent, CommunityMember.Role.PARENT)
    community.add_member(lc, w["director"], CommunityMember.Role.DIRECTOR)
    researcher = UserFactory(full_name="Rana Onderzoeker")  # from outside the school
    community.add_member(lc, researcher, CommunityMember.Role.RESEARCHER)
    community.add_member(lc, UserFactory(full_name="Piet Proces"), CommunityMember.Role.PROCESS_FACILITATOR)
    assert lc.members.count() == 8
    with pytest.raises(ValidationError):  # a parent of another school is no parent here
        community.add_member(lc, w["elsewhere"], CommunityMember.Role.PARENT)
    with pytest.raises(ValidationError):  # an outsider cannot be a teacher or a mentor
        community.add_member(lc, UserFactory(), CommunityMember.Role.MENTOR)
    with pytest.raises(ValidationError):
        community.add_member(lc, researcher, CommunityMember.Role.RESEARCHER)
    assert lc.members.count() == 8


def test_a_series_of_eight_numbered_sessions_and_not_a_ninth(school_world, lc):
    start = NOW + timedelta(days=10)
    for i in range(8):
        meeting = community.add_session(
            lc, by=school_world["ib"], title="", starts_at=start + timedelta(weeks=i), rsvp_deadline=start
        )
    assert meeting.session_number == 8 and meeting.title == "Bijeenkomst 8" and meeting.kind == "learning_community"
    with pytest.raises(ValidationError) as error:
        community.add_session(lc, by=school_world["ib"], title="", starts_at=start, rsvp_deadline=start)
    assert "8 bijeenkomsten" in error.value.messages[0]
    assert lc.sessions.count() == 8


def test_invite_named_people_and_all_members_each_once(school_world, lc):
    w = school_world
    start = NOW + timedelta(days=10)
    session = community.add_session(lc, by=w["ib"], title="Start", starts_at=start, rsvp_deadline=start)
    assert community.invite_named(session, w["guardians"][:5]) == 5
    researcher = UserFactory(full_name="Rana Onderzoeker")
    with pytest.raises(ValidationError) as error:  # not of the school and not a member: nobody is invited
        community.invite_named(session, [w["guardians"][5], researcher])
    assert "Rana Onderzoeker" in error.value.messages[0]
    assert session.invitations.count() == 5
    community.add_member(lc, researcher, CommunityMember.Role.RESEARCHER)
    community.add_member(lc, w["guardians"][0], CommunityMember.Role.PARENT)
    assert community.invite_members(session) == 1  # the parent was already invited
    invitation = session.invitations.get(user=researcher)
    assert (invitation.kind, invitation.role) == (Invitation.Kind.COMMUNITY, "researcher")


def test_attendance_list_filters_and_tells_equal_names_apart(school_world, meeting):
    twins = [UserFactory(full_name="Sam de Vries"), UserFactory(full_name="Sam de Vries")]
    services.invite(meeting, twins, kind="guardian")
    services.invite(meeting, school_world["guardians"][:3], kind="guardian")
    rows = community.attendance_rows(meeting, query="sam")
    assert len(rows) == 2 and len({r.display_name for r in rows}) == 2
    assert all(r.user.email in r.display_name for r in rows)
    assert len(community.attendance_rows(meeting)) == 5
    assert community.attendance_rows(meeting, reply="yes") == []


def test_saving_a_filtered_attendance_list_keeps_the_others(client, school_world, meeting):
    services.invite(meeting, school_world["guardians"][:3], kind="guardian")
    first, second, third = meeting.invitations.order_by("pk")
    meeting.invitations.update(attended=True)
    client.force_login(school_world["ib"])
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"shown": [first.pk]})
    assert list(meeting.invitations.order_by("pk").values_list("attended", flat=True)) == [False, True, True]
    _ = second, third


# --- the feedback page and the restart ----------------------------------------------------------------------------


def _actions(w):
    services.import_seed_actions(w["school"], w["teacher"])
    actions = list(ActionItem.objects.filter(school=w["school"]).order_by("number"))
    ActionItem.objects.filter(pk__in=[actions[0].pk, actions[1].pk]).update(last_activity_at=NOW - timedelta(weeks=7))
    services.add_update(actions[2], by=w["teacher"], text="Parro past niet bij ons", status="stopped", version=1)
    return actions


def test_feedback_shows_stalled_and_stopped_with_their_real_state(client, school_world):
    w = school_world
    actions = _actions(w)
    client.force_login(w["seventh"])  # a parent of the school, not in the community
    page = client.get(reverse("meetings:feedback", args=[w["school"].pk])).content.decode()
    assert actions[2].title in page and "Parro past niet bij ons" in page
    assert page.count('data-state="stalled"') == 2 and page.count('data-state="stopped"') == 1
    assert "Geen voortgang sinds" in page
    stalled_items = [chunk for chunk in page.split("<li ") if 'data-state="stalled"' in chunk]
    assert all(">gepland<" not in chunk for chunk in stalled_items)


def test_stopping_needs_a_reason(school_world):
    action = _actions(school_world)[3]
    with pytest.raises(ValidationError):
        services.add_update(action, by=school_world["teacher"], text=" ", status="stopped", version=1)


def test_the_director_restarts_a_stalled_action_with_a_new_owner_and_the_history_stays(client, school_world):
    w = school_world
    actions = _actions(w)
    stopped = ActionItem.objects.get(pk=actions[2].pk)
    client.force_login(w["ib"])  # organises, but is not the director
    url = reverse("meetings:action_restart", args=[stopped.pk])
    assert client.post(url, {"new_owner": w["ib"].pk, "version": stopped.version}).status_code == 403
    client.force_login(w["director"])
    page = client.get(reverse("meetings:action", args=[stopped.pk])).content.decode()
    assert "Opnieuw starten" in page
    client.post(url, {"new_owner": w["ib"].pk, "text": "Nieuwe poging met de MR", "version": stopped.version})
    stopped.refresh_from_db()
    assert (stopped.owner_id, stopped.status, stopped.stopped_reason) == (w["ib"].pk, "started", "")
    updates = list(ActionUpdate.objects.filter(action=stopped).order_by("created_at", "pk"))
    assert [u.status for u in updates] == ["stopped", "started"] and updates[1].previous_owner_id == w["teacher"].pk
    running = ActionItem.objects.get(pk=actions[4].pk)
    with pytest.raises(ValidationError):  # a running action is not restarted
        services.restart_action(running, by=w["director"], new_owner=w["ib"], text="", version=running.version)


def test_an_empty_agenda_says_so(client, school_world, lc):
    start = NOW + timedelta(days=10)
    session = community.add_session(lc, by=school_world["ib"], title="Start", starts_at=start, rsvp_deadline=start)
    client.force_login(school_world["ib"])
    page = client.get(reverse("meetings:detail", args=[session.pk])).content.decode()
    assert "Nog geen onderdelen." in page and "None" not in page and "Totaal" not in page


def test_community_pages_for_staff_and_members_only(client, school_world, lc):
    w = school_world
    community.add_member(lc, w["guardians"][0], CommunityMember.Role.PARENT)
    client.force_login(w["ib"])
    assert (
        client.post(
            reverse("meetings:member_add", args=[lc.pk]), {"person": w["guardians"][1].pk, "role": "parent"}
        ).status_code
        == 302
    )
    assert lc.members.count() == 2
    client.force_login(w["guardians"][0])
    page = client.get(reverse("meetings:community", args=[lc.pk])).content.decode()
    assert "Ouder 1" in page and 'id="member-add"' not in page
    assert (
        client.post(
            reverse("meetings:member_add", args=[lc.pk]), {"person": w["guardians"][2].pk, "role": "parent"}
        ).status_code
        == 403
    )
    client.force_login(w["seventh"])  # a parent of the school outside the community
    assert client.get(reverse("meetings:community", args=[lc.pk])).status_code == 403
