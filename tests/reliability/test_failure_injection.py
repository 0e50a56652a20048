"""REL-04: a multi-row business operation is all or nothing.

Each test lets one write halfway through an operation fail (the second save, a notification, or the
access-log append) and checks that no partial rows remain, no task is queued and no e-mail goes out.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.consent import services as consent_services
from apps.consent.models import Consent, ConsentEvent, ConsentScope, ConsentSignature
from apps.conversations import services as conversation_services
from apps.conversations.models import Conversation, Outcome, Participant
from apps.helpguide import services as helpguide_services
from apps.helpguide.models import HelpQuestion
from apps.meetings import services as meeting_services
from apps.meetings.models import Invitation
from apps.messaging import services as messaging_services
from apps.messaging.models import Announcement, Attachment, Message, PendingNotice, ReadReceipt, Thread
from apps.notifications.models import Notification, OutgoingMail
from apps.planner import services as planner_services
from apps.planner.models import Booking, WaitlistEntry
from apps.plans import services as plan_services
from apps.plans.models import Agreement, PlanChange
from apps.timeline import services as timeline_services
from apps.timeline.models import TimelineEntry, TimelineRevision
from tests.factories import (
    CareOrganisationFactory,
    GuardianshipFactory,
)
from tests.planner.factories import evening, family_school

pytestmark = pytest.mark.django_db


class Injected(Exception):
    """The failure a test injects; never raised by the product itself."""


def fail_on_save(monkeypatch, model, nth: int = 1, when=lambda obj, kwargs: True):
    """Let the nth matching save() of `model` raise; earlier ones go through."""
    original = model.save
    calls = {"n": 0}

    def save(self, *args, **kwargs):
        if when(self, kwargs):
            calls["n"] += 1
            if calls["n"] >= nth:
                raise Injected(f"{model.__name__}.save")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)


def fail_on_manager(monkeypatch, model, method: str):
    def boom(*args, **kwargs):
        raise Injected(f"{model.__name__}.{method}")

    monkeypatch.setattr(model.objects, method, boom)


# --- consent ----------------------------------------------------------------------------------------------------


def test_giving_consent_is_undone_when_its_history_line_fails(circle, monkeypatch):
    fail_on_save(monkeypatch, ConsentEvent)
    with pytest.raises(Injected):
        consent_services.request_consent(
            child=circle["child"],
            by=circle["mother"],
            organisation=CareOrganisationFactory(),
            categories=["basic", "support"],
            starts_on=timezone.localdate(),
        )
    assert not Consent.objects.exists() and not ConsentScope.objects.exists()


def test_giving_consent_is_undone_when_the_signature_fails(circle, monkeypatch):
    fail_on_save(monkeypatch, ConsentSignature)
    with pytest.raises(Injected):
        consent_services.request_consent(
            child=circle["child"],
            by=circle["mother"],
            organisation=CareOrganisationFactory(),
            categories=["basic"],
            starts_on=timezone.localdate(),
        )
    assert not Consent.objects.exists() and not ConsentEvent.objects.exists()


# --- plan -------------------------------------------------------------------------------------------------------


def _add_agreement(circle):
    return plan_services.add_agreement(
        Actor(circle["ib"]),
        circle["child"],
        what="Elke week samen de planning doornemen",
        owner=circle["mother"],
        due=timezone.localdate() + timedelta(days=14),
    )


def test_agreement_plan_change_and_notification_are_one_step(circle, monkeypatch):
    fail_on_save(monkeypatch, Notification)
    with pytest.raises(Injected):
        _add_agreement(circle)
    assert not Agreement.objects.exists() and not PlanChange.objects.exists()


def test_agreement_is_not_written_when_its_history_line_fails(circle, monkeypatch):
    fail_on_save(monkeypatch, PlanChange)
    with pytest.raises(Injected):
        _add_agreement(circle)
    assert not Agreement.objects.exists() and not Notification.objects.exists()


def test_no_write_without_its_access_log_entry(circle, monkeypatch):
    """The policy logs before the write; when the log cannot be written, nothing is written (fail closed)."""
    from apps.access import policy

    def append(entries):
        raise Injected("audit append")

    monkeypatch.setattr(policy, "append", append)
    with pytest.raises(Injected):
        _add_agreement(circle)
    assert not Agreement.objects.exists() and not PlanChange.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_conversation_outcome_and_its_agreement_are_one_step(circle, monkeypatch):
    conversation = conversation_services.plan_conversation(
        Actor(circle["teacher"]),
        circle["child"],
        kind="progress",
        purpose="Hoe gaat het met lezen?",
        starts_at=timezone.now() + timedelta(days=2),
        place="Lokaal 5",
        participants=[circle["mother"]],
        send=False,
    )
    fail_on_save(monkeypatch, Outcome)
    with pytest.raises(Injected):
        conversation_services.add_outcome(
            Actor(circle["teacher"]),
            conversation,
            what="Thuis elke dag 10 minuten lezen",
            owner=circle["mother"],
            due=timezone.localdate() + timedelta(days=7),
        )
    assert not Agreement.objects.exists() and not PlanChange.objects.exists()


# --- timeline ---------------------------------------------------------------------------------------------------


def test_timeline_correction_keeps_no_orphan_revision(circle, monkeypatch):
    entry = timeline_services.add_entry(
        Actor(circle["teacher"]), circle["child"], kind="school", happened_on=timezone.localdate(), text="Eerste versie"
    )

    def update(self, **kwargs):
        raise Injected("TimelineEntry update")

    monkeypatch.setattr(QuerySet, "update", update)
    with pytest.raises(Injected):
        timeline_services.correct_entry(
            Actor(circle["teacher"]),
            entry,
            expected_version=entry.version,
            kind="school",
            happened_on=timezone.localdate(),
            ends_on=None,
            text="Tweede versie",
            category=entry.category,
        )
    monkeypatch.undo()
    assert not TimelineRevision.objects.exists()
    assert TimelineEntry.objects.get().text == "Eerste versie"


# --- conversations ----------------------------------------------------------------------------------------------


def test_conversation_without_all_invitations_is_not_planned(circle, monkeypatch, django_capture_on_commit_callbacks):
    """The second invitation fails: no conversation, no participants, and the first invitee gets no e-mail."""
    fail_on_save(monkeypatch, Notification, nth=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        conversation_services.plan_conversation(
            Actor(circle["teacher"]),
            circle["child"],
            kind="progress",
            purpose="Hoe gaat het met lezen?",
            starts_at=timezone.now() + timedelta(days=2),
            place="Lokaal 5",
            participants=[circle["mother"], circle["father"]],
        )
    assert not callbacks and not mail.outbox
    assert not Conversation.objects.exists() and not Participant.objects.exists()
    assert not Notification.objects.exists() and not OutgoingMail.objects.exists()


def test_conversation_is_not_planned_when_its_participants_fail(circle, monkeypatch):
    fail_on_manager(monkeypatch, Participant, "bulk_create")
    with pytest.raises(Injected):
        conversation_services.plan_conversation(
            Actor(circle["teacher"]),
            circle["child"],
            kind="progress",
            purpose="Hoe gaat het met lezen?",
            starts_at=timezone.now() + timedelta(days=2),
            place="Lokaal 5",
            participants=[circle["mother"]],
        )
    assert not Conversation.objects.exists()


# --- messages and announcements ---------------------------------------------------------------------------------


def test_new_thread_leaves_nothing_when_the_read_receipt_fails(circle, monkeypatch, django_capture_on_commit_callbacks):
    fail_on_save(monkeypatch, ReadReceipt)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        messaging_services.create_thread(Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo")
    assert not callbacks and not mail.outbox  # no digest task queued
    assert not Thread.objects.exists() and not Message.objects.exists()
    assert not Notification.objects.exists() and not PendingNotice.objects.exists()


def test_reply_leaves_nothing_when_a_notification_fails(circle, monkeypatch, django_capture_on_commit_callbacks):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    before = (Message.objects.count(), Notification.objects.count(), PendingNotice.objects.count())
    fail_on_save(monkeypatch, Notification, nth=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        messaging_services.post_message(Actor(circle["mother"]), thread, "Dank je!")
    assert not callbacks
    assert (Message.objects.count(), Notification.objects.count(), PendingNotice.objects.count()) == before


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files() -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_new_thread_with_attachment_leaves_no_file_when_the_read_receipt_fails(circle, monkeypatch):
    """The rollback forgets the attachment row; the file it had already written must go too."""
    fail_on_manager(monkeypatch, ReadReceipt, "create")
    with pytest.raises(Injected):
        messaging_services.create_thread(
            Actor(circle["teacher"]), circle["child"], "basic", "Verslag", "Zie bijlage",
            files=[SimpleUploadedFile("verslag.pdf", PDF)],
        )  # fmt: skip
    assert not Thread.objects.exists() and not Message.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_reply_with_two_attachments_leaves_no_file_when_the_second_fails(circle, monkeypatch):
    thread = messaging_services.create_thread(
        Actor(circle["teacher"]), circle["child"], "basic", "Over de week", "Hallo"
    )
    fail_on_save(monkeypatch, Attachment, nth=2)  # the second file is already in storage when its row fails
    files = [SimpleUploadedFile("een.pdf", PDF), SimpleUploadedFile("twee.pdf", PDF)]
    with pytest.raises(Injected):
        messaging_services.post_message(Actor(circle["mother"]), thread, "Twee verslagen", files=files)
    assert Message.objects.filter(thread=thread).count() == 1 and not Attachment.objects.exists()
    assert stored_files() == []
    monkeypatch.undo()  # a message that is saved keeps its file
    messaging_services.post_message(Actor(circle["mother"]), thread, "Nu wel", files=[SimpleUploadedFile("d.pdf", PDF)])
    assert len(stored_files()) == 1


def test_announcement_in_a_failed_transaction_is_never_delivered(circle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected), transaction.atomic():
        messaging_services.publish_announcement(
            circle["ib"], school=circle["group"].school, title="Studiedag", body="Vrijdag vrij"
        )
        raise Injected("after publishing")
    assert not callbacks and not mail.outbox
    assert not Announcement.objects.exists() and not Notification.objects.exists()


# --- planner ----------------------------------------------------------------------------------------------------


@pytest.fixture
def planner_world(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    world = family_school()
    world["round"] = planner_services.open_round(
        world["t5"], world["g5"], purpose="Kennismaken", windows=[evening(7)], place="Lokaal 5"
    )
    return world


def _nothing_booked():
    assert not Booking.objects.exists()
    assert not Conversation.objects.exists() and not Participant.objects.exists()
    assert not Notification.objects.exists() and not OutgoingMail.objects.exists()


def test_booking_is_undone_when_linking_its_conversation_fails(
    planner_world, monkeypatch, django_capture_on_commit_callbacks
):
    w = planner_world
    fail_on_save(monkeypatch, Booking, when=lambda obj, kwargs: kwargs.get("update_fields") == ["conversation"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        planner_services.book_slot(Actor(w["guardians"][0]), w["round"].slots.first(), w["children"][0])
    assert not callbacks and not mail.outbox
    _nothing_booked()


def test_booking_for_a_family_is_undone_when_telling_a_guardian_fails(
    planner_world, monkeypatch, django_capture_on_commit_callbacks
):
    """The teacher books after a phone call; if a guardian cannot be told, the booking is not kept."""
    w = planner_world
    child = w["children"][0]
    GuardianshipFactory(child=child, relation="father")
    fail_on_save(
        monkeypatch, Notification, nth=2, when=lambda obj, kwargs: obj.key.startswith("planner-booked-for-family")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        planner_services.book_for_family(Actor(w["t5"]), w["round"].slots.first(), child)
    assert not callbacks and not mail.outbox
    _nothing_booked()


def test_freed_slot_stays_booked_when_the_waitlist_cannot_be_told(planner_world, monkeypatch):
    w = planner_world
    child, other = w["children"][0], w["children"][1]
    booking = planner_services.book_slot(Actor(w["guardians"][0]), w["round"].slots.first(), child)
    WaitlistEntry.objects.create(round=w["round"], child=other, user=w["guardians"][1])
    fail_on_save(monkeypatch, Notification)
    with pytest.raises(Injected):
        planner_services.release_booking(booking)
    booking.refresh_from_db()
    assert booking.cancelled_at is None


# --- help questions and meetings --------------------------------------------------------------------------------


def test_help_question_is_not_stored_when_the_handler_cannot_be_told(
    circle, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.helpguide.models import HelpGuide, Topic

    guide = HelpGuide.objects.create(school=circle["group"].school, intro="Welkom")
    topic = Topic.objects.create(guide=guide, name="Leren", handler=circle["teacher"], order=1)
    fail_on_save(monkeypatch, Notification)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Injected):
        helpguide_services.ask(
            Actor(circle["mother"]), topic=topic, text="Rekenen gaat moeilijk", preferred_contact="bericht"
        )
    assert not callbacks and not mail.outbox  # no escalation scheduled
    assert not HelpQuestion.objects.exists()


def test_attendance_is_not_half_saved(circle, monkeypatch):
    meeting = meeting_services.create_meeting(
        school=circle["group"].school,
        by=circle["ib"],
        title="Ouderavond",
        kind="parent_evening",
        starts_at=timezone.now() + timedelta(days=14),
        rsvp_deadline=timezone.now() + timedelta(days=10),
        location="Aula",
        invitation_text="Welkom.",
    )
    meeting_services.invite(meeting, [circle["mother"], circle["father"]], kind="guardian")
    first, second = meeting.invitations.order_by("pk")
    meeting_services.set_attendance(meeting, [first.pk])
    original = QuerySet.update
    calls = {"n": 0}

    def update(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Injected("second update")
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    with pytest.raises(Injected):
        meeting_services.set_attendance(meeting, [second.pk])
    monkeypatch.undo()
    assert set(Invitation.objects.filter(attended=True).values_list("pk", flat=True)) == {first.pk}
