"""The read-replica router (issue 17 item 5): only views marked `replica_reads` read from the replica."""

import pytest
from django.db import DEFAULT_DB_ALIAS

from apps.core.routers import REPLICA, ReplicaRouter, replica_reads
from apps.helpguide import views as helpguide_views
from apps.organisations.models import School


def _with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: {**settings.DATABASES["default"]}}


def test_without_a_replica_everything_reads_the_primary():
    assert replica_reads(lambda: School.objects.all().db)() == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replica_only_inside_a_marked_view(settings):
    _with_replica(settings)
    router = ReplicaRouter()
    assert School.objects.all().db == DEFAULT_DB_ALIAS
    assert replica_reads(lambda: School.objects.all().db)() == REPLICA
    assert School.objects.all().db == DEFAULT_DB_ALIAS  # reset after the view, also after an error
    assert replica_reads(lambda: router.db_for_write(School))() == "default"  # writes: always the primary
    assert router.allow_migrate(REPLICA, "circles") is False
    assert router.allow_migrate("default", "circles") is True


def test_a_failing_view_does_not_leave_the_replica_switched_on(settings):
    _with_replica(settings)

    def broken():
        raise RuntimeError

    with pytest.raises(RuntimeError):
        replica_reads(broken)()
    assert School.objects.all().db == DEFAULT_DB_ALIAS


def test_the_help_guide_is_the_page_marked_for_the_replica():
    assert helpguide_views.guide.__wrapped__.__wrapped__  # login_required(replica_reads(view))
    assert helpguide_views.guide.__wrapped__.__name__ == "guide"
