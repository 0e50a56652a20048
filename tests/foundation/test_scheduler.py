"""The scheduler enqueues every periodic job; running it twice sends nothing twice (REL-08)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import Task

from apps.audit.log import Actor
from apps.core.scheduler import Periodic, due, periodic_tasks
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.plans import services as plan_services
from tests.factories import ChildFactory, GuardianshipFactory, staff


def test_every_periodic_job_is_a_real_task():
    jobs = periodic_tasks()
    assert len(jobs) >= 5
    for job in jobs:
        assert isinstance(job.load(), Task), job.path


def test_due_respects_each_interval():
    hourly, daily = Periodic("a.hourly", 3600), Periodic("a.daily", 86400)
    assert due([hourly, daily], {}, now=1000.0) == [hourly, daily]  # never run: due at once
    assert due([hourly, daily], {"a.hourly": 0.0, "a.daily": 0.0}, now=3599.0) == []
    assert due([hourly, daily], {"a.hourly": 0.0, "a.daily": 0.0}, now=3600.0) == [hourly]


@pytest.mark.django_db
def test_scheduler_once_reminds_an_owner_exactly_once(django_capture_on_commit_callbacks, mailoutbox):
    child = ChildFactory()
    mother = GuardianshipFactory(child=child).user
    ib = staff(Role.IB, school=child.school)
    agreement = plan_services.add_agreement(
        Actor(user=ib, channel="web"),
        child,
        what="Elke avond tien minuten samen lezen",
        owner=mother,
        due=timezone.localdate() + timedelta(days=1),
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduler", "--once")
    reminders = Notification.objects.filter(user=mother, key=f"agreement-due:{agreement.pk}:{agreement.due}")
    assert reminders.count() == 1
    assert len([m for m in mailoutbox if mother.email in m.to]) == 1


@pytest.mark.django_db
def test_two_schedulers_enqueue_each_job_once_per_interval(monkeypatch):
    """Two scheduler processes (their own in-memory state) share the claim in the database (issue 17 item 5)."""
    from apps.core import scheduler

    hourly = Periodic("tests.hourly", 3600)
    enqueued = []
    monkeypatch.setattr(scheduler, "periodic_tasks", lambda: [hourly])
    monkeypatch.setattr(Periodic, "load", lambda self: type("T", (), {"enqueue": lambda _: enqueued.append(1)})())
    first, second = {}, {}
    assert scheduler.enqueue_due(first, now=10_000.0) == ["tests.hourly"]
    assert scheduler.enqueue_due(second, now=10_001.0) == []  # the other scheduler lost the claim
    assert scheduler.enqueue_due(second, now=10_000.0 + 3599) == []
    assert scheduler.enqueue_due(second, now=10_000.0 + 3600) == ["tests.hourly"]
    assert len(enqueued) == 2


@pytest.mark.django_db(transaction=True)
def test_schedulers_racing_on_postgresql_enqueue_once(monkeypatch):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL (CI runs the suite there too)")
    from apps.core import scheduler

    daily = Periodic("tests.daily", 86400)
    monkeypatch.setattr(scheduler, "periodic_tasks", lambda: [daily])
    monkeypatch.setattr(Periodic, "load", lambda self: type("T", (), {"enqueue": lambda _: None})())
    barrier = threading.Barrier(6)
    results = []

    def run():
        try:
            barrier.wait()
            results.extend(scheduler.enqueue_due({}, now=50_000.0))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["tests.daily"]
