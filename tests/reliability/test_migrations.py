"""REL-05: migrations run backwards and forwards. Unapplying `organisations` and `accounts` takes every app that
builds on them along, so one round trip reverses every migration of our apps (about 13 s on SQLite)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

OUR_APPS_WITH_MIGRATIONS = {
    "accounts", "audit", "circles", "consent", "conversations", "core", "helpguide", "meetings", "messaging",
    "notifications", "organisations", "planner", "plans", "timeline",
}  # fmt: skip


def _unapplied() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def test_every_migration_can_be_unapplied_and_applied_again():
    call_command("migrate", "organisations", "zero", verbosity=0)
    call_command("migrate", "accounts", "zero", verbosity=0)
    reversed_apps = {migration.app_label for migration, _backwards in _unapplied()}
    assert reversed_apps >= OUR_APPS_WITH_MIGRATIONS
    call_command("migrate", verbosity=0)
    assert _unapplied() == []
