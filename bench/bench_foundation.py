"""Foundation pages at school scale: 1,500 pupils, one child with 1,000 access-log entries.

Child page, consent page, access-log page, staff home and the API list, beside the bare view (/healthz).
Size through BENCH_PUPILS (default 1500).
"""

import os
from datetime import date


def _world(pupils: int, tag: str = "bench"):
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.audit.log import append
    from apps.circles.models import Child, Guardianship
    from apps.organisations.models import Group, Membership, Role, School

    school = School.objects.create(name=f"School {tag}", brin=tag[:4].upper())
    groups = [
        Group.objects.create(school=school, name=f"Groep {i}", year_level=i, school_year="2026-2027")
        for i in range(1, 9)
    ]
    pw = make_password("bench-wachtwoord-1")
    ib = User.objects.create(email=f"ib@{tag}.test", full_name="IB Bench", password=pw, is_demo=True)
    Membership.objects.create(user=ib, role=Role.IB, school=school)
    Child.objects.bulk_create(
        Child(
            first_name=f"Kind{i}",
            last_name=f"Bench{i:04d}",
            date_of_birth=date(2016, 1 + i % 12, 1 + i % 28),
            school=school,
            group=groups[i % 8],
        )
        for i in range(pupils)
    )
    child = Child.objects.filter(school=school).order_by("pk").first()
    parent = User.objects.create(email=f"ouder@{tag}.test", full_name="Ouder Bench", password=pw)
    Guardianship.objects.create(child=child, user=parent, relation="mother", has_authority=True)
    entries = [
        {
            "actor_id": ib.pk,
            "actor_name": "IB Bench",
            "actor_role": "IB'er",
            "child_id": child.pk,
            "category": "support",
            "object_type": "child",
            "object_id": str(child.pk),
            "object_label": "het plan",
            "actor_organisation": "",
            "consent_id": None,
            "ip": None,
            "action": "view",
            "allowed": True,
            "basis": "IB'er",
            "channel": "web",
        }
        for _ in range(1000)
    ]
    append(entries)
    return ib, parent, child


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    pupils = int(os.environ.get("BENCH_PUPILS", "1500"))
    ib, parent, child = _world(pupils)
    staff_client, parent_client = Client(), Client()
    staff_client.force_login(ib)
    parent_client.force_login(parent)
    bare = bare_view_ms(staff_client)
    rows = []
    cases = [
        (staff_client, "/", f"staff home ({pupils} pupils, page of 25)"),
        (staff_client, "/api/v1/children/", f"API children list ({pupils} pupils, page of 50)"),
        (staff_client, f"/kinderen/{child.pk}/", "child page"),
        (parent_client, f"/kinderen/{child.pk}/toestemming/", "consent page (guardian)"),
        (parent_client, f"/kinderen/{child.pk}/logboek/", "access-log page (1,000+ entries, paged)"),
        (parent_client, f"/api/v1/children/{child.pk}/access-log/", "API access log"),
    ]
    for client, url, case in cases:
        ms, queries = measure(client, url)
        rows.append({"bench": "foundation", "case": case, "ms": ms, "baseline_ms": bare, "queries": queries})
    return rows
