"""Someone on the staff of many schools (an IB'er of a whole region, issue 17) costs the same queries as someone at
one school: the consents to their schools are read in one query per request (`policy._school_consents_of`,
`consent.services.valid_school_consents_by_school`; docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.organisations.models import Membership, Role
from tests.factories import ChildFactory, GroupFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def _home_queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "pg_advisory_xact_lock" not in q["sql"]]), response.content.decode()


def test_ib_home_costs_the_same_for_one_school_and_for_four(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    schools = [SchoolFactory() for _ in range(4)]
    pupils = [ChildFactory(group=GroupFactory(school=s), school=s, last_name=f"Kind{n}") for n, s in enumerate(schools)]
    one = UserFactory(is_demo=True)
    Membership.objects.create(user=one, role=Role.IB, school=schools[0])
    many = UserFactory(is_demo=True)
    Membership.objects.bulk_create(Membership(user=many, role=Role.IB, school=s) for s in schools)
    few, page_of_one = _home_queries(client, one)
    lots, page_of_many = _home_queries(client, many)
    assert pupils[0].last_name in page_of_one and pupils[3].last_name not in page_of_one
    assert all(p.last_name in page_of_many for p in pupils)
    assert lots == few
