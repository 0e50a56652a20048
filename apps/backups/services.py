"""Encrypted backups of the database and uploaded files, and a restore that proves it got everything back.

REL-01/02: a backup nobody ever restored is a hope, not a backup. Each archive carries a fingerprint of
every table; `restore` recomputes it after restoring and refuses to call the restore good unless it matches.
"""

import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit import anchors

log = logging.getLogger("driehoek.backups")

FORMAT = 1
PREFIX = "driehoek-"
SUFFIX = ".backup"


class BackupError(Exception):
    """A backup or restore that cannot be done safely; the message says why, in Dutch."""


@dataclass
class Restored:
    tables: int
    files: int
    seconds: float
    created_at: str


def _fernet() -> Fernet:
    key = settings.BACKUP_KEY
    if not key:
        raise BackupError(_("Stel BACKUP_KEY in: een back-up wordt nooit onversleuteld bewaard."))
    try:
        return Fernet(key)
    except ValueError as e:
        raise BackupError(_("BACKUP_KEY is geen geldige sleutel (maak er een met Fernet.generate_key()).")) from e


def fingerprint(using: str = "default") -> dict[str, str]:
    """A hash of every row of every table, to prove a restore brought back exactly what was saved."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        digest = hashlib.sha256()
        for row in model._base_manager.using(using).order_by("pk").values().iterator(chunk_size=2000):
            digest.update(json.dumps(row, default=str, sort_keys=True).encode())
            digest.update(b"\n")
        result[model._meta.label] = digest.hexdigest()
    return result


def _media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    files = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _dump_database(target: Path) -> str:
    """An online, consistent copy: SQLite's backup API (never a file copy under WAL), or pg_dump."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(_("De kopie van de database is niet in orde (integrity_check)."))
        finally:
            copy.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}")
        return "postgresql"
    raise BackupError(_("Deze database wordt niet ondersteund voor back-ups."))


def _pg(program: str, *args: str) -> None:
    params = connections["default"].settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    command = [program, f"--host={params.get('HOST') or 'localhost'}", f"--port={params.get('PORT') or 5432}"]
    command += [f"--username={params.get('USER') or 'postgres'}", *args, f"--dbname={params['NAME']}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        log.error("backup tool failed", extra={"program": program, "returncode": result.returncode})
        message = _("%(program)s gaf een fout: %(error)s")
        raise BackupError(message % {"program": program, "error": result.stderr[-500:]})


def create_backup() -> str:
    """Write one encrypted archive (database, uploaded files, manifest) to the backup storage; returns its name.

    The storage is `STORAGES["backups"]`: point it at another machine or a bucket to keep backups off-host.
    """
    fernet = _fernet()
    started = time.monotonic()
    connections["default"].ensure_connection()
    # The access log's head before the dump: the dump holds at least this entry, so a restore reaches it.
    audit_anchor = anchors.current("backup")
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "database"
        engine = _dump_database(database)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "fingerprint": fingerprint(),
            "media": _media_files(),
            "audit_anchor": asdict(audit_anchor) if audit_anchor else None,
        }
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(database, arcname="database")
            root = Path(settings.MEDIA_ROOT)
            for name in manifest["media"]:
                archive.add(root / name, arcname=f"media/{name}")
            data = json.dumps(manifest, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    name = f"{PREFIX}{timezone.now():%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    saved = storages["backups"].save(name, ContentFile(fernet.encrypt(buffer.getvalue())))
    log.info(
        "backup written",
        extra={"backup": saved, "bytes": buffer.tell(), "seconds": round(time.monotonic() - started, 2)},
    )
    if audit_anchor:
        anchors.record(replace(audit_anchor, note=saved))
    return saved


def list_backups() -> list[str]:
    """Backup names, oldest first (the names sort by time); none yet when the storage was never written."""
    storage = storages["backups"]
    if not storage.exists(""):
        return []
    _dirs, files = storage.listdir("")
    return sorted(f for f in files if f.startswith(PREFIX) and f.endswith(SUFFIX))


def backup_is_stale(now=None) -> bool:
    """True when the newest backup is older than the recovery point objective (REL-03/14), or there is none."""
    names = list_backups()
    if not names:
        return True
    written = storages["backups"].get_modified_time(names[-1])
    return (now or timezone.now()) - written > timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)


def prune_backups(keep: int) -> list[str]:
    """Keep the newest `keep` backups; a retention limit, so old copies of personal data do not pile up."""
    names = list_backups()
    removed = names[: max(len(names) - keep, 0)]
    for name in removed:
        storages["backups"].delete(name)
    return removed


def audit_anchor_of(name: str) -> anchors.Anchor | None:
    """The access-log anchor in the manifest of backup `name` ("latest": the newest backup)."""
    if name == "latest":
        names = list_backups()
        if not names:
            raise BackupError(_("Er is nog geen back-up."))
        name = names[-1]
    with tarfile.open(fileobj=io.BytesIO(_decrypt(name)), mode="r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    found = manifest.get("audit_anchor")
    return anchors.Anchor.from_dict(found) if found else None


def _decrypt(name: str) -> bytes:
    with storages["backups"].open(name, "rb") as handle:
        token = handle.read()
    try:
        return _fernet().decrypt(token)
    except InvalidToken as e:
        raise BackupError(_("Deze back-up kan niet worden geopend: verkeerde sleutel of beschadigd bestand.")) from e


def _restore_database(path: Path, engine: str) -> None:
    connection = connections["default"]
    if engine != connection.vendor:
        raise BackupError(
            _("Deze back-up is van een %(backup)s-database; deze installatie gebruikt %(here)s.")
            % {"backup": engine, "here": connection.vendor}
        )
    if engine == "sqlite":
        source = sqlite3.connect(path)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connections.close_all()
    _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", str(path))


def _restore_media(archive: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():  # empty it, but keep the folder itself: it may be a mount point
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    members = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
    for member in members:
        member.name = member.name.removeprefix("media/")
    archive.extractall(root, members=members, filter="data")  # "data": no absolute paths, no ../, no links
    return len(members)


def _anchor_restored_log(name: str) -> None:
    """A restore sets the access log back on purpose: record its new head, so later checks compare with it.

    Anchors written after the backup stay in AUDIT_ANCHOR_DIR as evidence, and the security log says what was lost.
    """
    before = anchors.newest()
    after = anchors.current("restore", note=name)
    if after is None:
        return
    anchors.record(after)
    anchors.security_log.warning(
        "access log set back by a restore",
        extra={
            "event": "audit_log_restored",
            "backup": name,
            "previous_anchor": asdict(before) if before else None,
            "restored_chains": len(after.heads),
        },
    )


def restore_backup(name: str) -> Restored:
    """Replace the database and uploaded files by those of backup `name`, then prove they match it.

    Destructive: everything written since the backup is gone. The command asks for confirmation first.
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(_decrypt(name)), mode="r:gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError(_("Deze back-up heeft een onbekend formaat."))
        database = Path(tmp) / "database"
        database.write_bytes(archive.extractfile("database").read())
        _restore_database(database, manifest["engine"])
        files = _restore_media(archive)
    if fingerprint() != manifest["fingerprint"]:
        log.error("restore does not match its backup", extra={"backup": name})
        raise BackupError(_("Na het terugzetten komen de gegevens niet overeen met de back-up."))
    if _media_files() != manifest["media"]:
        log.error("restored files do not match their backup", extra={"backup": name})
        raise BackupError(_("Na het terugzetten komen de bestanden niet overeen met de back-up."))
    seconds = round(time.monotonic() - started, 2)
    log.info("backup restored", extra={"backup": name, "seconds": seconds})
    _anchor_restored_log(name)
    return Restored(len(manifest["fingerprint"]), files, seconds, manifest["created_at"])
