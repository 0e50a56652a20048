"""The plan page and the OPP page with an OPP of many support lines and versions, and the groeidocument and
family-plan pages, beside the bare view.

Sizes: BENCH_OPP_LINES (default 40) support lines, BENCH_OPP_VERSIONS (default 10) versions, each answered
by both parents. A small OPP (2 lines, 1 version) is measured too: the query count must not grow.
"""

import os
from datetime import timedelta


def opp_with(n_lines: int, n_versions: int, people: dict):
    """A child with two parents with gezag, a plan of 5 goals and 10 agreements, and an OPP."""
    from django.utils import timezone

    from apps.plans.groei_models import ExportConsent, Groeidocument
    from apps.plans.models import Agreement, Goal
    from apps.plans.opp import rules
    from apps.plans.opp_models import HandelingsdeelAnswer, HandelingsdeelVersion, Opp, SupportLine
    from tests.factories import ChildFactory, GuardianshipFactory, years_ago

    today = timezone.localdate()
    child = ChildFactory(group=people["group"], school=people["group"].school, date_of_birth=years_ago(11))
    parents = [GuardianshipFactory(child=child, relation=r).user for r in ("mother", "father")]
    Goal.objects.bulk_create(
        Goal(child=child, text=f"Doel {i}", evaluate_on=today, created_by=people["ib"]) for i in range(5)
    )
    Agreement.objects.bulk_create(
        Agreement(child=child, what=f"Afspraak {i}", owner=parents[0], due=today, created_by=people["ib"])
        for i in range(10)
    )
    opp = Opp.objects.create(
        child=child, needed_since=today - timedelta(days=30), created_by=people["ib"], pupil_view="Ik wil meedoen."
    )
    SupportLine.objects.bulk_create(
        SupportLine(opp=opp, what=f"Ondersteuning {i}", who="RT'er", how_often="2x per week", starts_on=today)
        for i in range(n_lines)
    )
    content = {"support_lines": [f"Ondersteuning {i}" for i in range(n_lines)]}
    versions = HandelingsdeelVersion.objects.bulk_create(
        HandelingsdeelVersion(
            opp=opp,
            number=n + 1,
            content={**content, "n": n},
            content_hash=rules.content_hash({**content, "n": n}),
            proposed_by=people["ib"],
            established_at=timezone.now() if n < n_versions - 1 else None,
        )
        for n in range(n_versions)
    )
    HandelingsdeelAnswer.objects.bulk_create(
        HandelingsdeelAnswer(version=v, user=p, answer="consent")
        for v in versions
        for p in (parents if v.established_at else parents[:1])
    )
    # A groeidocument whose MDO made a quarter as many agreements as there are support lines, and the
    # parents' choices of what goes with the request (each parent changed their mind once per version).
    doc = Groeidocument.objects.create(child=child, created_by=people["ib"], parents_view="Thuis gaat het goed.")
    Agreement.objects.filter(pk__in=Agreement.objects.filter(child=child).values("pk")[: max(1, n_lines // 4)]).update(
        groeidocument=doc
    )
    ExportConsent.objects.bulk_create(
        ExportConsent(document=doc, user=p, categories=["support"]) for _ in range(n_versions) for p in parents
    )
    return child


def url_for(template: str, child) -> str:
    return template.format(id=child.pk, doc=child.groeidocumenten.values_list("pk", flat=True).first())


def count_queries(client, url: str) -> int:
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += "pg_advisory_xact_lock" not in sql  # the log's lock, PostgreSQL only: not a data query
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return count


def world():
    from apps.organisations.models import Role
    from tests.factories import GroupFactory, UserFactory, staff

    group = GroupFactory()
    return {"group": group, "ib": staff(Role.IB, school=group.school, user=UserFactory(is_demo=True))}


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    n_lines = int(os.environ.get("BENCH_OPP_LINES", 40))
    n_versions = int(os.environ.get("BENCH_OPP_VERSIONS", 10))
    people = world()
    small, big = opp_with(2, 1, people), opp_with(n_lines, n_versions, people)
    client = Client()
    client.force_login(people["ib"])
    baseline = bare_view_ms(client)
    rows = []
    for label, url in (
        ("plan page", "/plan/kind/{id}/"),
        ("OPP page", "/plan/kind/{id}/opp/"),
        ("API OPP", "/api/v1/children/{id}/plan/opp/"),
        ("groeidocument page", "/plan/groeidocument/{doc}/"),
        ("family plan page", "/plan/kind/{id}/gezinsplan/"),
    ):
        for child, size in ((small, "2 lines / 1 version"), (big, f"{n_lines} lines / {n_versions} versions")):
            ms, _ = measure(client, url_for(url, child))
            rows.append(
                {
                    "bench": "opp",
                    "case": f"{label} ({size})",
                    "ms": ms,
                    "baseline_ms": baseline,
                    "queries": count_queries(client, url_for(url, child)),
                    "note": "IB'er",
                }
            )
    return rows
