"""REL-09: a double click or a resubmitted form is saved once (apps.core.idempotency)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.consent.models import Consent
from apps.conversations.models import Conversation, Participant
from apps.core.models import FormSubmission
from apps.helpguide.models import HelpGuide, HelpQuestion, Topic
from apps.meetings import services as meeting_services
from apps.meetings.models import ActionItem, ActionUpdate, AgendaItem, ChecklistItem, Meeting, Outcome, Table, Theme
from apps.messaging import services as messaging_services
from apps.messaging.models import Announcement, Message, Thread
from apps.notifications.models import Notification
from apps.planner import services as planner_services
from apps.planner.models import Booking
from apps.plans.models import Agreement, Goal
from apps.timeline.models import TimelineEntry
from tests.factories import CareOrganisationFactory
from tests.planner.factories import evening, family_school

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def token_from(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def post_twice(client, url, data, action=""):
    """Post the form shown on `url` twice with its one token (to `url + action` when the form posts elsewhere)."""
    data = data | {"form_token": token_from(client, url)}
    return client.post(url + action, data), client.post(url + action, data)


def test_reply_sent_twice_is_saved_once_and_the_second_is_told(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    client.force_login(circle["mother"])
    url = f"/berichten/gesprek/{thread.pk}/"
    first, second = post_twice(client, url, {"body": "Dank je wel!"})
    assert first.status_code == 302 and second.status_code == 302 and second.url == url
    assert Message.objects.filter(thread=thread, author=circle["mother"]).count() == 1
    assert Notification.objects.filter(key__startswith="message:", user=circle["teacher"]).count() == 1
    assert "al verstuurd" in client.get(url).content.decode()
    # a new form (a new token) is a new message
    client.post(url, {"body": "Nog iets", "form_token": token_from(client, url)})
    assert Message.objects.filter(thread=thread, author=circle["mother"]).count() == 2


def test_a_refused_submit_can_be_sent_again_with_the_same_form(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    client.force_login(circle["mother"])
    url = f"/berichten/gesprek/{thread.pk}/"
    token = token_from(client, url)
    refused = client.post(url, {"body": "x", "tag": "geen-geldige-tag", "form_token": token})
    assert refused.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(url, {"body": "Nu goed", "form_token": token}).status_code == 302
    assert Message.objects.filter(author=circle["mother"]).count() == 1


def test_tokens_belong_to_one_person(client, circle):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    url = f"/berichten/gesprek/{thread.pk}/"
    client.force_login(circle["mother"])
    token = token_from(client, url)
    client.post(url, {"body": "Van moeder", "form_token": token})
    client.force_login(circle["father"])
    client.post(url, {"body": "Van vader", "form_token": token})
    assert Message.objects.filter(author__in=[circle["mother"], circle["father"]]).count() == 2


def test_new_thread_twice_is_one_thread(client, circle):
    client.force_login(circle["teacher"])
    url = f"/berichten/kind/{circle['child'].pk}/nieuw/"
    first, second = post_twice(client, url, {"category": "basic", "subject": "Uitje", "body": "Vrijdag naar het bos"})
    assert first.status_code == 302 and second.status_code == 302
    assert Thread.objects.count() == 1 and Message.objects.count() == 1


def test_timeline_entry_twice_is_one_entry(client, circle):
    client.force_login(circle["mother"])
    url = f"/tijdlijn/kind/{circle['child'].pk}/"
    data = {"happened_on": timezone.localdate().isoformat(), "kind": "strength", "text": "Helpt anderen"}
    first, second = post_twice(client, url, data | {"category": "basic"})
    assert first.status_code == 302 and second.status_code == 302
    assert TimelineEntry.objects.count() == 1


def test_consent_given_twice_is_one_consent(client, circle):
    client.force_login(circle["mother"])
    url = f"/kinderen/{circle['child'].pk}/toestemming/"
    data = {"organisation": CareOrganisationFactory().pk, "categories": ["basic"], "starts_on": timezone.localdate()}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Consent.objects.count() == 1


def test_conversation_planned_twice_is_one_conversation_and_one_invitation(client, circle):
    client.force_login(circle["teacher"])
    url = f"/gesprekken/nieuw/{circle['child'].pk}/"
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = {"kind": "progress", "purpose": "Kennismaken", "day": day, "time": "15:00", "minutes": 30,
            "place": "Lokaal", "participants": [circle["mother"].pk], "child_invited": "on"}  # fmt: skip
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Conversation.objects.count() == 1
    assert Notification.objects.filter(user=circle["mother"], key__startswith="conversation-invite:").count() == 1


def test_announcement_published_twice_is_one_announcement(client, circle):
    client.force_login(circle["ib"])
    url = "/berichten/mededelingen/nieuw/"
    data = {"target": f"school:{circle['group'].school.pk}", "title": "Studiedag", "body": "Vrijdag vrij"}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Announcement.objects.count() == 1


def test_agreement_added_twice_is_one_agreement(client, circle):
    client.force_login(circle["ib"])
    url = f"/plan/kind/{circle['child'].pk}/"
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = {"form": "agreement", "afspraak-what": "Elke dag lezen", "afspraak-owner": circle["mother"].pk,
            "afspraak-due": due}  # fmt: skip
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Agreement.objects.count() == 1
    assert "al verstuurd" in client.get(url).content.decode()


def test_goal_added_twice_is_one_goal(client, circle):
    client.force_login(circle["ib"])
    url = f"/plan/kind/{circle['child'].pk}/"
    evaluate_on = (timezone.localdate() + timedelta(weeks=6)).isoformat()
    data = {"form": "goal", "doel-text": "Zelfstandig lezen", "doel-evaluate_on": evaluate_on}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Goal.objects.count() == 1


def test_help_question_asked_twice_is_one_question(client, circle):
    school = circle["group"].school
    topic = Topic.objects.create(guide=HelpGuide.objects.create(school=school), name="Thuis", order=1)
    client.force_login(circle["mother"])
    url = f"/hulpwijzer/vraag/?school={school.pk}"
    data = {"school": school.pk, "topic": topic.pk, "text": "Hoe gaat het in de klas?", "preferred_contact": "bericht"}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert HelpQuestion.objects.count() == 1


@pytest.fixture
def meeting(circle):
    starts = (timezone.now() + timedelta(days=14)).replace(hour=18, minute=0, second=0, microsecond=0)
    return meeting_services.create_meeting(
        school=circle["group"].school,
        by=circle["ib"],
        title="Ouderavond",
        kind="parent_evening",
        starts_at=starts,
        rsvp_deadline=starts - timedelta(days=2),
        use_template=False,
    )


def test_meeting_created_twice_is_one_meeting(client, circle):
    client.force_login(circle["ib"])
    starts = timezone.localtime() + timedelta(days=10)
    data = {"school": circle["group"].school.pk, "kind": "parent_evening", "title": "Ouderavond",
            "starts_at": starts.strftime("%Y-%m-%dT19:00"),
            "rsvp_deadline": (starts - timedelta(days=3)).strftime("%Y-%m-%dT12:00"),
            "location": "Aula", "invitation_text": "", "use_template": "on"}  # fmt: skip
    first, second = post_twice(client, "/bijeenkomsten/nieuw/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert Meeting.objects.count() == 1


def test_checklist_item_added_twice_is_one_item(client, circle, meeting):
    client.force_login(circle["ib"])
    first, second = post_twice(client, f"/bijeenkomsten/{meeting.pk}/", {"text": "Tolk regelen"}, "checklist/")
    assert first.status_code == 302 and second.status_code == 302
    assert ChecklistItem.objects.filter(meeting=meeting).count() == 1


def test_agenda_item_added_twice_is_one_item_and_no_overlap_error(client, circle, meeting):
    """The overlap rule already refuses a second identical item, but with a misleading message and not
    for two requests racing each other; the token answers the repeat for what it is."""
    client.force_login(circle["ib"])
    data = {"start": "19:00", "duration": 15, "topic": "Welkom"}
    first, second = post_twice(client, f"/bijeenkomsten/{meeting.pk}/", data, "agenda/")
    assert first.status_code == 302 and second.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    page = client.get(second.url).content.decode()
    assert "al verstuurd" in page and "overlapt" not in page


def test_theme_added_twice_is_one_theme(client, circle, meeting):
    client.force_login(circle["ib"])
    first, second = post_twice(client, f"/bijeenkomsten/{meeting.pk}/", {"title": "Samen leren"}, "themas/")
    assert first.status_code == 302 and second.status_code == 302
    assert Theme.objects.filter(meeting=meeting).count() == 1


def test_outcome_added_twice_at_a_table_is_one_outcome(client, circle, meeting):
    table = Table.objects.create(meeting=meeting, number=1, explanation="")
    client.force_login(circle["ib"])
    url = f"/bijeenkomsten/tafel/{table.pk}/"
    first, second = post_twice(client, url, {"text": "Meer contact met de leerkracht", "add_outcome": ""})
    assert first.status_code == 302 and second.status_code == 302
    assert Outcome.objects.filter(table=table).count() == 1


def test_action_created_twice_is_one_action(client, circle, meeting):
    client.force_login(circle["ib"])
    url = f"/bijeenkomsten/{meeting.pk}/acties/nieuw/"
    data = {"title": "Nieuwsbrief over huiswerk", "owner": circle["ib"].pk, "principles": "korte lijntjes"}
    first, second = post_twice(client, url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert ActionItem.objects.count() == 1


def test_action_update_sent_twice_is_one_update_and_not_called_someone_elses(client, circle, meeting):
    """The version check already refuses the second update, but tells the person that someone else changed
    the action; the token tells them their own update was saved."""
    action = meeting_services.create_meeting_action(meeting, by=circle["ib"], title="Koffieochtend", owner=circle["ib"])
    client.force_login(circle["ib"])
    url = f"/bijeenkomsten/acties/{action.pk}/"
    first, second = post_twice(client, url, {"text": "Eerste ochtend gehouden", "status": "started", "version": 1})
    assert first.status_code == 302 and second.status_code == 302
    assert ActionUpdate.objects.filter(action=action).count() == 1
    page = client.get(url).content.decode()
    assert "al verstuurd" in page and "Iemand anders" not in page


def test_booking_twice_is_one_booking_by_the_existing_rule(settings):
    """Booking needs no token: one booking per guardian per child and round is already the rule."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    w = family_school()
    rnd = planner_services.open_round(w["t5"], w["g5"], purpose="Kennismaken", windows=[evening(7)], place="Lokaal")
    slots = list(rnd.slots.order_by("starts_at")[:2])
    planner_services.book_slot(Actor(w["guardians"][0]), slots[0], w["children"][0])
    with pytest.raises(Exception, match="al een gesprek"):
        planner_services.book_slot(Actor(w["guardians"][0]), slots[1], w["children"][0])
    assert Booking.objects.count() == 1 and Conversation.objects.count() == 1


def test_rsvp_twice_keeps_one_answer(client, circle):
    """An answer is a value, not a new row: sending it twice changes nothing."""
    from apps.conversations import services as conversation_services

    conversation = conversation_services.plan_conversation(
        Actor(circle["teacher"]),
        circle["child"],
        kind="progress",
        purpose="Kennismaken",
        starts_at=timezone.now() + timedelta(days=2),
        place="Lokaal 5",
        participants=[circle["mother"]],
    )
    client.force_login(circle["mother"])
    url = f"/gesprekken/{conversation.pk}/komt-u/"
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert client.post(url, {"answer": "yes"}).status_code == 302
    mine = Participant.objects.filter(conversation=conversation, user=circle["mother"])
    assert mine.count() == 1 and mine.get().rsvp == Participant.Rsvp.YES
