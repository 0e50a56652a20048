"""REL-01/02: an encrypted backup of database and files, and a restore drill that proves equivalence."""

import io
import json
import sqlite3
import tarfile
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from apps.audit.log import Actor
from apps.backups import services
from apps.messaging import services as messaging
from apps.messaging.models import Attachment
from apps.organisations.models import Role
from apps.timeline.models import Kind, TimelineEntry
from apps.timeline.services import add_entry
from tests.factories import ChildFactory, GuardianshipFactory, circle_member, staff

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def backups(settings, tmp_path):
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "backups")},
        },
    }
    return settings


@pytest.fixture
def school_day():
    """A child with a guardian and an IB'er, a timeline entry, a message with a PDF, and their log entries."""
    child = ChildFactory(first_name="Noor")
    GuardianshipFactory(child=child)
    ib = staff(Role.IB, school=child.school)
    circle_member(child, ib, school=child.school, coordinator=True)
    actor = Actor(ib, "web")
    add_entry(actor, child, kind=Kind.STRENGTH, happened_on=timezone.localdate(), text="Tekent prachtig")
    thread = messaging.create_thread(actor, child, "basic", "Verslag", "Zie bijlage")
    messaging.post_message(actor, thread, "Het verslag", files=[SimpleUploadedFile("verslag.pdf", PDF)])
    return {"child": child, "actor": actor}


def _open(name) -> tuple[dict, bytes]:
    """The manifest and the database file inside backup `name`."""
    token = storages["backups"].open(name, "rb").read()
    plain = Fernet(services.settings.BACKUP_KEY).decrypt(token)
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read()), archive.extractfile("database").read()


def test_restore_drill_brings_back_exactly_what_was_backed_up(backups, school_day, capsys):
    before = services.fingerprint()
    attachment = Attachment.objects.get()
    call_command("backup")
    [name] = services.list_backups()

    # After the backup life goes on, and then something goes wrong with the files.
    add_entry(
        school_day["actor"],
        school_day["child"],
        kind=Kind.SCHOOL,
        happened_on=timezone.localdate(),
        text="Na de back-up",
    )
    attachment.file.storage.delete(attachment.file.name)
    assert services.fingerprint() != before

    call_command("restore", name, "--yes")
    assert "komen overeen met de back-up" in capsys.readouterr().out
    assert services.fingerprint() == before
    assert not TimelineEntry.objects.filter(text="Na de back-up").exists()
    with Attachment.objects.get().file.open("rb") as restored:
        assert restored.read() == PDF  # the uploaded file is back, byte for byte
    call_command("verify_audit_chain")  # the access log survives the restore intact
    call_command("migrate", "--check")


def test_the_backup_holds_the_row_written_just_before_it_and_is_encrypted(backups, school_day):
    add_entry(
        school_day["actor"],
        school_day["child"],
        kind=Kind.SCHOOL,
        happened_on=timezone.localdate(),
        text="Vlak voor de back-up",
    )
    name = services.create_backup()
    raw = storages["backups"].open(name, "rb").read()
    # Nothing readable without the key: no text with spaces (the token is base64), no gzip or SQLite header.
    assert b"Vlak voor de back-up" not in raw and b"SQLite format 3" not in raw and not raw.startswith(b"\x1f\x8b")
    manifest, database = _open(name)
    assert manifest["engine"] == connection.vendor
    assert manifest["fingerprint"] == services.fingerprint()
    assert set(manifest["media"]) == {Attachment.objects.get().file.name}
    if connection.vendor == "sqlite":
        path = backups.MEDIA_ROOT.parent / "copy.sqlite3"
        path.write_bytes(database)
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT text FROM timeline_timelineentry WHERE text LIKE 'Vlak%'").fetchone() == (
            "Vlak voor de back-up",
        )
        db.close()


def test_no_key_no_backup_and_a_wrong_key_opens_nothing(backups, school_day):
    backups.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="nooit onversleuteld"):
        call_command("backup")
    assert services.list_backups() == []
    backups.BACKUP_KEY = Fernet.generate_key().decode()
    name = services.create_backup()
    backups.BACKUP_KEY = Fernet.generate_key().decode()
    before = services.fingerprint()
    with pytest.raises(CommandError, match="verkeerde sleutel of beschadigd"):
        call_command("restore", name, "--yes")
    assert services.fingerprint() == before  # nothing touched


def test_restore_asks_first_and_does_nothing_without_the_answer(backups, school_day, monkeypatch):
    name = services.create_backup()
    add_entry(
        school_day["actor"], school_day["child"], kind=Kind.SCHOOL, happened_on=timezone.localdate(), text="Blijft"
    )
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    with pytest.raises(CommandError, match="Niets gewijzigd"):
        call_command("restore", name)
    assert TimelineEntry.objects.filter(text="Blijft").exists()
    with pytest.raises(CommandError, match="nog geen back-up"):
        backups.STORAGES = {
            **backups.STORAGES,
            "backups": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(backups.MEDIA_ROOT.parent / "empty")},
            },
        }
        call_command("restore", "--latest", "--yes")


def test_old_backups_are_pruned_to_the_retention_limit(backups, school_day):
    for _ in range(3):
        services.create_backup()
    names = services.list_backups()
    assert len(names) == 3
    assert services.prune_backups(keep=2) == names[:1]
    assert services.list_backups() == names[1:]


def test_nightly_job_writes_a_backup_and_logs_when_it_cannot(backups, school_day, caplog):
    from apps.backups.tasks import nightly_backup

    assert nightly_backup.call() in services.list_backups()
    backups.BACKUP_KEY = ""
    assert nightly_backup.call() == ""
    assert any(r.levelname == "ERROR" and r.message == "nightly backup failed" for r in caplog.records)


def test_a_stale_backup_raises_the_alert_and_a_fresh_one_does_not(backups, school_day, caplog):
    from apps.backups.tasks import check_backup_freshness

    assert check_backup_freshness.call() is True  # no backup at all
    assert any(getattr(r, "event", "") == "backup_stale" and r.levelname == "ERROR" for r in caplog.records)
    services.create_backup()
    assert check_backup_freshness.call() is False
    later = timezone.now() + timedelta(hours=backups.BACKUP_MAX_AGE_HOURS, minutes=1)
    assert services.backup_is_stale(now=later)
