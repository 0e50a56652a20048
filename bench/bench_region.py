"""The main pages in a region beside the same pages in a single school (issue 17, "Measure"; docs/performance.md).

In a PostgreSQL database of its own (127.0.0.1:5432, user postgres; created and dropped) it loads the demo
school (the single-school world) and measures, through the test client, the guardian home, the child page,
the timeline, the plan, the IB'er home, the inbox and the API children list: the median time per request and
the queries of one request (and the fastest request: steadier on a shared machine), each world beside the bare
`/healthz` view measured in the same run. Then it adds a
region with bulk inserts — more schools of `--pupils` pupils each, with groups, teachers, an IB'er, a director
and an administrator, one or two guardians per pupil (confirmed gezag), the teacher in every pupil's circle, a
youth worker per three schools with consents for one pupil in twenty, and `--log-rows` access-log entries — and
measures the same pages for the same people again. Nothing the measured people see changes, so time and queries
should stay equal within noise. Last, an IB'er at every school of the region: the home and the API list.

The access-log entries are chains of their own per new child (docs/audit-log.md), built exactly as the log's
`append` builds them (places from 1, the log's own keyed `entry_hash`) and loaded with one COPY, so they verify
like any others; `--verify` checks every chain afterwards with `verify_chain`.

Usage: python bench/bench_region.py            # 30 schools × 1,500 pupils, 1,000,000 log rows
       python bench/bench_region.py --small    # 3 schools × 300 pupils, 100,000 log rows
       [--schools N] [--pupils N] [--log-rows N] [--repeat 10] [--verify]
Not part of `make bench` (bench/run.py): it needs PostgreSQL and minutes rather than seconds.
"""

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driehoek.settings")
os.environ.setdefault("DRIEHOEK_TESTING", "1")

PAGES = ["guardian home", "child page", "timeline", "plan", "IB'er home", "inbox", "API children list"]
GROUP_SIZE = 25


def _pages(guardian_child_id: int) -> list[tuple[str, str, str]]:
    c = guardian_child_id
    return [
        ("guardian home", "guardian", "/"),
        ("child page", "guardian", f"/kinderen/{c}/"),
        ("timeline", "guardian", f"/tijdlijn/kind/{c}/"),
        ("plan", "guardian", f"/plan/kind/{c}/"),
        ("IB'er home", "ib", "/"),
        ("inbox", "ib", "/berichten/"),
        ("API children list", "ib", "/api/v1/children/"),
    ]


def measure(client, url: str, repeat: int) -> tuple[float, float, int, float]:
    """Median and fastest milliseconds of GET url, the queries of one request (as `bench.harness.measure`; on a
    shared machine the fastest of the repeats is the steadier figure), and the mean milliseconds per request
    spent waiting for the database (what would grow if a query scanned the region)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as timed:
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
    sql_ms = 1000 * sum(float(q["time"]) for q in timed.captured_queries) / repeat
    return statistics.median(times), min(times), queries, sql_ms


def measure_world(clients: dict, child_id: int, repeat: int) -> dict:
    """{page: (median ms, fastest ms, queries)}, with `/healthz` before and after the pages."""
    figures = {"/healthz": measure(clients["guardian"], "/healthz", repeat)}
    for name, who, url in _pages(child_id):
        figures[name] = measure(clients[who], url, repeat)
    figures["/healthz after"] = measure(clients["guardian"], "/healthz", repeat)
    return figures


def _regional_ib(clients: dict, repeat: int) -> dict:
    """An IB'er at every school of the region (the issue's "an IB'er who sees a whole region"): the home and
    the API list, which show one page of pupils however many the person sees."""
    from django.test import Client

    from apps.accounts.models import User
    from apps.circles.models import Child
    from apps.organisations.models import Membership, Role, School

    user = User.objects.create(email="ib-regio@regio.bench.test", full_name="IB'er Regio", is_demo=True)  # no 2FA
    Membership.objects.bulk_create(Membership(user=user, role=Role.IB, school=s) for s in School.objects.all())
    client = Client()
    client.force_login(user)
    pupils = Child.objects.count()
    return {
        f"IB'er home, every school ({pupils:,} pupils)": measure(client, "/", repeat),
        f"API children list, every school ({pupils:,} pupils)": measure(client, "/api/v1/children/", repeat),
    }


def build_region(schools: int, pupils: int, log_rows: int, today: date) -> dict:
    """`schools` schools of `pupils` pupils next to the demo school, in bulk; returns counts and seconds."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.circles.models import Child, CircleMember, Guardianship
    from apps.consent.models import Consent, ConsentScope, ConsentSignature
    from apps.organisations.models import Board, CareOrganisation, Group, Membership, Role, School

    started = time.perf_counter()
    now = timezone.now()
    pw = make_password("regio-wachtwoord-1")
    school_year = f"{today.year - (today.month < 8)}-{today.year - (today.month < 8) + 1}"
    since = date(today.year - (today.month < 8), 8, 25)
    boards = Board.objects.bulk_create(Board(name=f"Regiobestuur {b}") for b in range(max(1, schools // 10)))
    made = School.objects.bulk_create(
        School(name=f"Regioschool {s}", city="Regiostad", board=boards[s % len(boards)]) for s in range(schools)
    )
    per_school_groups = max(1, pupils // GROUP_SIZE)
    groups = Group.objects.bulk_create(
        Group(school=school, name=f"{1 + g % 8}{chr(65 + g // 8)}", year_level=1 + g % 8, school_year=school_year)
        for school in made
        for g in range(per_school_groups)
    )
    groups_of = {school.pk: [g for g in groups if g.school_id == school.pk] for school in made}
    # Staff: a teacher per group, an IB'er, a director and an administrator per school.
    staff_users = User.objects.bulk_create(
        User(email=f"{kind}{s}-{i}@regio.bench.test", full_name=f"{kind.title()} {s}-{i}", password=pw)
        for s in range(schools)
        for kind, n in (("leerkracht", per_school_groups), ("ib", 1), ("directie", 1), ("administratie", 1))
        for i in range(n)
    )
    by_email = {u.email: u for u in staff_users}
    memberships, teacher_of = [], {}
    for s, school in enumerate(made):
        for i, group in enumerate(groups_of[school.pk]):
            teacher = by_email[f"leerkracht{s}-{i}@regio.bench.test"]
            memberships.append(Membership(user=teacher, role=Role.TEACHER, school=school))
            teacher_of[group.pk] = teacher
        for kind, role in (("ib", Role.IB), ("directie", Role.DIRECTOR), ("administratie", Role.SCHOOL_ADMIN)):
            memberships.append(Membership(user=by_email[f"{kind}{s}-0@regio.bench.test"], role=role, school=school))
    memberships = Membership.objects.bulk_create(memberships)
    through = Membership.groups.through
    member_of = {m.user_id: m for m in memberships if m.role == Role.TEACHER}
    through.objects.bulk_create(
        through(membership_id=member_of[teacher.pk].pk, group_id=group_id) for group_id, teacher in teacher_of.items()
    )
    # Youth care: a wijkteam per three schools, with one youth worker.
    organisations = CareOrganisation.objects.bulk_create(
        CareOrganisation(name=f"Regiowijkteam {o}", kind=CareOrganisation.Kind.WIJKTEAM)
        for o in range(max(1, schools // 3))
    )
    workers = User.objects.bulk_create(
        User(email=f"coach{o}@regio.bench.test", full_name=f"Coach {o}", password=pw) for o in range(len(organisations))
    )
    Membership.objects.bulk_create(
        Membership(user=w, role=Role.YOUTH_WORKER, organisation=o) for w, o in zip(workers, organisations, strict=True)
    )
    # Pupils, one or two guardians each (confirmed gezag), the teacher in every circle.
    children = []
    for school in made:
        school_groups = groups_of[school.pk]
        for i in range(pupils):
            group = school_groups[i % len(school_groups)]
            born = date(today.year - group.year_level - 4, 1 + i % 12, 1 + i % 28)
            children.append(
                Child(first_name=f"Leerling{i}", last_name=f"Regio{school.pk}-{i:04d}", date_of_birth=born,
                      school=school, group=group)
            )  # fmt: skip
    children = Child.objects.bulk_create(children, batch_size=5000)
    parents = User.objects.bulk_create(
        (
            User(email=f"ouder{c.pk}-{j}@regio.bench.test", full_name=f"Ouder {j} {c.last_name}", password=pw)
            for n, c in enumerate(children)
            for j in range(1 if n % 3 == 0 else 2)
        ),
        batch_size=5000,
    )
    parents_of: dict[int, list] = {}
    for p in parents:
        parents_of.setdefault(int(p.email.removeprefix("ouder").split("-")[0]), []).append(p)
    mother, father = Guardianship.Relation.MOTHER, Guardianship.Relation.FATHER
    Guardianship.objects.bulk_create(
        (
            Guardianship(child=c, user=p, relation=(mother, father)[min(j, 1)], has_authority=True,
                         authority_status=Guardianship.Authority.CONFIRMED,
                         authority_confirmed_at=now - timedelta(days=400))
            for c in children
            for j, p in enumerate(parents_of[c.pk])
        ),
        batch_size=5000,
    )  # fmt: skip
    CircleMember.objects.bulk_create(
        (
            CircleMember(child=c, user=teacher_of[c.group_id], role="leerkracht", school_id=c.school_id, since=since,
                         is_coordinator=True)
            for c in children
        ),
        batch_size=5000,
    )  # fmt: skip
    school_index = {school.pk: s for s, school in enumerate(made)}
    consented = [c for n, c in enumerate(children) if n % 20 == 0]
    consents = Consent.objects.bulk_create(
        (
            Consent(child=c, organisation=organisations[school_index[c.school_id] // 3 % len(organisations)],
                    grantee=workers[school_index[c.school_id] // 3 % len(workers)], purpose="Gezinsbegeleiding",
                    created_by=parents_of[c.pk][0], completed_at=now - timedelta(days=30),
                    starts_on=today - timedelta(days=30))
            for c in consented
        ),
        batch_size=5000,
    )  # fmt: skip
    ConsentScope.objects.bulk_create(
        (ConsentScope(consent=k, category=cat) for k in consents for cat in ("basic", "support")), batch_size=5000
    )
    ConsentSignature.objects.bulk_create(
        (
            ConsentSignature(consent=k, signer=p, signed_as="guardian")
            for k, c in zip(consents, consented, strict=True)
            for p in parents_of[c.pk]
        ),
        batch_size=5000,
    )
    built = time.perf_counter() - started
    log_started = time.perf_counter()
    written = write_access_log(children, teacher_of, log_rows, now)
    return {
        "schools": schools,
        "children": len(children),
        "users": len(staff_users) + len(workers) + len(parents),
        "consents": len(consents),
        "log rows": written,
        "build s": round(built, 1),
        "log s": round(time.perf_counter() - log_started, 1),
    }


def write_access_log(children: list, teacher_of: dict, rows: int, now) -> int:
    """`rows` entries spread evenly over the (new) children's chains: a teacher who looked at the pupil, spread
    over the past year. Each chain is built as `apps.audit.log.append` builds it — places 1, 2, … after the
    genesis hash, every entry hashed with the log's own `entry_hash` (the keyed hash of the current scheme) — and
    the rows go in with one COPY: the chains verify like any others (`--verify`), about ten times faster than
    `append` in batches (its Python objects and bulk INSERT are the cost, not the hash)."""
    from django.db import connection, transaction

    from apps.audit.log import CURRENT_SCHEME, GENESIS, chain_of, entry_hash
    from apps.audit.models import AccessLogEntry

    if not children or rows <= 0:
        return 0
    ids = [c.pk for c in children]
    assert not AccessLogEntry.objects.filter(child_id__in=ids).exists(), "new children: every chain starts at 1"
    fields = [
        "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "child_id", "category", "object_type",
        "object_id", "object_label", "action", "allowed", "basis", "consent_id", "channel", "ip", "purpose",
        "responsible_id", "responsible_name", "access_point", "chain", "seq",
    ]  # fmt: skip
    columns = [*fields, "scheme", "prev_hash", "hash"]
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    per_child = -(-rows // len(children))
    written = 0
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for n, child in enumerate(children):
            teacher = teacher_of[child.group_id]
            prev = GENESIS
            for k in range(min(per_child, rows - written)):
                values = {
                    "at": now - timedelta(minutes=(n * 37 + k * 7919) % 525_600),
                    "actor_id": teacher.pk,
                    "actor_name": teacher.full_name,
                    "actor_role": "leerkracht",
                    "actor_organisation": "",
                    "child_id": child.pk,
                    "category": ("basic", "development", "support", "health")[k % 4],
                    "object_type": "child",
                    "object_id": str(child.pk),
                    "object_label": "de leerlingenlijst" if k % 2 else "de basisgegevens en de kring",
                    "action": "list" if k % 2 else "view",
                    "allowed": True,
                    "basis": "leerkracht van de groep",
                    "consent_id": None,
                    "channel": "web",
                    "ip": None,
                    "purpose": "education",
                    "responsible_id": teacher.pk,
                    "responsible_name": teacher.full_name,
                    "access_point": "page",
                    "chain": chain_of(child.pk),
                    "seq": k + 1,
                }
                digest = entry_hash(values, prev)
                copy.write_row([*(values[f] for f in fields), CURRENT_SCHEME, prev, digest])
                prev = digest
                written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="3 schools × 300 pupils, 100,000 log rows")
    parser.add_argument("--schools", type=int, default=None, help="schools in the region (30; --small 3)")
    parser.add_argument("--pupils", type=int, default=None, help="pupils per school (1,500; --small 300)")
    parser.add_argument("--log-rows", type=int, default=None, help="access-log entries (1,000,000; --small 100,000)")
    parser.add_argument("--repeat", type=int, default=10, help="requests per page and world (the median counts)")
    parser.add_argument("--verify", action="store_true", help="verify every access-log chain afterwards")
    args = parser.parse_args()
    schools = args.schools or (3 if args.small else 30)
    pupils = args.pupils or (300 if args.small else 1500)
    log_rows = args.log_rows if args.log_rows is not None else (100_000 if args.small else 1_000_000)
    from bench.load import _drop_postgres_database, _postgres_database

    database, url = _postgres_database()
    os.environ["DATABASE_URL"] = url
    started = time.perf_counter()
    try:
        return _run(schools, pupils, log_rows, args.repeat, args.verify, started)
    finally:
        from django.db import connections

        connections.close_all()
        _drop_postgres_database(database)


def _run(schools: int, pupils: int, log_rows: int, repeat: int, verify: bool, started: float) -> int:
    from bench.harness import setup_database

    print("migrating a fresh PostgreSQL database …", file=sys.stderr)
    setup_database()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.audit.models import AccessLogEntry
    from apps.circles.models import Child
    from apps.organisations.models import Role

    call_command("loaddemo", verbosity=0, stdout=io.StringIO())
    guardian = (
        User.objects.filter(guardianships__isnull=False, memberships__isnull=True)
        .annotate(n=Count("guardianships"))
        .order_by("-n", "pk")
        .first()
    )
    child_id = guardian.guardianships.order_by("child_id").first().child_id
    ib = User.objects.filter(memberships__role=Role.IB, memberships__active=True).order_by("pk").first()
    clients = {"guardian": Client(), "ib": Client()}
    clients["guardian"].force_login(guardian)
    clients["ib"].force_login(ib)
    print(f"single school: {Child.objects.count()} children; measuring …", file=sys.stderr)
    single = measure_world(clients, child_id, repeat)
    single_world = {"children": Child.objects.count(), "users": User.objects.count(),
                    "log rows": AccessLogEntry.objects.count()}  # fmt: skip
    print(f"building the region ({schools} schools × {pupils} pupils, {log_rows:,} log rows) …", file=sys.stderr)
    region_info = build_region(schools, pupils, log_rows, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load; the planner's statistics
    print(f"region: {region_info}; measuring …", file=sys.stderr)
    region = measure_world(clients, child_id, repeat)
    region_world = {"children": Child.objects.count(), "users": User.objects.count(),
                    "log rows": AccessLogEntry.objects.count()}  # fmt: skip
    headers = ["page", "single ms", "fastest", "sql ms", "queries", "region ms", "fastest", "sql ms", "queries",
               "region / single (fastest, sql)"]  # fmt: skip
    table = []
    for name in ["/healthz", *PAGES, "/healthz after"]:
        (s_ms, s_min, s_q, s_sql), (r_ms, r_min, r_q, r_sql) = single[name], region[name]
        table.append(
            [name, f"{s_ms:.1f}", f"{s_min:.1f}", f"{s_sql:.1f}", str(s_q), f"{r_ms:.1f}", f"{r_min:.1f}",
             f"{r_sql:.1f}", str(r_q), f"{r_ms / s_ms:.2f} ({r_min / s_min:.2f}, {r_sql / s_sql if s_sql else 0:.2f})"]
        )  # fmt: skip
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(f"single school: {single_world}")
    print(f"region:        {region_world}; built in {region_info['build s']} s, log in {region_info['log s']} s")
    grown = [name for name in PAGES if region[name][2] != single[name][2]]
    print("queries that changed with the region: " + (", ".join(grown) if grown else "none"))
    wide = _regional_ib(clients, repeat)
    for name, (ms, fastest, queries, sql_ms) in wide.items():
        print(f"{name}: {ms:.1f} ms (fastest {fastest:.1f}, database {sql_ms:.1f}), {queries} queries")
    if verify:
        from apps.audit.log import verify_chain

        t = time.perf_counter()
        result = verify_chain()
        print(f"access log verified: {result.ok} ({result.checked:,} entries, {result.chains:,} chains, "
              f"{time.perf_counter() - t:.0f} s){'' if result.ok else ': ' + result.reason}")  # fmt: skip
    print(f"whole run {time.perf_counter() - started:.0f} s; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
