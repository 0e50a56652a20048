"""Timeline and plan pages for a child with many entries and agreements, beside the bare view.

Sizes: BENCH_TIMELINE_ENTRIES (default 1000), BENCH_PLAN_AGREEMENTS (default 200). A small child
(10 entries, 5 agreements) is measured too, to show that the query count does not grow with the data.
"""

import os
from datetime import timedelta


def _child_with(n_entries: int, n_agreements: int, people: dict):
    from django.utils import timezone

    from apps.plans.models import Agreement, AgreementStatus, Goal, PlanChange
    from apps.timeline.models import Kind, TimelineEntry
    from tests.factories import ChildFactory, GuardianshipFactory, circle_member, years_ago

    child = ChildFactory(group=people["group"], school=people["group"].school, date_of_birth=years_ago(11))
    GuardianshipFactory(child=child, user=people["guardian"])
    circle_member(child, people["ib"], "IB'er", school=people["group"].school, coordinator=True)
    kinds = list(Kind.values)
    categories = ["basic", "development", "support", "health"]
    start = child.date_of_birth + timedelta(days=1)
    span = (timezone.localdate() - start).days
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            child=child,
            kind=kinds[i % len(kinds)],
            happened_on=start + timedelta(days=(i * 7919) % span),
            text=f"Regel {i}: iets wat er gebeurde",
            category=categories[i % 4],
            author=people["ib"] if i % 2 else people["guardian"],
        )
        for i in range(n_entries)
    )
    goals = Goal.objects.bulk_create(
        Goal(child=child, text=f"Doel {i}", child_words="Ik wil beter lezen", evaluate_on=timezone.localdate(),
             created_by=people["ib"])
        for i in range(5)
    )  # fmt: skip
    statuses = list(AgreementStatus.values)
    agreements = Agreement.objects.bulk_create(
        Agreement(
            child=child,
            goal=goals[i % 5],
            what=f"Afspraak {i}",
            owner=people["guardian"] if i % 2 else people["ib"],
            due=timezone.localdate() + timedelta(days=i % 60 - 30),
            status=statuses[i % 4],
            reason="reden" if statuses[i % 4] == "dropped" else "",
            created_by=people["ib"],
        )
        for i in range(n_agreements)
    )
    PlanChange.objects.bulk_create(
        PlanChange(
            child=child, kind="agreement_added", summary=f"Nieuwe afspraak: {a.what}", by=people["ib"], agreement=a
        )
        for a in agreements
    )
    return child


def count_queries(client, url: str) -> int:
    """Queries of one request, counted with an execute wrapper (the harness' CaptureQueriesContext
    reads 0 here: the request_started signal clears the query log mid-capture)."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return count


def run() -> list[dict]:
    from django.test import Client

    from apps.organisations.models import Role
    from bench.harness import bare_view_ms, measure
    from tests.factories import GroupFactory, UserFactory, staff

    n_entries = int(os.environ.get("BENCH_TIMELINE_ENTRIES", 1000))
    n_agreements = int(os.environ.get("BENCH_PLAN_AGREEMENTS", 200))
    group = GroupFactory()
    people = {
        "group": group,
        "guardian": UserFactory(),
        "ib": staff(Role.IB, school=group.school, user=UserFactory(is_demo=True)),
    }
    big = _child_with(n_entries, n_agreements, people)
    small = _child_with(10, 5, people)
    client = Client()
    client.force_login(people["ib"])
    baseline = bare_view_ms(client)
    rows = []
    cases = [
        ("timeline page", "/tijdlijn/kind/{id}/"),
        ("timeline page, kind=strength", "/tijdlijn/kind/{id}/?soort=strength"),
        ("timeline page, last page", "/tijdlijn/kind/{id}/?pagina=999"),
        ("plan page", "/plan/kind/{id}/"),
        ("API timeline", "/api/v1/children/{id}/timeline/"),
        ("API plan", "/api/v1/children/{id}/plan/"),
    ]
    for label, url in cases:
        for child, size in (
            (small, "10 entries / 5 agreements"),
            (big, f"{n_entries} entries / {n_agreements} agreements"),
        ):
            ms, _ = measure(client, url.format(id=child.pk))
            queries = count_queries(client, url.format(id=child.pk))
            rows.append(
                {
                    "bench": "timeline_plan",
                    "case": f"{label} ({size})",
                    "ms": ms,
                    "baseline_ms": baseline,
                    "queries": queries,
                    "note": "IB'er, all categories",
                }
            )
    return rows
