"""Start-of-year planner for a whole school: generate slots for every class (2 evenings each), book all
pupils through `book_slot` (which also plans the conversation, logs access and sends invitations), and
the booking page's query count with an empty and with a full class (should be the same).

Sizes: BENCH_PUPILS (default 1500), BENCH_CLASS_SIZE (default 25).
"""

import os
import time
from datetime import datetime, timedelta
from datetime import time as clock


def _build_school(pupils: int, class_size: int):
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Benchschool")
    n_classes = -(-pupils // class_size)
    groups = Group.objects.bulk_create(
        [
            Group(school=school, name=f"Groep {i + 1}", year_level=1 + i % 8, school_year="2026-2027")
            for i in range(n_classes)
        ]
    )
    teachers = User.objects.bulk_create(
        [
            User(email=f"leerkracht{i}@bench.example", full_name=f"Leerkracht {i}", is_demo=True)
            for i in range(n_classes)
        ]
    )
    for teacher, group in zip(teachers, groups, strict=True):
        Membership.objects.create(user=teacher, role=Role.TEACHER, school=school).groups.add(group)
    born = timezone.localdate().replace(year=timezone.localdate().year - 9)
    children = Child.objects.bulk_create(
        [
            Child(
                first_name=f"Kind{i}",
                last_name="Bench",
                date_of_birth=born,
                school=school,
                group=groups[i // class_size],
            )
            for i in range(pupils)
        ]
    )
    parents = User.objects.bulk_create(
        [User(email=f"ouder{i}@bench.example", full_name=f"Ouder {i}") for i in range(pupils)]
    )
    Guardianship.objects.bulk_create(
        [Guardianship(child=c, user=p, relation="mother") for c, p in zip(children, parents, strict=True)]
    )
    return groups, teachers, children, parents


def _evening(days: int, slots: int, minutes: int):
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=days)
    start = timezone.make_aware(datetime.combine(day, clock(17, 0)))
    return start, start + timedelta(minutes=slots * minutes)


def _queries(client, url: str) -> int:
    """Queries of one GET. (harness.measure reads its capture after later requests reset the log.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
        return len(ctx.captured_queries)


def _measure(client, url: str) -> tuple[float, int]:
    from bench.harness import measure

    ms, _broken = measure(client, url, repeat=5)
    return ms, _queries(client, url)


def run() -> list[dict]:
    from django.test import Client

    from apps.audit.log import Actor
    from apps.planner import services
    from apps.planner.models import Slot
    from bench.harness import bare_view_ms

    pupils = int(os.environ.get("BENCH_PUPILS", "1500"))
    class_size = int(os.environ.get("BENCH_CLASS_SIZE", "25"))
    minutes = 15
    per_evening = -(-class_size // 2) + 1  # two evenings with a little room to spare
    groups, teachers, children, parents = _build_school(pupils, class_size)

    start = time.perf_counter()
    rounds = [
        services.open_round(
            teacher,
            group,
            purpose="Kennismaken",
            windows=[_evening(14, per_evening, minutes), _evening(15, per_evening, minutes)],
            slot_minutes=minutes,
            place="School",
        )
        for teacher, group in zip(teachers, groups, strict=True)
    ]
    generate_ms = (time.perf_counter() - start) * 1000
    n_slots = Slot.objects.count()

    client = Client()
    probe_child, probe_parent = children[class_size - 1], parents[class_size - 1]  # last pupil of class 1
    client.force_login(probe_parent)
    page = f"/startgesprekken/{rounds[0].pk}/kind/{probe_child.pk}/"
    empty_ms, empty_queries = _measure(client, page)

    slots_by_round = {r.pk: list(r.slots.order_by("starts_at")) for r in rounds}
    round_of_group = {r.group_id: r for r in rounds}
    order = [i for i in range(pupils) if i != class_size - 1] + [class_size - 1]
    start = time.perf_counter()
    full_measured = None
    for n, i in enumerate(order):
        child, parent = children[i], parents[i]
        rnd = round_of_group[child.group_id]
        slot = slots_by_round[rnd.pk][i % class_size]
        services.book_slot(Actor(parent, channel="job"), slot, child)
        if n == pupils - 2:  # everyone but the probe pupil has booked: measure the page again
            pause = time.perf_counter()
            full_measured = _measure(client, page)
            start += time.perf_counter() - pause
    book_ms = (time.perf_counter() - start) * 1000
    full_ms, full_queries = full_measured

    teacher_client = Client()
    teacher_client.force_login(teachers[0])
    overview_ms, overview_queries = _measure(teacher_client, f"/startgesprekken/{rounds[0].pk}/")
    baseline = bare_view_ms(client)
    return [
        {"bench": "planner", "case": f"generate slots: {len(rounds)} classes x 2 evenings", "ms": round(generate_ms, 1),
         "note": f"{n_slots} slots"},
        {"bench": "planner", "case": f"book all {pupils} pupils via book_slot", "ms": round(book_ms, 1),
         "note": f"{round(book_ms / pupils, 2)} ms per booking (incl. conversation, log, invitation)"},
        {"bench": "planner", "case": "booking page, class empty", "ms": empty_ms, "queries": empty_queries,
         "baseline_ms": baseline},
        {"bench": "planner", "case": "booking page, class full but one", "ms": full_ms, "queries": full_queries,
         "baseline_ms": baseline, "note": "constant" if full_queries == empty_queries else "NOT constant"},
        {"bench": "planner", "case": f"teacher overview ({class_size} pupils booked)", "ms": overview_ms,
         "queries": overview_queries, "baseline_ms": baseline},
    ]  # fmt: skip
