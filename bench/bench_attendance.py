"""Absence (issue 11): the teacher's register for a class of 30, and every rule for a whole school.

- register: GET of one day's register for a class of 30 (teacher), beside the bare view;
- rules: `evaluate_school` for 500 and 1,500 pupils with a full school year of registrations (about 12
  absences and 3 sick reports per pupil, 12 test days in the school's calendar): time and queries; the
  time grows with the pupils, not their square, and the query count stays the same (signals are stored in
  bulk; the second run stores nothing).
"""

import random
import time
from datetime import date, timedelta

YEAR_START = date(2025, 9, 1)
TODAY = date(2026, 7, 3)


def _school(name: str, brin: str, pupils: int):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.circles.models import Child
    from apps.helpguide.models import SchoolHoliday
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name=name, brin=brin)
    SchoolHoliday.objects.create(school=school, name="Kerstvakantie", start=date(2025, 12, 22), end=date(2026, 1, 2))
    SchoolHoliday.objects.create(school=school, name="Meivakantie", start=date(2026, 4, 27), end=date(2026, 5, 8))
    from apps.attendance.models import TestDay

    first_tuesday = YEAR_START + timedelta(days=1)
    TestDay.objects.bulk_create(
        TestDay(school=school, day=first_tuesday + timedelta(weeks=3 * i, days=i % 3)) for i in range(12)
    )  # a Tuesday, Wednesday or Thursday every three weeks (one may fall in a holiday: it does not count)
    groups = [
        Group.objects.create(school=school, name=f"{brin} groep {i}", year_level=3 + i % 6, school_year="2025-2026")
        for i in range(max(1, pupils // 30))
    ]
    pw = make_password("bench-wachtwoord-1")
    ib = User.objects.create(email=f"ib@{brin.lower()}.bench.test", full_name="IB Verzuim", password=pw, is_demo=True)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    teacher = User.objects.create(
        email=f"lk@{brin.lower()}.bench.test", full_name="Leerkracht", password=pw, is_demo=True
    )
    Membership.objects.create(user=teacher, role=Role.TEACHER, school=school).groups.set([groups[0]])
    children = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}",
            last_name=f"Verzuim{i:04d}",
            date_of_birth=date(2016, 1, 1),
            school=school,
            group=groups[i % len(groups)],
        )
        for i in range(pupils)
    )
    return school, groups[0], ib, teacher, children


def _year_of_registrations(children, author):
    from apps.attendance import signals as rules
    from apps.attendance.models import Absence, SickReport

    cal = rules.Calendar(
        YEAR_START, TODAY, [(date(2025, 12, 22), date(2026, 1, 2)), (date(2026, 4, 27), date(2026, 5, 8))]
    )
    rng = random.Random(11)
    absences, reports = [], []
    reasons = ["unauthorised", "late", "medical", "sick", "leave", "unauthorised"]
    for child in children:
        days = rng.sample(cal.days, 15)
        for day in days[:12]:
            reason = rng.choice(reasons)
            hours = 0.5 if reason == "late" else 5.5
            absences.append(Absence(child=child, day=day, reason=reason, hours=hours, recorded_by=author))
        for day in days[12:]:
            reports.append(SickReport(child=child, first_day=day, last_day=day + timedelta(days=1), reported_by=author))
    Absence.objects.bulk_create(absences, batch_size=2000, ignore_conflicts=True)
    SickReport.objects.bulk_create(reports, batch_size=2000, ignore_conflicts=True)
    return len(absences), len(reports)


def _rules_row(school, pupils: int, registrations: int) -> dict:
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.attendance.services import evaluate_school

    with time_machine.travel(TODAY, tick=False):
        connection.queries_log.clear()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            stored = evaluate_school(school, today=TODAY)
        first_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as again:
            assert evaluate_school(school, today=TODAY) == []
        second_ms = (time.perf_counter() - start) * 1000
    return {
        "bench": "attendance",
        "case": f"every rule, {pupils} pupils, {registrations} registrations in a school year",
        "ms": round(first_ms, 1),
        "queries": len(ctx.captured_queries),
        "note": f"{len(stored)} signals stored; a second run: {round(second_ms, 1)} ms, "
        f"{len(again.captured_queries)} queries, nothing new",
    }


def run() -> list[dict]:
    import time_machine
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    rows = []
    school, group, ib, teacher, children = _school("Bench verzuim klein", "00VA", 500)
    count = sum(_year_of_registrations(children, teacher))
    rows.append(_rules_row(school, 500, count))
    school, group, ib, teacher, children = _school("Bench verzuim groot", "00VB", 1500)
    count = sum(_year_of_registrations(children, teacher))
    rows.append(_rules_row(school, 1500, count))

    client = Client()
    client.force_login(teacher)
    with time_machine.travel(date(2026, 3, 3), tick=False):
        baseline = bare_view_ms(client)
        ms, queries = measure(client, f"/verzuim/register/{group.pk}/?dag=2026-03-03")
    pupils = group.pupils.count()
    rows.append(
        {
            "bench": "attendance",
            "case": f"teacher's register, class of {pupils}",
            "ms": ms,
            "baseline_ms": baseline,
            "queries": queries,
            "note": "one form, one submit; query count constant per class size (test)",
        }
    )
    return rows
