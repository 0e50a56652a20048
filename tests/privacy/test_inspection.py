"""Right of inspection (R5, R8): who asks, the due date, the extension, the redaction step, the ZIP, the log."""

import json
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.circles.models import Guardianship
from apps.conversations.models import Conversation
from apps.core.models import BackgroundJob
from apps.messaging.models import Attachment, Message, Thread
from apps.privacy import rules, services
from apps.privacy.models import InspectionRequest
from apps.timeline.services import add_entry
from tests.factories import UserFactory, reauthenticated, years_ago

from .conftest import web

pytestmark = pytest.mark.django_db


def _fill(fam):
    """A file with a working note, a message with an attachment and a youth worker's entry."""
    add_entry(
        web(fam.teacher),
        fam.child,
        kind="school",
        happened_on=timezone.localdate(),
        text="Noor speelde met Daan Visser en was blij",
        category="development",
    )
    add_entry(
        web(fam.worker),
        fam.child,
        kind="support",
        happened_on=timezone.localdate(),
        text="Gesprek bij het CJG over slapen",
        category="support",
    )
    now = timezone.now()
    Conversation.objects.create(
        child=fam.child,
        purpose="Voortgang",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        organiser=fam.teacher,
        notes="Werkaantekening: moeder maakt zich zorgen",
    )
    thread = Thread.objects.create(child=fam.child, subject="Huiswerk", created_by=fam.teacher, category="development")
    message = Message.objects.create(thread=thread, author=fam.teacher, body="Zie de bijlage")
    attachment = Attachment(
        message=message, original_name="rapport.pdf", content_type="application/pdf", scan_state="clean", size=16
    )
    attachment.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 rapport"), save=True)
    return message


def _zip(req) -> zipfile.ZipFile:
    req.refresh_from_db()
    return zipfile.ZipFile(req.file.open("rb"))


# --- who may ask ---------------------------------------------------------------------------------------------


def test_a_mother_with_confirmed_gezag_asks_and_it_is_due_one_month_later(fam):
    with time_machine.travel(date(2027, 1, 31)):
        req = services.request_inspection(web(fam.mother), fam.child)
    assert req.due_on == date(2027, 2, 28)  # one month, clamped to the month's last day
    assert AccessLogEntry.objects.filter(actor=fam.mother, action="create", allowed=True, child=fam.child).exists()


def test_a_parent_without_gezag_is_refused_with_a_calm_reason_and_the_refusal_is_logged(fam):
    with pytest.raises(AccessDenied) as refused:
        services.request_inspection(web(fam.father), fam.child)
    assert "zonder gezag" in str(refused.value)
    assert AccessLogEntry.objects.filter(actor=fam.father, allowed=False, child=fam.child).exists()
    assert not InspectionRequest.objects.exists()


def test_a_parent_without_gezag_for_a_16_year_old_is_refused_the_young_person_asks(fam):
    fam.child.date_of_birth = years_ago(16)
    fam.child.save()
    young = UserFactory()
    fam.child.user = young
    fam.child.save()
    for parent in (fam.father, fam.mother):
        with pytest.raises(AccessDenied) as refused:
            services.request_inspection(web(parent), fam.child)
        assert "Vanaf 16 jaar vraagt Noor dit zelf" in str(refused.value)
    assert services.request_inspection(web(young), fam.child).scope == "full"


def test_a_child_of_13_asks_only_for_what_youth_care_recorded(fam):
    fam.child.date_of_birth = years_ago(13)
    fam.child.user = UserFactory()
    fam.child.save()
    with pytest.raises(AccessDenied):
        services.request_inspection(web(fam.child.user), fam.child)
    req = services.request_inspection(web(fam.child.user), fam.child, youth_care=True)
    assert req.scope == InspectionRequest.Scope.YOUTH_CARE


def test_an_unconfirmed_gezag_a_teacher_and_a_stranger_are_refused(fam):
    Guardianship.objects.filter(user=fam.mother).update(authority_status=Guardianship.Authority.DECLARED)
    fam.child.refresh_from_db()
    for user in (fam.mother, fam.teacher, fam.outsider, fam.classmate_mother):
        child = type(fam.child).objects.prefetch_related("guardianships").get(pk=fam.child.pk)
        with pytest.raises(AccessDenied):
            services.request_inspection(web(user), child)
    assert AccessLogEntry.objects.filter(allowed=False, child=fam.child).count() == 4


def test_a_second_open_request_is_refused_in_dutch(fam):
    services.request_inspection(web(fam.mother), fam.child)
    with pytest.raises(ValidationError, match="al een inzageverzoek"):
        services.request_inspection(web(fam.mother), fam.child)


# --- extension -------------------------------------------------------------------------------------------------


def test_an_extension_needs_a_reason_and_at_most_two_months(fam):
    with time_machine.travel(date(2027, 3, 10)):
        req = services.request_inspection(web(fam.mother), fam.child)
        assert req.due_on == date(2027, 4, 10)
        with pytest.raises(ValidationError) as e:
            services.extend(web(fam.ib), req, until=date(2027, 5, 1), reason="")
        assert "reason" in e.value.message_dict
        with pytest.raises(ValidationError) as e:
            services.extend(web(fam.ib), req, until=rules.latest_extension(req.due_on) + timedelta(days=1), reason="x")
        assert "hoogstens twee maanden" in e.value.message_dict["until"][0]
        services.extend(web(fam.ib), req, until=date(2027, 6, 10), reason="Veel berichten en bijlagen")
    with pytest.raises(AccessDenied):
        services.extend(web(fam.teacher), req, until=date(2027, 6, 1), reason="x")


def test_the_requester_sees_the_extension_reason_on_the_page(fam, logged_in):
    req = services.request_inspection(web(fam.mother), fam.child)
    services.extend(web(fam.ib), req, until=req.due_on + timedelta(days=30), reason="Veel berichten en bijlagen")
    page = logged_in(fam.mother).get(reverse("privacy:child", args=[fam.child.pk])).content.decode()
    assert "Veel berichten en bijlagen" in page


# --- the export --------------------------------------------------------------------------------------------------


def test_the_export_holds_everything_with_third_parties_redacted_and_is_logged(fam):
    message = _fill(fam)
    req = services.request_inspection(web(fam.mother), fam.child)
    assert "Daan Visser" in services.redaction_suggestions(req)
    job = services.prepare(web(fam.ib), req, terms=["Daan Visser"], omitted=[], reason="gaat over een ander kind")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.percent == 100
    z = _zip(req)
    names = z.namelist()
    assert "dossier.pdf" in names and z.read("dossier.pdf").startswith(b"%PDF")
    assert any(n.startswith("bijlagen/") and n.endswith("rapport.pdf") for n in names)
    data = json.loads(z.read("dossier.json"))
    blob = json.dumps(data)
    assert "Daan Visser" not in blob and "[weggelaten]" in blob
    assert "Werkaantekening: moeder maakt zich zorgen" in blob  # working notes are in scope (R8)
    assert "Gesprek bij het CJG over slapen" in blob
    assert data["consents"] and data["circle"] and data["access_log"]
    assert data["messages"][0]["id"] == message.pk
    assert "ip" not in data["access_log"][0] and "hash" not in data["access_log"][0]
    exports = AccessLogEntry.objects.filter(actor=fam.ib, action="export", channel="export", child=fam.child)
    assert set(exports.values_list("category", flat=True)) == {"basic", "development", "support", "health"}


def test_an_omitted_message_takes_its_attachment_along(fam):
    message = _fill(fam)
    req = services.request_inspection(web(fam.mother), fam.child)
    services.prepare(web(fam.ib), req, omitted=[f"messages:{message.pk}"], reason="over de andere ouder")
    z = _zip(req)
    data = json.loads(z.read("dossier.json"))
    assert data["messages"] == [] and data["attachments"] == []
    assert not any(n.startswith("bijlagen/") for n in z.namelist())


def test_a_redaction_that_would_empty_the_export_is_refused(fam):
    _fill(fam)
    req = services.request_inspection(web(fam.mother), fam.child)
    with pytest.raises(ValidationError) as e:
        services.prepare(web(fam.ib), req, terms=["Noor"], reason="x")
    assert "leeg" in e.value.message_dict["terms"][0]
    counts = services.export.count_items(fam.child)
    everything = [
        f"{s.key}:{pk}"
        for s in services.export.SECTIONS
        if s.key not in ("child", "access_log")
        for pk in services.export.queryset(s, fam.child).values_list("pk", flat=True)
    ]
    assert len(everything) == sum(n for k, n in counts.items() if k not in ("child", "access_log"))
    with pytest.raises(ValidationError) as e:
        services.prepare(web(fam.ib), req, omitted=everything, reason="x")
    assert "niets over" in e.value.message_dict["omitted"][0]
    req.refresh_from_db()
    assert req.status == InspectionRequest.Status.RECEIVED and not req.file


def test_leaving_something_out_needs_a_reason(fam):
    req = services.request_inspection(web(fam.mother), fam.child)
    with pytest.raises(ValidationError) as e:
        services.prepare(web(fam.ib), req, terms=["Daan"])
    assert "reason" in e.value.message_dict


def test_only_the_coordinator_prepares(fam):
    req = services.request_inspection(web(fam.mother), fam.child)
    for user in (fam.teacher, fam.worker, fam.mother):
        with pytest.raises(AccessDenied):
            services.prepare(web(user), req)


def test_the_youth_care_copy_holds_only_what_outside_professionals_recorded(fam):
    _fill(fam)
    fam.child.date_of_birth = years_ago(13)
    fam.child.user = UserFactory()
    fam.child.save()
    req = services.request_inspection(web(fam.child.user), fam.child, youth_care=True)
    services.prepare(web(fam.ib), req)
    blob = _zip(req).read("dossier.json").decode()
    assert "Gesprek bij het CJG over slapen" in blob
    assert "Werkaantekening" not in blob and "speelde met" not in blob


def test_only_the_requester_downloads_and_the_download_is_logged(fam, logged_in):
    req = services.request_inspection(web(fam.mother), fam.child)
    services.prepare(web(fam.ib), req)
    url = reverse("privacy:download", args=[req.pk])
    client = reauthenticated(logged_in(fam.father))
    assert client.get(url).status_code == 404
    client = reauthenticated(logged_in(fam.mother))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AccessLogEntry.objects.filter(actor=fam.mother, action="export", allowed=True).exists()
    req.refresh_from_db()
    assert req.downloaded_at is not None


# --- the family's own download --------------------------------------------------------------------------------


def test_the_family_downloads_at_once_only_what_it_may_see(fam, logged_in):
    _fill(fam)
    client = reauthenticated(logged_in(fam.mother))
    response = client.get(reverse("privacy:download_visible", args=[fam.child.pk]))
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(__import__("io").BytesIO(response.content)).read("dossier.json"))
    assert "notes" not in data["conversations"][0]  # professionals' working notes are not on the family's pages
    assert AccessLogEntry.objects.filter(actor=fam.mother, action="export", channel="web").count() == 4


def test_a_parent_without_gezag_cannot_download_and_the_refusal_is_logged(fam, logged_in):
    client = reauthenticated(logged_in(fam.father))
    assert client.get(reverse("privacy:download_visible", args=[fam.child.pk])).status_code == 403
    assert AccessLogEntry.objects.filter(actor=fam.father, action="export", allowed=False).exists()


def test_the_pages_of_the_flow_answer(fam, logged_in):
    client = logged_in(fam.mother)
    url = reverse("privacy:child", args=[fam.child.pk])
    response = client.post(url, {"note": "Graag digitaal"})
    assert response.status_code == 302
    req = InspectionRequest.objects.get()
    ib = logged_in(fam.ib)
    assert ib.get(reverse("privacy:inbox")).status_code == 200
    page = ib.get(reverse("privacy:handle", args=[req.pk]))
    assert page.status_code == 200 and "Graag digitaal" in page.content.decode()
    assert ib.post(reverse("privacy:handle", args=[req.pk]), {"red-terms": "", "red-omitted": ""}).status_code == 302
    req.refresh_from_db()
    assert req.status == InspectionRequest.Status.READY
    assert logged_in(fam.teacher).get(reverse("privacy:handle", args=[req.pk])).status_code == 403


def test_the_child_page_links_to_the_rights_page_for_the_family_and_the_coordinator(fam, logged_in):
    url = reverse("privacy:child", args=[fam.child.pk])
    for user, shown in ((fam.mother, True), (fam.ib, True), (fam.teacher, False), (fam.father, False)):
        page = logged_in(user).get(reverse("circles:detail", args=[fam.child.pk])).content.decode()
        assert (url in page) == shown, user
