"""Retention (R6, R7, R9) at its boundaries, with a legal hold, an interrupted run and the access log."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.attendance.models import SickReport
from apps.audit.models import AccessLogEntry
from apps.circles.models import Child, Guardianship
from apps.plans.models import Agreement
from apps.privacy import retention
from apps.privacy.models import LegalHold, RetentionRun, Statement
from apps.privacy.services import add_statement
from apps.timeline.models import TimelineEntry
from apps.timeline.services import add_entry
from tests.factories import ChildFactory

from .conftest import web

pytestmark = pytest.mark.django_db

LEFT = date(2026, 7, 17)


def _file(fam, child=None):
    child = child or fam.child
    school = add_entry(
        web(fam.teacher),
        child,
        kind="school",
        happened_on=date(2026, 2, 1),
        text="Rekenen gaat goed",
        category="development",
    )
    youth = (
        add_entry(
            web(fam.worker), child, kind="support", happened_on=date(2026, 2, 1), text="CJG-gesprek", category="support"
        )
        if child == fam.child
        else None
    )
    SickReport.objects.create(
        child=child, reported_by=fam.mother if child == fam.child else fam.ib, first_day=date(2026, 2, 2)
    )
    march = timezone.make_aware(datetime(2026, 3, 1, 12))  # the file was last changed on 1 March 2026
    TimelineEntry.objects.filter(child=child).update(created_at=march, updated_at=march)
    return school, youth


def _leave(child, on=LEFT):
    Child.objects.filter(pk=child.pk).update(left_on=on)


def test_the_school_file_goes_two_years_after_leaving_not_a_day_earlier(fam):
    school, youth = _file(fam)
    _leave(fam.child)
    with time_machine.travel(date(2028, 7, 16)):
        run = retention.run_retention()
    assert run.finished and TimelineEntry.objects.filter(pk=school.pk).exists()
    with time_machine.travel(date(2028, 7, 17)):
        run = retention.run_retention()
    assert run.counts.get("timelineentry") == 1
    assert not TimelineEntry.objects.filter(pk=school.pk).exists()
    assert TimelineEntry.objects.filter(pk=youth.pk).exists()  # youth care keeps its own file 20 years
    assert SickReport.objects.filter(child=fam.child).exists()  # absence: 5 years
    fam.child.refresh_from_db()
    assert fam.child.first_name == "Noor"


def test_absence_and_enrolment_go_after_five_years_and_the_child_is_anonymised(fam):
    _file(fam)
    _leave(fam.child)
    with time_machine.travel(date(2031, 7, 16)):
        retention.run_retention()
    assert SickReport.objects.filter(child=fam.child).exists()
    with time_machine.travel(date(2031, 7, 17)):
        run = retention.run_retention()
    assert not SickReport.objects.filter(child=fam.child).exists()
    fam.child.refresh_from_db()
    assert fam.child.first_name == retention.ANONYMOUS and fam.child.las_key == "" and fam.child.date_of_birth.day == 1
    assert not Guardianship.objects.filter(child=fam.child).exists()
    assert run.counts["child_anonymised"] == 1 and run.counts["sickreport"] == 1
    assert AccessLogEntry.objects.filter(child=fam.child).exists()  # the access log stays (5 years per entry)


def test_the_youth_care_file_goes_twenty_years_after_its_last_change(fam):
    _school, youth = _file(fam)
    with time_machine.travel(date(2046, 2, 28)):
        retention.run_retention()
    assert TimelineEntry.objects.filter(pk=youth.pk).exists()
    with time_machine.travel(date(2046, 3, 2)):
        run = retention.run_retention()
    assert not TimelineEntry.objects.filter(pk=youth.pk).exists()
    assert run.counts["youth_care_timelineentry"] == 1


def test_a_legal_hold_stops_it_and_lifting_it_lets_it_go(fam):
    school, _youth = _file(fam)
    _leave(fam.child)
    hold = retention.place_hold(web(fam.ib), fam.child, "Klacht loopt bij de geschillencommissie")
    with time_machine.travel(date(2032, 1, 1)):
        run = retention.run_retention()
    assert run.held == 1 and TimelineEntry.objects.filter(pk=school.pk).exists()
    hold.child = fam.child
    retention.lift_hold(web(fam.ib), hold)
    with time_machine.travel(date(2032, 1, 1)):
        retention.run_retention()
    assert not TimelineEntry.objects.filter(pk=school.pk).exists()


def test_only_the_coordinator_places_a_hold_and_a_refusal_is_logged(fam):
    from apps.access.policy import AccessDenied

    for user in (fam.teacher, fam.mother, fam.worker):
        with pytest.raises(AccessDenied):
            retention.place_hold(web(user), fam.child, "x")
    assert not LegalHold.objects.exists()
    assert AccessLogEntry.objects.filter(allowed=False, child=fam.child, action="change").count() == 3


def test_an_interrupted_run_continues_removes_nothing_twice_and_keeps_what_it_should(fam, settings):
    settings.RETENTION_BATCH_SIZE = 2
    leavers = [fam.child] + [ChildFactory(group=fam.group, school=fam.school) for _ in range(4)]
    stayer = ChildFactory(group=fam.group, school=fam.school)
    for child in leavers + [stayer]:
        _file(fam, child)
    for child in leavers:
        _leave(child)
    statement = add_statement(
        web(fam.mother),
        "timeline_entry",
        TimelineEntry.objects.filter(child=fam.child, author=fam.teacher).get().pk,
        text="Wij zien dat anders",
    )
    with time_machine.travel(date(2029, 1, 1)):
        first = retention.run_retention(stop_after_batches=1)
        assert not first.finished and first.batches == 1
        in_first_batch = [c for c in leavers if c.pk <= first.last_child_id]
        assert first.counts["timelineentry"] == len(in_first_batch) < len(leavers)
        again = retention.run_retention()
    assert again.pk == first.pk and again.finished
    assert again.counts["timelineentry"] == 5  # every leaver's school entry, each counted once
    assert again.counts["statement"] == 1 and not Statement.objects.filter(pk=statement.pk).exists()
    assert TimelineEntry.objects.filter(child=stayer).exists()
    assert TimelineEntry.objects.filter(author=fam.worker).exists()
    with time_machine.travel(date(2029, 1, 1)):
        rerun = retention.run_retention()
    assert rerun.pk != first.pk and rerun.counts == {}  # a second run that day removes nothing
    assert RetentionRun.objects.count() == 2


def test_the_access_log_is_only_counted_and_its_pruning_is_left_to_audit_prune(fam):
    from apps.access.policy import Action, authorize

    with time_machine.travel(date(2026, 1, 5)):
        authorize(web(fam.teacher), Action.VIEW, fam.child)
    with time_machine.travel(date(2031, 3, 2)):
        run = retention.run_retention()
    assert (
        run.access_log_expired
        == AccessLogEntry.objects.filter(at__lt=retention._start_of(date(2026, 3, 2))).count()
        > 0
    )
    assert AccessLogEntry.objects.filter(at__lt=retention._start_of(date(2026, 3, 2))).exists()  # kept: audit_prune


def test_the_family_sees_the_retention_date(fam, logged_in):
    _leave(fam.child)
    page = logged_in(fam.mother).get(reverse("privacy:child", args=[fam.child.pk])).content.decode()
    assert "17 juli 2028" in page and "17 juli 2031" in page


def test_the_daily_job_is_registered_with_the_scheduler(settings):
    from apps.core.scheduler import periodic_tasks

    assert any(p.path == "apps.privacy.tasks.daily_retention" for p in periodic_tasks())


def test_agreements_of_the_school_go_too(fam):
    from apps.plans.services import add_agreement

    add_agreement(web(fam.ib), fam.child, what="Elke dag lezen", owner=fam.mother, due=date.today() + timedelta(days=3))
    _leave(fam.child)
    with time_machine.travel(date(2028, 8, 1)):
        run = retention.run_retention()
    assert not Agreement.objects.filter(child=fam.child).exists() and run.counts["agreement"] == 1
