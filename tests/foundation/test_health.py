"""REL-14: /healthz says the process is up; /readyz says whether this instance can serve traffic."""

import pytest
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_log_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_ready_when_database_migrations_and_disk_are_fine(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "disk": "ok"}}


def test_not_ready_with_an_unapplied_migration(client):
    MigrationRecorder.Migration.objects.filter(app="meetings").order_by("-id").first().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "fail" and response.json()["status"] == "fail"


def test_not_ready_when_the_upload_disk_is_too_full(client, settings):
    settings.READY_MIN_FREE_DISK_PERCENT = 100.0  # no real disk is ever 100 % free
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "disk": "fail"}
