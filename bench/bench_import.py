"""Import of a school of 1,500 pupils, 2,600 guardians and 90 staff: preview (parse + compare) and apply
(one transaction), beside a plain bulk_create of the same rows in the same run, with the query counts.

The files are generated: an EDEXML with groups, pupils and teachers, and a Zermelo-style guardians CSV.
"""

import time


def _files(pupils=1500, guardians=2600, teachers=90) -> tuple[bytes, bytes]:
    groups = "".join(
        f'<groep key="G{g}"><naam>Groep {g % 8 + 1}{"abc"[g // 8]}</naam><jaargroep>{g % 8 + 1}</jaargroep></groep>'
        for g in range(24)
    )
    rows = "".join(
        f'<leerling key="{i}"><achternaam>Achternaam{i}</achternaam><roepnaam>Kind</roepnaam>'
        f'<geboortedatum>2016-0{1 + i % 9}-1{i % 9}</geboortedatum><groep key="G{i % 24}"/></leerling>'
        for i in range(pupils)
    )
    staff = "".join(
        f'<leerkracht key="T{t}"><achternaam>Juf{t}</achternaam><emailadres>leerkracht{t}@bench.example</emailadres>'
        f'<groepen><groep key="G{t % 24}"/></groepen></leerkracht>'
        for t in range(teachers)
    )
    xml = (
        f"<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>77BE</brincode></school><groepen>{groups}"
        f"</groepen><leerlingen>{rows}</leerlingen><leerkrachten>{staff}</leerkrachten></EDEX>"
    ).encode()
    lines = ["Code;Achternaam;Email;Leerlingcodes"]
    lines += [f"O{g};Ouder{g};ouder{g}@bench.example;{g % pupils},{(g + 7) % pupils}" for g in range(guardians)]
    return xml, "\n".join(lines).encode()


def _timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, round((time.perf_counter() - started) * 1000, 1), len(ctx.captured_queries)


def _plain_bulk_create_ms(school) -> float:
    """The floor: the same groups, pupils, users and guardianships written with bare bulk_create."""
    from django.db import transaction

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.organisations.models import Group

    started = time.perf_counter()
    with transaction.atomic():
        groups = Group.objects.bulk_create(
            [Group(school=school, name=f"Plain {g}", school_year="2030-2031", year_level=1) for g in range(24)]
        )
        kids = Child.objects.bulk_create(
            [
                Child(
                    school=school,
                    group=groups[i % 24],
                    first_name="Kind",
                    last_name=f"P{i}",
                    date_of_birth="2016-01-01",
                    las_key=f"P{i}",
                )
                for i in range(1500)
            ]
        )
        users = User.objects.bulk_create(
            [User(email=f"plain{n}@bench.example", full_name=f"P{n}") for n in range(2600 + 90)]
        )
        Guardianship.objects.bulk_create(
            [Guardianship(child=kids[g % 1500], user=users[g]) for g in range(2600)]
            + [Guardianship(child=kids[(g + 7) % 1500], user=users[g]) for g in range(2600)],
            ignore_conflicts=True,
        )
    return round((time.perf_counter() - started) * 1000, 1)


def run() -> list[dict]:
    from django.test import Client

    from apps.enrolment import services
    from apps.organisations.models import Role, School
    from bench.harness import bare_view_ms
    from tests.factories import UserFactory, staff

    school = School.objects.create(name="Benchschool import", brin="77BE")
    admin = staff(Role.SCHOOL_ADMIN, school=school, user=UserFactory(email="bench-import@bench.example"))
    baseline = bare_view_ms(Client())
    xml, guardians_csv = _files()
    rows = []
    services.BACKGROUND_ROWS = 10**9  # time the apply itself, not the task queue
    run, ms, queries = _timed(lambda: services.start_import(user=admin, school=school, file_name="b.xml", content=xml))
    rows.append({"case": "EDEXML preview (1,500 pupils, 90 staff)", "ms": ms, "queries": queries})
    assert run.can_apply, run.summary.get("errors", [])[:3] or run.summary.get("refused")
    run, ms, queries = _timed(lambda: services.confirm(user=admin, run=run))
    rows.append({"case": "EDEXML apply", "ms": ms, "queries": queries, "note": run.status})
    csv_run = services.start_import(user=admin, school=school, file_name="o.csv", content=guardians_csv)
    run, ms, queries = _timed(lambda: services.set_mapping(user=admin, run=csv_run, mapping=csv_run.mapping))
    rows.append({"case": "guardians CSV preview (2,600 guardians, 5,200 links)", "ms": ms, "queries": queries})
    run, ms, queries = _timed(lambda: services.confirm(user=admin, run=run))
    rows.append({"case": "guardians CSV apply", "ms": ms, "queries": queries, "note": run.status})
    plain = _plain_bulk_create_ms(school)
    rows.append({"case": "plain bulk_create of the same rows", "ms": plain, "queries": ""})
    return [{"bench": "import", "baseline_ms": baseline, **row} for row in rows]
