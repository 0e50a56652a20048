"""Quarantine for attachments (SEC-25): a file is downloadable only after clamd called it clean.

Fail closed: without a verdict the file stays pending, and the periodic rescan lets an outage heal itself.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.core import virusscan
from apps.notifications.services import notify
from apps.notifications.texts import Text

from .models import Attachment

security_log = logging.getLogger("driehoek.security")


def enqueue_scan(attachment_id: int) -> None:
    """Scan after the upload is committed. A failing enqueue must not undo the message (robust): the file then
    simply waits in quarantine for the periodic rescan."""

    def _enqueue():
        from .tasks import scan_attachment_task

        scan_attachment_task.enqueue(attachment_id)

    transaction.on_commit(_enqueue, robust=True)


def scan_attachment(attachment_id: int) -> str:
    """Scan one quarantined attachment; returns its scan state afterwards. Fail closed: without a verdict
    from clamd the file stays pending (not downloadable) and an alert is logged."""
    try:
        return _scan_attachment(attachment_id)
    except virusscan.ScannerUnavailable as e:
        _log_outage(attachment_id, e)
        return Attachment.ScanState.PENDING


def rescan_pending_attachments(batch: int = 200) -> int:
    """The periodic job: scan what is still in quarantine (after an outage, or from before scanning existed),
    so an outage heals by itself. Stops at the first outage instead of knocking on a dead scanner for every
    file. Returns how many attachments left quarantine."""
    pending = Attachment.objects.filter(scan_state=Attachment.ScanState.PENDING)
    if not settings.VIRUS_SCAN:
        if count := pending.count():
            security_log.warning(
                "virus scanning is off; attachments stay in quarantine",
                extra={"event": "virus_scan_off", "pending": count},
            )
        return 0
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:batch])
    done = 0
    for attachment_id in ids:
        try:
            state = _scan_attachment(attachment_id)
        except virusscan.ScannerUnavailable as e:
            _log_outage(attachment_id, e, pending=len(ids) - done)
            break
        done += state != Attachment.ScanState.PENDING
    return done


def _log_outage(attachment_id: int, error: Exception, **extra) -> None:
    security_log.error(
        "virus scanner unavailable; attachment stays in quarantine",
        extra={
            "event": "virus_scanner_unavailable",
            "attachment_id": attachment_id,
            "error": str(error)[:300],
            **extra,
        },
    )


def _scan_attachment(attachment_id: int) -> str:
    """Idempotent: only a pending file is scanned, and only the run that moves it out of pending (a
    conditional UPDATE) raises the alert and notifies, so two runs at once or a re-run do nothing twice."""
    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        return ""
    if attachment.scan_state == Attachment.ScanState.INFECTED:
        _destroy_file(attachment)  # finishes a deletion that failed before
        return attachment.scan_state
    if attachment.scan_state != Attachment.ScanState.PENDING or not settings.VIRUS_SCAN:
        return attachment.scan_state
    try:
        with attachment.file.open("rb") as handle:
            verdict = virusscan.scan(handle)
    except (FileNotFoundError, ValueError):  # ValueError: the row has no file at all
        security_log.error(
            "quarantined attachment has no stored file",
            extra={"event": "attachment_missing", "attachment_id": attachment.pk},
        )
        return attachment.scan_state
    now = timezone.now()
    pending = Attachment.objects.filter(pk=attachment.pk, scan_state=Attachment.ScanState.PENDING)
    if verdict.clean:
        pending.update(scan_state=Attachment.ScanState.CLEAN, scanned_at=now)
        return Attachment.ScanState.CLEAN
    moved = pending.update(scan_state=Attachment.ScanState.INFECTED, scanned_at=now)
    _destroy_file(attachment)
    if moved:
        _report_infection(attachment, verdict)
    return Attachment.ScanState.INFECTED


def _destroy_file(attachment: Attachment) -> None:
    if attachment.file.name:
        attachment.file.storage.delete(attachment.file.name)
        Attachment.objects.filter(pk=attachment.pk).update(file="")


def _report_infection(attachment: Attachment, verdict: virusscan.Verdict) -> None:
    """An alert for the operators (ids and the signature name only: no file content, no file name) and a
    notification for the person who uploaded it."""
    message = attachment.message
    security_log.error(
        "malware found in attachment; file deleted",
        extra={
            "event": "malware_found",
            "attachment_id": attachment.pk,
            "message_id": message.pk,
            "thread_id": message.thread_id,
            "uploader_id": message.author_id,
            "signature": verdict.signature[:100],
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
    )
    notify(
        message.author,
        f"attachment-infected:{attachment.pk}",
        Text(
            gettext_noop("Uw bijlage %(name)s is verwijderd: er zat een virus in. Controleer uw computer of telefoon."),
            name=attachment.original_name,
        ),
        url=f"/berichten/gesprek/{message.thread_id}/",
    )
