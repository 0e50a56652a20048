"""The results of a partnership-monitor wave (docs/learning.md), beside the bare view (/healthz):

- a wave over 30 classes with 300 and then BENCH_MONITOR_ANSWERS (3,000) responses of parents, professionals and
  children: the results page (chart, table, differences, suggestions, trend), one class's results, the API and
  the CSV export. The database groups and averages, so the query count stays the same as the answers grow.
"""

import os
from datetime import date, timedelta


def _world():
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.monitor.models import Wave
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name="Bench monitor school", brin="00MO")
    groups = Group.objects.bulk_create(
        Group(school=school, name=f"MO Groep {i}", year_level=5 + i % 4, school_year="2026-2027") for i in range(30)
    )
    ib = User.objects.create(
        email="ib@bench-mon.test", full_name="IB Peiling", password=make_password("bench-wachtwoord-1"), is_demo=True
    )
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    wave = Wave.objects.create(
        school=school, title="Bench peiling", opens_on=date.today(), closes_on=date.today() + timedelta(days=14),
        perspectives=["parent", "professional", "child"], created_by=ib,
    )  # fmt: skip
    wave.groups.set(groups)
    return ib, wave, groups


def _answers(wave, groups, count: int, offset: int):
    from apps.monitor.models import Answer, Response
    from apps.monitor.questions import ITEMS

    perspectives = ["parent", "parent", "child", "professional"]
    responses = []
    for k in range(offset, offset + count):
        p = perspectives[k % 4]
        group = None if p == "professional" else groups[k % len(groups)]
        responses.append(Response(wave=wave, school_id=wave.school_id, perspective=p, group=group))
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(
        (
            Answer(
                response=r,
                wave=wave,
                perspective=r.perspective,
                group=r.group,
                item=i.code,
                key=i.key,
                value=1 + (k + j) % 5,
            )
            for k, r in enumerate(responses)
            for j, i in enumerate(ITEMS[r.perspective])
        ),
        batch_size=2000,
    )


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    big = int(os.environ.get("BENCH_MONITOR_ANSWERS", "3000"))
    ib, wave, groups = _world()
    client = Client()
    client.force_login(ib)
    baseline = bare_view_ms(client)
    rows, done = [], 0
    for size in (300, big):
        _answers(wave, groups, size - done, done)
        done = size
        for label, url in (
            ("results page", f"/peiling/{wave.pk}/"),
            ("one class", f"/peiling/{wave.pk}/?group={groups[0].pk}"),
            ("API", f"/api/v1/monitor/waves/{wave.pk}/"),
            ("CSV", f"/peiling/{wave.pk}/resultaten.csv"),
        ):
            ms, queries = measure(client, url)
            rows.append({
                "bench": "monitor", "case": f"{label}, {size} answers over 30 classes", "ms": ms,
                "baseline_ms": baseline, "queries": queries, "note": "aggregated in the database; queries constant",
            })  # fmt: skip
    return rows
