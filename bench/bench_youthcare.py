"""A youth-care worker's home ("Mijn kinderen") beside the bare view (/healthz):

- with 30 and then BENCH_YOUTHCARE_CHILDREN (300) children in their circles, over 40 schools, half through a
  consent to them by name and half through a consent to their organisation plus an assignment: the query
  count stays the same (the policy fetches the worker's valid consents once per request).
"""

import os
from datetime import date


def build_caseload(worker, organisation, children: int, schools: int, offset: int = 0) -> None:
    """`children` children over `schools` schools, each with a confirmed mother who signed a valid consent
    that brings the worker into the circle (by name for even, through an assignment for odd children)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.circles.models import Child, Guardianship
    from apps.consent.models import Consent, ConsentScope, ConsentSignature
    from apps.organisations.models import Group, School
    from apps.referrals.models import Assignment

    now = timezone.now()
    pw = make_password("bench-wachtwoord-1")
    places = []
    for s in range(schools):
        school, _ = School.objects.get_or_create(name=f"Bench jeugdhulp school {s}")
        group, _ = Group.objects.get_or_create(school=school, name=f"JH {s}", year_level=5, school_year="2026-2027")
        places.append((school, group))
    kids = Child.objects.bulk_create(
        Child(
            first_name=f"Kind{offset + i}",
            last_name=f"Jeugd{offset + i:04d}",
            date_of_birth=date(2017, 3, 1),
            school=places[i % schools][0],
            group=places[i % schools][1],
        )
        for i in range(children)
    )
    mothers = User.objects.bulk_create(
        User(email=f"moeder{offset + i}@bench-jh.test", full_name=f"Moeder {offset + i}", password=pw)
        for i in range(children)
    )
    Guardianship.objects.bulk_create(
        Guardianship(
            child=c,
            user=m,
            relation=Guardianship.Relation.MOTHER,
            has_authority=True,
            authority_status=Guardianship.Authority.CONFIRMED,
            authority_confirmed_at=now,
        )
        for c, m in zip(kids, mothers, strict=True)
    )
    consents = Consent.objects.bulk_create(
        Consent(
            child=c,
            organisation=organisation,
            grantee=worker if i % 2 == 0 else None,
            purpose="Ondersteuning",
            created_by=m,
            completed_at=now,
        )
        for i, (c, m) in enumerate(zip(kids, mothers, strict=True))
    )
    ConsentScope.objects.bulk_create(ConsentScope(consent=c, category="support") for c in consents)
    ConsentSignature.objects.bulk_create(
        ConsentSignature(consent=c, signer=m, signed_as="guardian") for c, m in zip(consents, mothers, strict=True)
    )
    Assignment.objects.bulk_create(
        Assignment(child=c, organisation=organisation, worker=worker, assigned_by=worker)
        for i, c in enumerate(kids)
        if i % 2
    )


def make_worker():
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.organisations.models import CareOrganisation, Membership, Role

    organisation = CareOrganisation.objects.create(name="Bench Wijkteam", kind=CareOrganisation.Kind.WIJKTEAM)
    worker = User.objects.create(
        email="coach@bench-jh.test", full_name="Coach Bench", password=make_password("bench-wachtwoord-1"), is_demo=True
    )
    Membership.objects.create(user=worker, role=Role.YOUTH_WORKER, organisation=organisation)
    return worker, organisation


def run() -> list[dict]:
    from django.test import Client

    from bench.harness import bare_view_ms, measure

    big = int(os.environ.get("BENCH_YOUTHCARE_CHILDREN", "300"))
    worker, organisation = make_worker()
    client = Client()
    client.force_login(worker)
    baseline = bare_view_ms(client)
    rows = []
    done = 0
    for size in (30, big):
        build_caseload(worker, organisation, size - done, schools=40, offset=done)
        done = size
        ms, queries = measure(client, "/")
        rows.append(
            {
                "bench": "youthcare",
                "case": f"home of a youth-care worker, {size} children over 40 schools",
                "ms": ms,
                "baseline_ms": baseline,
                "queries": queries,
                "note": "consents fetched once per request; query count constant",
            }
        )
    return rows
