"""Backup and restore drill at school scale (REL-03: the restore time is the RTO, measured here).

Whatever the benches before it built stays in the database (runs after bench_attention and others),
plus a school of 1,500 pupils with 1,000 log entries and 200 uploaded files of 50 kB. The baseline is
a plain copy of the same database file and files, without fingerprint, compression or encryption.
"""

import os
import shutil
import tempfile
import time
from pathlib import Path


def _files(count: int, size: int) -> None:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT) / "bench"
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"bijlage-{i:03d}.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(size))


def _plain_copy_ms() -> float:
    import sqlite3

    from django.conf import settings
    from django.db import connection

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(Path(tmp) / "copy.sqlite3")
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.close()
        shutil.copytree(settings.MEDIA_ROOT, Path(tmp) / "media")
    return round((time.perf_counter() - started) * 1000, 1)


def run() -> list[dict]:
    from cryptography.fernet import Fernet
    from django.conf import settings
    from django.test import override_settings

    backups = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tempfile.mkdtemp()}}
    with override_settings(
        MEDIA_ROOT=tempfile.mkdtemp(),
        BACKUP_KEY=Fernet.generate_key().decode(),
        STORAGES={**settings.STORAGES, "backups": backups},
    ):
        return _drill()


def _drill() -> list[dict]:
    from django.core.files.storage import storages

    from apps.audit.models import AccessLogEntry
    from apps.backups import services
    from apps.circles.models import Child
    from bench.bench_foundation import _world

    _world(1500, tag="backup")
    _files(200, 50_000)
    size = f"{Child.objects.count()} pupils, {AccessLogEntry.objects.count()} log entries, 200 files of 50 kB"
    baseline = _plain_copy_ms()

    started = time.perf_counter()
    name = services.create_backup()
    backup_ms = round((time.perf_counter() - started) * 1000, 1)
    archive_kb = storages["backups"].size(name) // 1024
    restored = services.restore_backup(name)
    return [
        {
            "bench": "backup",
            "case": "backup (encrypted, fingerprinted)",
            "ms": backup_ms,
            "baseline_ms": baseline,
            "queries": "",
            "note": f"{size}; archive {archive_kb} kB",
        },
        {
            "bench": "backup",
            "case": "restore + equivalence proof (RTO)",
            "ms": round(restored.seconds * 1000, 1),
            "baseline_ms": baseline,
            "queries": "",
            "note": f"{restored.tables} tables, {restored.files} files match",
        },
    ]
