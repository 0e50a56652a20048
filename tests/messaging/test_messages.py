"""Messages in the circle: policy per category, escaping, attachments, rate limit, receipts, digests."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.messaging import services
from apps.messaging.models import Attachment, Message, NotificationSetting, PendingNotice, ReadReceipt, Thread
from apps.notifications.models import Notification

from .conftest import EXE, PDF, PNG, give_consent, image_bytes

pytestmark = pytest.mark.django_db


def _thread(c, category="basic", author="teacher", body="Hallo"):
    return services.create_thread(Actor(c[author]), c["child"], category, "Over de week", body)


def test_teacher_starts_thread_and_the_circle_is_notified_in_app_at_once(client, circle):
    c = circle
    client.force_login(c["teacher"])
    response = client.post(
        f"/berichten/kind/{c['child'].pk}/nieuw/",
        {
            "subject": "Mooie tekening",
            "category": "basic",
            "body": "Noor maakte een prachtige tekening!",
            "tag": "positief",
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.messages.get().tag == "positief"
    notified = set(Notification.objects.filter(key__startswith="message:").values_list("user_id", flat=True))
    # Guardians, IB'er; not the author; not the CJG worker (no consent).
    assert notified == {c["mother"].pk, c["father"].pk, c["ib"].pk}


def test_youth_worker_without_consent_cannot_open_thread_and_refusal_is_logged(client, circle):
    c = circle
    thread = _thread(c)
    client.force_login(c["worker"])
    assert client.get(f"/berichten/gesprek/{thread.pk}/").status_code == 403
    assert AccessLogEntry.objects.filter(actor=c["worker"], allowed=False, child_id=c["child"].pk).exists()
    assert "Over de week" not in client.get("/berichten/").content.decode()
    # Posting into it is refused too, and writes nothing.
    assert client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "inbreken"}).status_code == 403
    assert thread.messages.count() == 1


def test_youth_worker_sees_only_threads_of_the_categories_consented(client, circle):
    c = circle
    basic = _thread(c, "basic")
    support = services.create_thread(Actor(c["ib"]), c["child"], "support", "Ondersteuning", "Plan bespreken")
    give_consent(c, ["basic"])
    client.force_login(c["worker"])
    assert client.get(f"/berichten/gesprek/{basic.pk}/").status_code == 200
    assert client.get(f"/berichten/gesprek/{support.pk}/").status_code == 403
    inbox = client.get("/berichten/").content.decode()
    assert "Over de week" in inbox and "Ondersteuning" not in inbox


def test_guardian_of_another_child_cannot_read_thread(client, circle):
    from tests.factories import GuardianshipFactory

    thread = _thread(circle)
    stranger = GuardianshipFactory().user
    client.force_login(stranger)
    assert client.get(f"/berichten/gesprek/{thread.pk}/").status_code == 403
    assert AccessLogEntry.objects.filter(actor=stranger, allowed=False).exists()


def test_html_in_a_message_is_escaped(client, circle):
    c = circle
    thread = _thread(c, body='<script>alert("x")</script><b>vet</b>')
    client.force_login(c["mother"])
    page = client.get(f"/berichten/gesprek/{thread.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>vet</b>" not in page


def test_read_receipts_per_recipient(client, circle):
    c = circle
    thread = _thread(c)
    message = thread.messages.get()
    client.force_login(c["mother"])
    client.get(f"/berichten/gesprek/{thread.pk}/")
    readers = set(ReadReceipt.objects.filter(message=message).values_list("user_id", flat=True))
    assert readers == {c["teacher"].pk, c["mother"].pk}
    client.force_login(c["teacher"])
    page = client.get(f"/berichten/gesprek/{thread.pk}/").content.decode()
    assert "Gelezen door" in page and "Sanne Peters" in page and "Rob Peters" not in page.split("Gelezen door")[1]


def test_attachment_png_is_stored_and_only_downloaded_through_the_policy(client, circle):
    c = circle
    client.force_login(c["teacher"])
    upload = SimpleUploadedFile("tekening.png", PNG, content_type="image/png")
    thread = _thread(c)
    response = client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "Zie foto", "attachment": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.original_name == "tekening.png"
    assert attachment.file.name.startswith("messaging/") and "tekening" not in attachment.file.name
    client.force_login(c["mother"])
    download = client.get(f"/berichten/bijlage/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff" and download["Content-Security-Policy"] == "sandbox"
    client.force_login(c["worker"])  # no consent
    assert client.get(f"/berichten/bijlage/{attachment.pk}/").status_code == 403
    assert AccessLogEntry.objects.filter(actor=c["worker"], allowed=False, object_type="attachment").exists()


def test_pdf_is_accepted(circle):
    c = circle
    thread = _thread(c)
    services.post_message(Actor(c["teacher"]), thread, "Verslag", files=[SimpleUploadedFile("v.pdf", PDF)])
    assert Attachment.objects.get().content_type == "application/pdf"


def test_exe_renamed_pdf_is_refused_and_nothing_is_written(client, circle):
    c = circle
    thread = _thread(c)
    client.force_login(c["teacher"])
    upload = SimpleUploadedFile("rapport.pdf", EXE, content_type="application/pdf")
    response = client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "Het rapport", "attachment": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit soort bestand kan niet als bijlage" in page
    assert "Het rapport" in page  # the typed text stays in the form
    assert thread.messages.count() == 1 and not Attachment.objects.exists()


def test_oversized_attachment_is_refused(circle, settings):
    c = circle
    settings.MESSAGING_MAX_ATTACHMENT_BYTES = 100
    thread = _thread(c)
    with pytest.raises(Exception, match="te groot"):
        services.post_message(Actor(c["teacher"]), thread, "groot", files=[SimpleUploadedFile("a.png", PNG * 10)])
    assert thread.messages.count() == 1


def test_flood_is_rate_limited_with_a_clear_message_and_the_text_kept(client, circle, settings):
    c = circle
    settings.MESSAGING_RATE_LIMIT = (3, 60)
    thread = _thread(c)  # message 1
    client.force_login(c["teacher"])
    for i in range(2):
        assert client.post(f"/berichten/gesprek/{thread.pk}/", {"body": f"bericht {i}"}).status_code == 302
    response = client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "Mijn lange zorgvuldige tekst"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "U stuurt veel berichten kort na elkaar" in page
    assert "Mijn lange zorgvuldige tekst" in page
    assert thread.messages.count() == 3
    # Others are not affected.
    client.force_login(c["mother"])
    assert client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "Dank!"}).status_code == 302


def test_email_digest_at_most_one_per_hour_and_idempotent(circle, mailoutbox, django_capture_on_commit_callbacks):
    c = circle
    with django_capture_on_commit_callbacks(execute=True):
        thread = _thread(c)  # the first message: a digest goes out at once (nothing was sent this hour)
    mother_mails = [m for m in mailoutbox if c["mother"].email in m.to]
    assert len(mother_mails) == 1
    assert "Hallo" not in mother_mails[0].body  # no message content in e-mail, only who and where
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(Actor(c["teacher"]), thread, "Tweede")
        services.post_message(Actor(c["teacher"]), thread, "Derde")
        call_command("send_message_digests")
    assert len([m for m in mailoutbox if c["mother"].email in m.to]) == 1  # bundled, not yet sent
    later = timezone.now() + timedelta(minutes=61)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digest(c["mother"], now=later) is True
    mails = [m for m in mailoutbox if c["mother"].email in m.to]
    assert len(mails) == 2 and "2 nieuwe berichten" in mails[1].subject
    assert services.send_digest(c["mother"], now=later + timedelta(minutes=120)) is False  # nothing pending


def test_per_person_setting_no_email(circle, mailoutbox, django_capture_on_commit_callbacks):
    c = circle
    NotificationSetting.objects.create(user=c["mother"], email_interval_minutes=0)
    with django_capture_on_commit_callbacks(execute=True):
        _thread(c)
    assert not [m for m in mailoutbox if c["mother"].email in m.to]
    assert Notification.objects.filter(user=c["mother"], key__startswith="message:").exists()
    assert not PendingNotice.objects.filter(user=c["mother"], emailed_at__isnull=True).exists()


def test_settings_page_saves_interval(client, circle):
    client.force_login(circle["mother"])
    assert client.post("/berichten/instellingen/", {"email_interval_minutes": 240}).status_code == 302
    assert NotificationSetting.objects.get(user=circle["mother"]).email_interval_minutes == 240


def test_empty_message_is_refused(client, circle):
    thread = _thread(circle)
    client.force_login(circle["mother"])
    response = client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "   "})
    assert response.status_code == 200 and Message.objects.count() == 1


def test_parent_without_authority_reads_only_what_the_school_granted_and_never_posts(client, circle):
    """BW 1:377c (docs/guardians-and-gezag.md): nothing automatically; after a granted request the school
    progress (basic, development) can be read, never written."""
    from apps.circles.models import InformationRequest
    from tests.factories import GuardianshipFactory

    c = circle
    father2 = GuardianshipFactory(child=c["child"], relation="father", has_authority=False, recognised_child=True).user
    thread = _thread(c)
    client.force_login(father2)
    assert client.get(f"/berichten/gesprek/{thread.pk}/").status_code == 403
    InformationRequest.objects.create(
        child=c["child"], requester=father2, question="Hoe gaat het?", status="granted",
        ground="same_as_gezag", reason="Zelfde als moeder", valid_until=timezone.localdate(),
    )  # fmt: skip
    page = client.get(f"/berichten/gesprek/{thread.pk}/")
    assert page.status_code == 200 and "U kunt meelezen" in page.content.decode()
    assert client.post(f"/berichten/gesprek/{thread.pk}/", {"body": "hoi"}).status_code == 403


def test_inbox_query_count_is_constant(client, circle, django_assert_max_num_queries, settings):
    c = circle
    settings.MESSAGING_RATE_LIMIT = (1000, 60)
    for i in range(3):
        _thread(c, body=f"b{i}")
    client.force_login(c["ib"])
    client.get("/berichten/")
    with django_assert_max_num_queries(30) as few:
        client.get("/berichten/")
    baseline = len(few)
    for i in range(30):
        services.create_thread(Actor(c["ib"]), c["child"], "basic", f"T{i}", f"b{i}")
    with django_assert_max_num_queries(baseline):
        assert client.get("/berichten/").status_code == 200


def test_thread_page_query_count_is_constant(client, circle, django_assert_max_num_queries, settings):
    c = circle
    settings.MESSAGING_RATE_LIMIT = (1000, 60)
    thread = _thread(c)
    client.force_login(c["mother"])
    client.get(f"/berichten/gesprek/{thread.pk}/")
    with django_assert_max_num_queries(40) as few:
        client.get(f"/berichten/gesprek/{thread.pk}/")
    baseline = len(few)
    for i in range(60):
        services.post_message(Actor(c["teacher"] if i % 2 else c["ib"]), thread, f"m{i}", tag="positief")
    client.get(f"/berichten/gesprek/{thread.pk}/")
    with django_assert_max_num_queries(baseline):
        client.get(f"/berichten/gesprek/{thread.pk}/")


def test_refused_new_thread_is_logged_and_writes_nothing(client, circle):
    c = circle
    client.force_login(c["worker"])  # no consent at all
    response = client.post(
        f"/berichten/kind/{c['child'].pk}/nieuw/", {"subject": "x", "category": "basic", "body": "y"}
    )
    assert response.status_code == 403
    assert not Thread.objects.exists()
    assert AccessLogEntry.objects.filter(actor=c["worker"], allowed=False, child_id=c["child"].pk).exists()


def test_service_refusal_outside_a_view_is_logged(circle):
    from apps.access.policy import AccessDenied

    c = circle
    thread = _thread(c, category="support")
    with pytest.raises(AccessDenied):
        services.post_message(Actor(c["worker"], channel="job"), thread, "hoi")
    assert AccessLogEntry.objects.filter(actor=c["worker"], allowed=False, channel="job").exists()


def test_inbox_search_by_child_or_subject(client, circle):
    c = circle
    _thread(c)
    services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Schoolreis", "Mee?")
    client.force_login(c["mother"])
    page = client.get("/berichten/?q=schoolr").content.decode()
    assert "Schoolreis" in page and "Over de week" not in page
    assert "Over de week" in client.get(f"/berichten/?q={c['child'].first_name}").content.decode()


def test_bundled_digest_is_planned_for_the_end_of_the_interval(circle, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    from apps.messaging.models import DigestLog

    c = circle
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # can defer, runs nothing
    sent_at = timezone.now() - timedelta(minutes=10)
    DigestLog.objects.create(user=c["mother"], last_sent_at=sent_at)
    thread = _thread(c)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digest(c["mother"]) is False  # within the hour: not now ...
    planned = [r for r in default_task_backend.results if r.task.run_after]
    assert [r.task.run_after for r in planned] == [sent_at + timedelta(minutes=60)]  # ... but planned for then
    services.post_message(Actor(c["teacher"]), thread, "Nog een")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digest(c["mother"])
    assert len([r for r in default_task_backend.results if r.task.run_after]) == 1  # planned once, not per message


def test_photo_name_must_match_its_content(circle):
    c = circle
    thread = _thread(c)
    with pytest.raises(ValidationError, match="past niet bij wat erin zit"):
        services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("foto.pdf", PNG)])
    html_as_pdf = b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationError, match="Dit soort bestand"):
        services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("a.pdf", html_as_pdf)])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError, match="Dit soort bestand"):
        services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("a.svg", svg)])
    assert thread.messages.count() == 1 and not Attachment.objects.exists()


def test_photo_is_re_encoded_without_exif_gps(circle):
    from io import BytesIO

    from PIL import Image

    from .conftest import image_bytes

    c = circle
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPSInfo
    exif[0x010F] = "CameraMaker"
    original = image_bytes("JPEG", exif=exif.tobytes())
    assert b"CameraMaker" in original
    thread = _thread(c)
    services.post_message(Actor(c["teacher"]), thread, "foto", files=[SimpleUploadedFile("kind.jpg", original)])
    stored = Attachment.objects.get()
    data = stored.file.open("rb").read()
    assert b"CameraMaker" not in data
    assert not Image.open(BytesIO(data)).getexif()
    assert stored.content_type == "image/jpeg" and stored.size == len(data)


def test_stored_name_is_random_and_download_header_is_safe(client, circle):
    c = circle
    thread = _thread(c)
    evil = 'a"\r\nX-Evil: 1 ../../etc/passwd.png'
    services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile(evil, PNG)])
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("messaging/") and ".." not in attachment.file.name
    assert "passwd" not in attachment.file.name
    client.force_login(c["mother"])
    response = client.get(f"/berichten/bijlage/{attachment.pk}/")
    assert "X-Evil" not in response.headers
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]


def test_pixel_flood_is_refused(circle, settings):
    from apps.messaging import rules

    c = circle
    big = image_bytes("PNG", size=(1500, 1000))
    thread = _thread(c)
    old = rules.MAX_IMAGE_PIXELS
    rules.MAX_IMAGE_PIXELS = 1_000_000
    try:
        with pytest.raises(ValidationError, match="te veel beeldpunten"):
            services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("groot.png", big)])
    finally:
        rules.MAX_IMAGE_PIXELS = old
