"""Meetings: template, agenda times, invitations/RSVP, stored division, actions, stalled follow-up."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.meetings import services
from apps.meetings.models import ActionItem, AgendaItem, Invitation, Table
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_template_gives_the_seed_004_checklist_and_an_agenda_whose_times_add_up(meeting):
    assert meeting.checklist.count() == len(services.CHECKLIST_TEMPLATE)
    items = list(meeting.agenda.all())
    assert [i.topic for i in items][0] == "Inloop met koffie, thee en koekjes"
    for before, after in zip(items, items[1:], strict=False):
        assert before.end_minutes == after.start_minutes, "each item starts when the previous ends"
    summary = services.agenda_summary(items)
    assert summary["total"] == sum(i.duration for i in items) == 135
    local = timezone.localtime(meeting.starts_at)
    assert summary["start"] == local.strftime("%H:%M")


def test_overlapping_agenda_item_is_refused_in_dutch_and_not_stored(meeting):
    first = meeting.agenda.first()
    count = meeting.agenda.count()
    with pytest.raises(ValidationError) as e:
        services.add_agenda_item(meeting, start=first.start, duration=10, topic="Extra punt")
    assert "overlapt met 'Inloop met koffie, thee en koekjes'" in e.value.messages[0]
    assert meeting.agenda.count() == count
    last = meeting.agenda.order_by("-start").first()
    end = last.end_minutes
    item = services.add_agenda_item(meeting, start=time(end // 60, end % 60), duration=5, topic="Napraten")
    assert isinstance(item, AgendaItem)


def test_an_evening_past_midnight_keeps_its_order_and_its_overlaps(school_world):
    starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=14), time(22, 30)))
    meeting = services.create_meeting(
        school=school_world["school"],
        by=school_world["ib"],
        title="Late avond",
        kind="parent_evening",
        starts_at=starts,
        rsvp_deadline=starts - timedelta(days=2),
    )
    items = services.ordered_agenda(meeting)
    assert items[0].topic == "Inloop met koffie, thee en koekjes" and items[0].start == time(22, 30)
    assert items[-1].start < time(1, 0)  # the last items fall after midnight and still come last
    for before, after in zip(items, items[1:], strict=False):
        assert before.end_minutes == after.start_minutes
    summary = services.agenda_summary(items)
    assert (summary["start"], summary["end"], summary["total"]) == ("22:30", "00:45", 135)
    after_midnight = next(i for i in items if i.start < time(12, 0))
    before_it = items[items.index(after_midnight) - 1]
    with pytest.raises(ValidationError) as e:
        services.update_agenda_item(
            before_it,
            version=before_it.version,
            start=before_it.start,
            duration=before_it.duration + 10,
            topic=before_it.topic,
        )
    assert f"overlapt met '{after_midnight.topic}'" in e.value.messages[0]
    # A set-up item just before the start stays before it, not on the next day.
    setup = services.add_agenda_item(meeting, start=time(22, 0), duration=30, topic="Zaal klaarzetten")
    assert services.ordered_agenda(meeting)[0] == setup


def test_rsvp_deadline_before_start_is_required(school_world):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.create_meeting(
            school=school_world["school"],
            by=school_world["ib"],
            title="x",
            kind="study_day",
            starts_at=now + timedelta(days=1),
            rsvp_deadline=now + timedelta(days=2),
        )


def test_inviting_a_class_reaches_only_its_guardians_once_with_a_personal_text(
    meeting, school_world, mailoutbox, django_capture_on_commit_callbacks
):
    users = services.guardians_for(meeting, group=school_world["group"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invite(meeting, users, kind=Invitation.Kind.GUARDIAN) == 6
    assert services.invite(meeting, users, kind=Invitation.Kind.GUARDIAN) == 0, "nobody is invited twice"
    invited = set(meeting.invitations.values_list("user_id", flat=True))
    assert invited == {u.pk for u in school_world["guardians"]}
    assert school_world["seventh"].pk not in invited and school_world["elsewhere"].pk not in invited
    assert len(mailoutbox) == 6
    assert mailoutbox[0].body.startswith("Beste Ouder")
    assert "Wij horen graag" in mailoutbox[0].body and "Aula" in mailoutbox[0].body


def test_year_all_and_staff_invitations_take_roles_from_memberships(meeting, school_world):
    assert services.invite(meeting, services.guardians_for(meeting, year_level=7), kind="guardian") == 1
    assert services.invite(meeting, services.guardians_for(meeting), kind="guardian") == 6
    services.invite(meeting, services.school_staff(meeting), kind=Invitation.Kind.STAFF)
    roles = dict(meeting.invitations.filter(kind="staff").values_list("user__full_name", "role"))
    assert roles == {"Dirk Directeur": "director", "Ingrid IB": "ib", "Tom Leerkracht": "teacher"}


def test_rsvp_after_the_deadline_is_refused_and_changes_nothing(meeting, school_world):
    services.invite(meeting, school_world["guardians"][:1], kind="guardian")
    invitation = meeting.invitations.get()
    with pytest.raises(ValidationError) as e:
        services.respond(invitation, "yes", now=meeting.rsvp_deadline + timedelta(minutes=1))
    assert "Aanmelden kon tot" in e.value.messages[0]
    invitation.refresh_from_db()
    assert invitation.reply == "pending" and invitation.replied_at is None
    services.respond(invitation, "yes")
    invitation.refresh_from_db()
    assert invitation.reply == "yes"


def test_reminders_go_once_and_only_to_those_who_did_not_answer(meeting, school_world):
    services.invite(meeting, school_world["guardians"], kind="guardian")
    services.respond(meeting.invitations.first(), "no")
    assert services.send_reminders(meeting) == 5
    assert services.send_reminders(meeting) == 0, "a second run sends nothing twice"
    assert services.send_reminders(meeting, now=meeting.rsvp_deadline + timedelta(hours=1)) == 0


def _fill(meeting, school_world, leaders=2):
    services.invite(meeting, school_world["guardians"], kind="guardian")
    services.invite(meeting, services.school_staff(meeting), kind="staff")
    for invitation in meeting.invitations.all():
        services.respond(invitation, "yes")
    staff_ids = list(meeting.invitations.filter(kind="staff").order_by("pk").values_list("pk", flat=True))
    services.set_leaders(meeting, staff_ids[:leaders])


def test_division_is_stored_balanced_with_themes_and_explanations(meeting, school_world):
    _fill(meeting, school_world)
    services.add_theme(meeting, title="Korte lijntjes", questions="Hoe bereikt u de leerkracht?")
    services.add_theme(meeting, title="Mét het kind")
    tables = services.divide_into_tables(meeting, 2)
    assert [t.number for t in tables] == [1, 2]
    assert [t.theme.title for t in tables] == ["Korte lijntjes", "Mét het kind"]
    sizes = [t.members.count() for t in tables]
    assert sorted(sizes) == [4, 5]
    for t in tables:
        assert t.members.filter(kind="guardian").count() == 3
        assert t.members.filter(is_leader=True).count() == 1
        assert t.explanation.startswith(f"groep {t.number}: 3 ouders")


def test_impossible_division_reports_in_dutch_and_keeps_the_old_tables(meeting, school_world):
    _fill(meeting, school_world)
    services.divide_into_tables(meeting, 2)
    before = list(Table.objects.filter(meeting=meeting).values_list("pk", flat=True))
    with pytest.raises(ValidationError) as e:
        services.divide_into_tables(meeting, 3)
    assert "meer groepen (3) dan gespreksleiders (2)" in e.value.messages[0]
    assert list(Table.objects.filter(meeting=meeting).values_list("pk", flat=True)) == before


def test_together_wish_that_breaks_balance_is_refused(meeting, school_world):
    _fill(meeting, school_world)
    a, b = meeting.invitations.filter(kind="staff").order_by("pk")[:2]
    services.add_wish(meeting, a, b, "together")
    with pytest.raises(ValidationError) as e:
        services.divide_into_tables(meeting, 2)
    assert "samen" in e.value.messages[0]
    assert not meeting.tables.exists()


def test_redivision_after_notes_is_refused(meeting, school_world):
    _fill(meeting, school_world)
    table = services.divide_into_tables(meeting, 2)[0]
    services.add_outcome(table, "Ouders willen vaker kort contact.")
    with pytest.raises(ValidationError):
        services.divide_into_tables(meeting, 2)


def test_stale_notes_are_not_overwritten(meeting, school_world):
    _fill(meeting, school_world)
    table = services.divide_into_tables(meeting, 2)[0]
    services.save_notes(table, "eerste", table.version)
    with pytest.raises(ValidationError):
        services.save_notes(table, "tweede", 1)
    table.refresh_from_db()
    assert table.notes == "eerste"


def test_outcome_becomes_an_action_with_principles_and_updates(meeting, school_world):
    _fill(meeting, school_world)
    services.add_theme(meeting, title="Korte lijntjes")
    table = services.divide_into_tables(meeting, 2)[0]
    outcome = services.add_outcome(table, "Vaker een kort berichtje van de leerkracht.")
    action = services.create_action(
        school=meeting.school,
        by=school_world["ib"],
        title="Wekelijks bericht via de app",
        owner=school_world["teacher"],
        principles=services.principles_from_text(meeting.school, "korte lijntjes, mét het kind"),
        meeting=meeting,
        outcome=outcome,
    )
    assert action.theme.title == "Korte lijntjes"
    assert sorted(p.name for p in action.principles.all()) == ["korte lijntjes", "mét het kind"]
    services.add_update(action, by=school_world["teacher"], text="Gestart in groep 5", status="started", version=1)
    action.refresh_from_db()
    assert action.status == "started" and action.version == 2
    with pytest.raises(ValidationError):
        services.add_update(action, by=school_world["ib"], text="oud", status="done", version=1)


def test_action_owner_must_work_at_the_school(meeting, school_world):
    with pytest.raises(ValidationError):
        services.create_action(
            school=meeting.school, by=school_world["ib"], title="x", owner=school_world["guardians"][0]
        )


def test_seed_000_actions_import_once(school_world):
    assert services.import_seed_actions(school_world["school"], school_world["director"]) == 8
    assert services.import_seed_actions(school_world["school"], school_world["director"]) == 0
    seven = ActionItem.objects.get(number=7)
    assert sorted(p.name for p in seven.principles.all()) == [
        "Korte lijntjes",
        "Laagdrempeligheid",
        "Sociale veiligheid op het plein",
    ]
    call_command("import_learning_community_actions", str(school_world["school"].pk), school_world["director"].email)
    assert ActionItem.objects.count() == 8


def test_stalled_actions_are_flagged_to_owner_and_director_once(school_world):
    school = school_world["school"]
    services.import_seed_actions(school, school_world["teacher"])
    old = timezone.now() - timedelta(weeks=7)
    ActionItem.objects.filter(number__in=[1, 2]).update(last_activity_at=old)
    ActionItem.objects.filter(number=2).update(status="done")
    sent = services.flag_stalled_actions()
    assert sent == 2  # action 1 only: its owner and the director
    notes = Notification.objects.filter(key__startswith="action-stalled:")
    assert {n.user for n in notes} == {school_world["teacher"], school_world["director"]}
    assert "7 weken geen voortgang" in notes.first().text
    assert services.flag_stalled_actions() == 0, "running again sends nothing twice"
    call_command("flag_stalled_actions")
    assert Notification.objects.filter(key__startswith="action-stalled:").count() == 2
    action = ActionItem.objects.get(number=1)
    assert action.is_stalled()
    services.add_update(action, by=school_world["teacher"], text="Weer opgepakt", status="started", version=1)
    action.refresh_from_db()
    assert not action.is_stalled()


def test_action_team_takes_only_colleagues_of_the_school(meeting, school_world):
    services.add_to_action_team(meeting, school_world["director"].pk)
    assert set(meeting.action_team.all()) == {school_world["ib"], school_world["director"]}
    for wrong in (school_world["guardians"][0].pk, "x", None):
        with pytest.raises(ValidationError):
            services.add_to_action_team(meeting, wrong)
    assert meeting.action_team.count() == 2


def test_scheduled_reminders_only_near_the_deadline_and_once(meeting, school_world):
    services.invite(meeting, school_world["guardians"], kind="guardian")
    assert services.send_due_reminders() == 0, "the deadline is still far away"
    near = meeting.rsvp_deadline - timedelta(days=1)
    assert services.send_due_reminders(now=near) == 6
    assert services.send_due_reminders(now=near) == 0
    call_command("send_meeting_reminders")


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(st.integers(0, 1400), st.integers(1, 120)),
    st.lists(st.tuples(st.integers(0, 1400), st.integers(1, 120)), max_size=8),
)
def test_first_overlap_finds_a_clash_exactly_when_minutes_are_shared(new, others):
    new_iv = (new[0], new[0] + new[1])
    intervals = [(s, s + d) for s, d in others]
    clash = services.first_overlap(new_iv, intervals)
    shared = [set(range(*new_iv)) & set(range(*iv)) for iv in intervals]
    if clash is None:
        assert not any(shared)
    else:
        assert shared[clash] and not any(shared[:clash])


def test_summary_goes_after_the_meeting_once_with_the_pdf(
    meeting, school_world, mailoutbox, django_capture_on_commit_callbacks
):
    _fill(meeting, school_world)
    with pytest.raises(ValidationError):
        services.send_summary(meeting)
    meeting.starts_at = timezone.now() - timedelta(hours=2)
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_summary(meeting) == 9
    assert services.send_summary(meeting) == 0
    summary = [m for m in mailoutbox if m.subject.startswith("Terugkoppeling")]
    assert len(summary) == 9
    name, content, mimetype = summary[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
