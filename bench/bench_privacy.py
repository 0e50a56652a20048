"""Inspection export and retention at scale, beside the bare view (/healthz):

- the inspection export (the background task) of one child with 1,000 timeline entries, 200 agreements,
  2,000 messages and 5,000 access-log entries: time, peak memory (tracemalloc), ZIP size, queries;
- a retention run over a school of 1,500 pupils of whom 300 left three years ago: time, queries in all and
  per batch (the count per batch does not grow with the batch).

Sizes through BENCH_PRIV_ENTRIES (1000), BENCH_PRIV_AGREEMENTS (200), BENCH_PRIV_MESSAGES (2000),
BENCH_PRIV_LOG (5000), BENCH_PRIV_PUPILS (1500), BENCH_PRIV_LEFT (300).
"""

import os
import time
import tracemalloc
from datetime import date, timedelta


def _n(name, default):
    return int(os.environ.get(name, default))


def _school(name, brin, pupils):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name=name, brin=brin)
    groups = [
        Group.objects.create(school=school, name=f"{brin} Groep {i}", year_level=i, school_year="2026-2027")
        for i in range(1, 9)
    ]
    pw = make_password("bench-wachtwoord-1")
    ib = User.objects.create(email=f"ib@{brin}.test", full_name=f"IB {brin}", password=pw, is_demo=True)
    teacher = User.objects.create(email=f"lk@{brin}.test", full_name=f"Leerkracht {brin}", password=pw, is_demo=True)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    m = Membership.objects.create(user=teacher, role=Role.TEACHER, school=school)
    m.groups.set(groups)
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}",
            last_name=f"{brin}{i:04d}",
            date_of_birth=date(2016, 1 + i % 12, 1 + i % 28),
            school=school,
            group=groups[i % 8],
        )
        for i in range(pupils)
    )
    parents = User.objects.bulk_create(
        User(email=f"ouder{i}@{brin}.test", full_name=f"Ouder {i}", password=pw) for i in range(pupils)
    )
    Guardianship.objects.bulk_create(
        Guardianship(child=c, user=p, relation="mother", authority_status="confirmed")
        for c, p in zip(children, parents, strict=True)
    )
    return school, ib, teacher, children, parents


def _export_case() -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.audit.log import Actor, append
    from apps.messaging.models import Message, Thread
    from apps.plans.models import Agreement
    from apps.privacy import services
    from apps.timeline.models import TimelineEntry

    _school_obj, ib, teacher, children, parents = _school("Bench inzage", "00PX", 1)
    child, mother = children[0], parents[0]
    child.refresh_from_db()
    today = timezone.localdate()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            child=child,
            kind="school",
            happened_on=today - timedelta(days=i % 2000),
            author=teacher,
            text=f"Regel {i}: het ging goed met rekenen en lezen",
            category="development",
        )
        for i in range(_n("BENCH_PRIV_ENTRIES", 1000))
    )
    Agreement.objects.bulk_create(
        Agreement(
            child=child, what=f"Afspraak {i}", owner=mother, due=today + timedelta(days=i % 60), created_by=teacher
        )
        for i in range(_n("BENCH_PRIV_AGREEMENTS", 200))
    )
    threads = [Thread.objects.create(child=child, subject=f"Draad {i}", created_by=teacher) for i in range(20)]
    Message.objects.bulk_create(
        Message(thread=threads[i % 20], author=teacher if i % 2 else mother, body=f"Bericht {i} over huiswerk " * 3)
        for i in range(_n("BENCH_PRIV_MESSAGES", 2000))
    )
    row = {
        "actor_id": teacher.pk,
        "actor_name": teacher.full_name,
        "actor_role": "leerkracht",
        "actor_organisation": "Bench inzage",
        "child_id": child.pk,
        "category": "development",
        "object_type": "child",
        "object_id": child.pk,
        "object_label": "de tijdlijn",
        "action": "view",
        "allowed": True,
        "basis": "leerkracht",
        "channel": "web",
    }
    for _ in range(_n("BENCH_PRIV_LOG", 5000) // 1000):
        append([dict(row) for _ in range(1000)])
    req = services.request_inspection(Actor(mother), child)
    services._clean_redaction(req, [], [])  # what the coordinator's form checks
    from apps.core import jobs
    from apps.privacy.models import InspectionRequest

    job = jobs.start(ib, "bench", 30)
    InspectionRequest.objects.filter(pk=req.pk).update(prepared_by=ib, job=job, status="preparing")
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        done = services.build_export(req.pk)
    ms = (time.perf_counter() - start) * 1000
    # Memory in a second run: tracemalloc slows Python down many times, so it is kept out of the timing.
    InspectionRequest.objects.filter(pk=req.pk).update(status="preparing", job=jobs.start(ib, "bench", 30))
    tracemalloc.start()
    services.build_export(req.pk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return [
        {
            "bench": "privacy",
            "case": f"inspection export ({_n('BENCH_PRIV_ENTRIES', 1000)} entries, {_n('BENCH_PRIV_AGREEMENTS', 200)}"
            f" agreements, {_n('BENCH_PRIV_MESSAGES', 2000)} messages, {_n('BENCH_PRIV_LOG', 5000)} log)",
            "ms": round(ms),
            "queries": len(ctx.captured_queries),
            "note": f"peak memory {peak / 1e6:.0f} MB (tracemalloc), ZIP {done.size / 1e6:.2f} MB",
        }
    ]


def _retention_case() -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.attendance.models import SickReport
    from apps.circles.models import Child
    from apps.privacy.retention import run_retention
    from apps.timeline.models import TimelineEntry

    pupils, left = _n("BENCH_PRIV_PUPILS", 1500), _n("BENCH_PRIV_LEFT", 300)
    _school_obj, _ib, teacher, children, parents = _school("Bench bewaren", "00RX", pupils)
    today = date.today()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            child=c, kind="school", happened_on=date(2022, 3, 1), author=teacher, text="Regel", category="development"
        )
        for c in children
        for _ in range(3)
    )
    SickReport.objects.bulk_create(
        SickReport(child=c, first_day=date(2022, 3, 1), reported_by=p) for c, p in zip(children, parents, strict=True)
    )
    Child.objects.filter(pk__in=[c.pk for c in children[:left]]).update(left_on=today.replace(year=today.year - 3))
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        run = run_retention(today)
        ms = (time.perf_counter() - start) * 1000
    queries = len(ctx.captured_queries)
    return [
        {
            "bench": "privacy",
            "case": f"retention run ({pupils} pupils, {left} left 3 years ago)",
            "ms": round(ms),
            "queries": queries,
            "note": f"{run.batches} batches of {settings.RETENTION_BATCH_SIZE}, ~{queries // max(run.batches, 1)}"
            f" queries a batch; removed {run.counts.get('timelineentry', 0)} entries",
        }
    ]


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms

    baseline = bare_view_ms(Client())
    rows = _export_case() + _retention_case()
    for r in rows:
        r["baseline_ms"] = baseline
    return rows
