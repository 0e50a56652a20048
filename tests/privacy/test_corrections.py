"""Correction of a factual error (the owner decides within 4 weeks, history kept) and the own statement."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.conversations.models import Conversation
from apps.notifications.models import Notification
from apps.privacy import services
from apps.privacy.models import CorrectionRequest
from apps.timeline.models import TimelineRevision
from apps.timeline.services import add_entry

from .conftest import web

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(fam):
    return add_entry(
        web(fam.teacher),
        fam.child,
        kind="school",
        happened_on=timezone.localdate(),
        text="Noor was drie dagen afwezig",
        category="development",
    )


def test_the_owner_corrects_within_four_weeks_and_the_old_text_is_kept(fam, entry):
    with time_machine.travel(date(2027, 2, 10)):
        c = services.request_correction(
            web(fam.mother),
            "timeline_entry",
            entry.pk,
            proposed_text="Noor was één dag afwezig",
            explanation="Het was één dag",
        )
    assert c.due_on == date(2027, 3, 10) and c.owner == fam.teacher and c.current_text == entry.text
    assert Notification.objects.filter(user=fam.teacher, key=f"correction:{c.pk}").exists()
    services.decide_correction(web(fam.teacher), c, accept=True)
    entry.refresh_from_db()
    assert entry.text == "Noor was één dag afwezig" and entry.version == 2
    assert TimelineRevision.objects.get(entry=entry).text == "Noor was drie dagen afwezig"
    assert Notification.objects.filter(user=fam.mother, key=f"correction-decided:{c.pk}").exists()


def test_a_refusal_needs_a_reason_the_family_reads(fam, entry, logged_in):
    c = services.request_correction(
        web(fam.mother), "timeline_entry", entry.pk, proposed_text="Anders", explanation="Klopt niet"
    )
    with pytest.raises(ValidationError) as e:
        services.decide_correction(web(fam.teacher), c, accept=False)
    assert "decision_reason" in e.value.message_dict
    services.decide_correction(web(fam.teacher), c, accept=False, reason="Dit staat zo in het absentieregister")
    page = logged_in(fam.mother).get(reverse("privacy:correction", args=[c.pk])).content.decode()
    assert "Dit staat zo in het absentieregister" in page
    entry.refresh_from_db()
    assert entry.text == "Noor was drie dagen afwezig"
    with pytest.raises(ValidationError):
        services.decide_correction(web(fam.teacher), c, accept=True)


def test_only_the_owner_decides(fam, entry):
    c = services.request_correction(
        web(fam.mother), "timeline_entry", entry.pk, proposed_text="Anders", explanation="Klopt niet"
    )
    with pytest.raises(PermissionDenied):
        services.decide_correction(web(fam.ib), c, accept=True)
    with pytest.raises(AccessDenied):
        services.decide_correction(web(fam.father), c, accept=True)


def test_a_correction_request_for_someone_elses_child_is_refused_and_logged(fam, entry):
    with pytest.raises(AccessDenied):
        services.request_correction(
            web(fam.classmate_mother), "timeline_entry", entry.pk, proposed_text="x", explanation="y"
        )
    assert AccessLogEntry.objects.filter(actor=fam.classmate_mother, allowed=False, child=fam.child).exists()
    assert not CorrectionRequest.objects.exists()


def test_a_parent_without_gezag_cannot_ask_for_a_correction(fam, entry):
    with pytest.raises(AccessDenied):
        services.request_correction(web(fam.father), "timeline_entry", entry.pk, proposed_text="x", explanation="y")


def test_a_professional_opinion_is_not_changed_but_gets_the_familys_statement(fam, logged_in):
    now = timezone.now()
    conversation = Conversation.objects.create(
        child=fam.child,
        purpose="Voortgang",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        organiser=fam.teacher,
        feedback="Noor moet harder werken",
        feedback_sent_at=now,
    )
    with pytest.raises(ValidationError, match="professioneel oordeel"):
        services.request_correction(
            web(fam.mother), "conversation", conversation.pk, proposed_text="x", explanation="y"
        )
    s = services.add_statement(web(fam.mother), "conversation", conversation.pk, text="Noor werkt thuis elke dag")
    assert s.category == "development"


def test_the_statement_is_shown_on_the_timeline_to_everyone_who_sees_the_entry(fam, entry, logged_in):
    services.add_statement(web(fam.mother), "timeline_entry", entry.pk, text="Wij zien dat anders: ze was ziek")
    for user in (fam.teacher, fam.ib):
        page = logged_in(user).get(reverse("timeline:child", args=[fam.child.pk])).content.decode()
        assert "Wij zien dat anders: ze was ziek" in page, user
    # The father has no gezag: he reads nothing of the file unless the school grants a request (BW 1:377c).
    assert logged_in(fam.father).get(reverse("timeline:child", args=[fam.child.pk])).status_code == 403
    page = logged_in(fam.mother).get(reverse("timeline:child", args=[fam.child.pk])).content.decode()
    assert reverse("privacy:entry_statement", args=[entry.pk]) in page


def test_an_empty_statement_is_refused_in_dutch(fam, entry):
    with pytest.raises(ValidationError, match="Schrijf uw zienswijze op"):
        services.add_statement(web(fam.mother), "timeline_entry", entry.pk, text="  ")


def test_the_correction_page_flow(fam, entry, logged_in):
    client = logged_in(fam.mother)
    url = reverse("privacy:entry_correction", args=[entry.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"proposed_text": "Eén dag", "explanation": "Klopt niet"}).status_code == 302
    c = CorrectionRequest.objects.get()
    teacher = logged_in(fam.teacher)
    assert teacher.post(reverse("privacy:correction", args=[c.pk]), {"accept": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Eén dag"
    assert logged_in(fam.outsider).get(url).status_code == 403
