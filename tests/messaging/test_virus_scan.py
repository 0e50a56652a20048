"""Malware scanning of attachments against a real clamd with a local EICAR signature (SEC-25).

Uploads wait in quarantine until clamd calls them clean; infected files are deleted, the uploader is told
and an alert is logged; with the scanner down nothing leaves quarantine, and the periodic rescan heals it.
"""

import logging
import os
import socket
import subprocess
import sys
import threading
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.log import Actor
from apps.core import virusscan
from apps.core.scheduler import periodic_tasks
from apps.messaging import quarantine, services
from apps.messaging.models import Attachment
from apps.messaging.tasks import rescan_pending_attachments_task
from apps.notifications.models import Notification

from .conftest import EICAR, PDF, PNG

pytestmark = pytest.mark.django_db

PDF_WITH_EICAR = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"


def _thread(c):
    return services.create_thread(Actor(c["teacher"]), c["child"], "basic", "Over de week", "Hallo")


def _upload(client, c, thread, name, content, capture):
    """The teacher posts a file through the page; the on-commit scan runs (tasks run at once in tests)."""
    client.force_login(c["teacher"])
    with capture(execute=True):
        response = client.post(
            f"/berichten/gesprek/{thread.pk}/", {"body": "Zie bijlage", "attachment": SimpleUploadedFile(name, content)}
        )
    assert response.status_code == 302  # the upload itself is always accepted
    return Attachment.objects.get(original_name=name)


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "messaging"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _events(caplog, event):
    return [r for r in caplog.records if getattr(r, "event", None) == event]


def test_the_scanner_rejects_the_eicar_string_and_passes_a_clean_file(virus_scan):
    found = virusscan.scan(BytesIO(EICAR))
    assert not found.clean and "EICAR" in found.signature
    assert virusscan.scan(BytesIO(PDF)).clean


def test_eicar_upload_is_deleted_not_downloadable_uploader_told_and_alert_logged(
    client, circle, virus_scan, settings, caplog, django_capture_on_commit_callbacks
):
    c = circle
    thread = _thread(c)
    caplog.set_level(logging.INFO, logger="driehoek.security")
    attachment = _upload(client, c, thread, "rapport.pdf", PDF_WITH_EICAR, django_capture_on_commit_callbacks)
    assert attachment.scan_state == Attachment.ScanState.INFECTED and attachment.scanned_at is not None
    assert not attachment.file and _stored_files(settings) == []  # the file is gone from storage
    # Nobody can download it, and the refusal is a page, not an error.
    client.force_login(c["mother"])
    response = client.get(f"/berichten/bijlage/{attachment.pk}/")
    assert response.status_code == 410
    assert "er zat een virus in" in response.content.decode() and b"EICAR" not in response.content
    page = client.get(f"/berichten/gesprek/{thread.pk}/").content.decode()
    assert "verwijderd: er zat een virus in" in page
    assert f"/berichten/bijlage/{attachment.pk}/" not in page
    # The uploader is told in the app.
    note = Notification.objects.get(key=f"attachment-infected:{attachment.pk}")
    assert note.user == c["teacher"] and "rapport.pdf" in note.text and note.url == f"/berichten/gesprek/{thread.pk}/"
    # An error-level alert with ids and the signature, and nothing of the file's content anywhere in the log.
    (alert,) = _events(caplog, "malware_found")
    assert alert.levelno == logging.ERROR and alert.attachment_id == attachment.pk
    assert alert.uploader_id == c["teacher"].pk and "EICAR" in alert.signature
    assert all("EICAR-STANDARD" not in str(r.__dict__) for r in caplog.records)


def test_clean_png_and_pdf_are_released_after_the_scan(client, circle, virus_scan, django_capture_on_commit_callbacks):
    c = circle
    thread = _thread(c)
    png = _upload(client, c, thread, "tekening.png", PNG, django_capture_on_commit_callbacks)
    pdf = _upload(client, c, thread, "verslag.pdf", PDF, django_capture_on_commit_callbacks)
    client.force_login(c["mother"])
    for attachment, magic in ((png, b"\x89PNG"), (pdf, b"%PDF")):
        assert attachment.scan_state == Attachment.ScanState.CLEAN and attachment.scanned_at is not None
        response = client.get(f"/berichten/bijlage/{attachment.pk}/")
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(magic)
    assert not Notification.objects.filter(key__startswith="attachment-infected:").exists()


def test_a_new_upload_waits_in_quarantine_until_it_is_scanned(client, circle, virus_scan):
    c = circle
    thread = _thread(c)
    services.post_message(Actor(c["teacher"]), thread, "foto", files=[SimpleUploadedFile("kind.png", PNG)])
    attachment = Attachment.objects.get()  # the on-commit scan has not run (the test's transaction is open)
    assert attachment.scan_state == Attachment.ScanState.PENDING and attachment.scanned_at is None
    for person in ("mother", "teacher"):  # not even the uploader gets it back before the scan
        client.force_login(c[person])
        response = client.get(f"/berichten/bijlage/{attachment.pk}/")
        assert response.status_code == 409 and "wordt gecontroleerd op virussen" in response.content.decode()
    page = client.get(f"/berichten/gesprek/{thread.pk}/").content.decode()
    assert "kind.png" in page and "wordt gecontroleerd op virussen" in page
    assert f"/berichten/bijlage/{attachment.pk}/" not in page


def test_quarantine_does_not_open_the_file_to_someone_the_policy_refuses(client, circle, virus_scan):
    c = circle
    thread = _thread(c)
    services.post_message(Actor(c["teacher"]), thread, "foto", files=[SimpleUploadedFile("kind.png", PNG)])
    client.force_login(c["worker"])  # no consent: refused before anything about the scan is said
    response = client.get(f"/berichten/bijlage/{Attachment.objects.get().pk}/")
    assert response.status_code == 403 and "kind.png" not in response.content.decode()


def test_scanner_down_keeps_the_upload_in_quarantine_and_the_periodic_rescan_heals_it(
    client, circle, virus_scan, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    c = circle
    thread = _thread(c)
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    caplog.set_level(logging.INFO, logger="driehoek.security")
    attachment = _upload(client, c, thread, "verslag.pdf", PDF, django_capture_on_commit_callbacks)
    assert attachment.scan_state == Attachment.ScanState.PENDING  # accepted, but fail closed
    assert len(_stored_files(settings)) == 1
    (alert,) = _events(caplog, "virus_scanner_unavailable")
    assert alert.levelno == logging.ERROR and alert.attachment_id == attachment.pk
    client.force_login(c["mother"])
    assert client.get(f"/berichten/bijlage/{attachment.pk}/").status_code == 409
    # Still down at the next periodic run: still quarantined.
    rescan_pending_attachments_task.enqueue()
    attachment.refresh_from_db()
    assert attachment.scan_state == Attachment.ScanState.PENDING
    # The scanner is back: the periodic rescan releases the file.
    settings.CLAMD_SOCKET = virus_scan
    rescan_pending_attachments_task.enqueue()
    attachment.refresh_from_db()
    assert attachment.scan_state == Attachment.ScanState.CLEAN
    assert client.get(f"/berichten/bijlage/{attachment.pk}/").status_code == 200


def test_rescan_stops_at_the_first_outage(circle, virus_scan, settings, tmp_path, caplog):
    c = circle
    thread = _thread(c)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        services.post_message(Actor(c["teacher"]), thread, name, files=[SimpleUploadedFile(name, PDF)])
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    caplog.set_level(logging.INFO, logger="driehoek.security")
    assert quarantine.rescan_pending_attachments() == 0
    assert len(_events(caplog, "virus_scanner_unavailable")) == 1
    assert set(Attachment.objects.values_list("scan_state", flat=True)) == {"pending"}


def test_a_scanner_that_hangs_up_without_a_verdict_keeps_the_file_quarantined(circle, virus_scan, settings, tmp_path):
    path = str(tmp_path / "broken.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def hang_up():
        conn, _ = server.accept()
        conn.recv(64)
        conn.close()

    worker = threading.Thread(target=hang_up, daemon=True)
    worker.start()
    c = circle
    services.post_message(Actor(c["teacher"]), _thread(c), "x", files=[SimpleUploadedFile("v.pdf", PDF)])
    settings.CLAMD_SOCKET = path
    try:
        assert quarantine.scan_attachment(Attachment.objects.get().pk) == Attachment.ScanState.PENDING
    finally:
        worker.join(5)
        server.close()
    assert Attachment.objects.get().scan_state == Attachment.ScanState.PENDING


def test_scanning_twice_is_harmless(circle, virus_scan, caplog):
    c = circle
    thread = _thread(c)
    services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("v.pdf", PDF_WITH_EICAR)])
    services.post_message(Actor(c["teacher"]), thread, "y", files=[SimpleUploadedFile("w.pdf", PDF)])
    bad, good = Attachment.objects.order_by("pk")
    caplog.set_level(logging.INFO, logger="driehoek.security")
    for _ in range(2):
        assert quarantine.scan_attachment(bad.pk) == Attachment.ScanState.INFECTED
        assert quarantine.scan_attachment(good.pk) == Attachment.ScanState.CLEAN
    assert quarantine.rescan_pending_attachments() == 0  # nothing left in quarantine
    good.refresh_from_db()
    first_scan = good.scanned_at
    quarantine.scan_attachment(good.pk)
    good.refresh_from_db()
    assert good.scanned_at == first_scan and good.scan_state == Attachment.ScanState.CLEAN
    assert Notification.objects.filter(key=f"attachment-infected:{bad.pk}").count() == 1
    assert len(_events(caplog, "malware_found")) == 1
    assert default_storage.exists(good.file.name)


def test_with_scanning_off_uploads_are_clean_at_once_but_quarantine_is_never_released(circle, settings, caplog):
    c = circle
    thread = _thread(c)
    settings.VIRUS_SCAN = True
    services.post_message(Actor(c["teacher"]), thread, "x", files=[SimpleUploadedFile("v.pdf", PDF)])
    settings.VIRUS_SCAN = False
    services.post_message(Actor(c["teacher"]), thread, "y", files=[SimpleUploadedFile("w.pdf", PDF)])
    quarantined, unscanned = Attachment.objects.order_by("pk")
    assert unscanned.scan_state == Attachment.ScanState.CLEAN and unscanned.scanned_at is None
    caplog.set_level(logging.INFO, logger="driehoek.security")
    assert quarantine.rescan_pending_attachments() == 0
    quarantined.refresh_from_db()
    assert quarantined.scan_state == Attachment.ScanState.PENDING
    (warning,) = _events(caplog, "virus_scan_off")
    assert warning.levelno == logging.WARNING and warning.pending == 1


def test_the_rescan_is_a_periodic_task():
    paths = {p.path: p for p in periodic_tasks()}
    rescan = paths["apps.messaging.tasks.rescan_pending_attachments_task"]
    assert rescan.load() is rescan_pending_attachments_task and rescan.every_seconds <= 15 * 60


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, True), ({"DEBUG": "1"}, False), ({"DEBUG": "1", "VIRUS_SCAN": "1"}, True), ({"VIRUS_SCAN": "0"}, False)],
)
def test_scanning_is_on_unless_debug_or_switched_off_and_off_is_announced_at_start(env, expected):
    code = "import django; django.setup(); from django.conf import settings; print(settings.VIRUS_SCAN)"
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "VIRUS_SCAN"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean_env, **env, "DJANGO_SETTINGS_MODULE": "driehoek.settings", "DRIEHOEK_TESTING": "1"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == str(expected)
    assert ("VIRUS_SCAN is off" in result.stderr) is (not expected)


def test_an_english_speaking_uploader_reads_the_virus_notice_in_english(
    client, circle, virus_scan, django_capture_on_commit_callbacks
):
    """Issue 13: the notice is kept as a message key and shown in the reader's language."""
    from django.utils import translation

    c = circle
    c["teacher"].language = "en"
    c["teacher"].save(update_fields=["language"])
    attachment = _upload(client, c, _thread(c), "rapport.pdf", PDF_WITH_EICAR, django_capture_on_commit_callbacks)
    note = Notification.objects.get(key=f"attachment-infected:{attachment.pk}")
    with translation.override("en"):
        assert note.display_text.startswith("Your attachment rapport.pdf")
    assert note.text.startswith("Uw bijlage rapport.pdf is verwijderd")
