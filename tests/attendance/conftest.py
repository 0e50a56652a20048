from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, staff

# A Tuesday in term time, before school starts.
MORNING = timezone.make_aware(datetime(2026, 10, 6, 7, 45))


@pytest.fixture
def morning():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def school(db):
    return SchoolFactory(name="De Linde", brin="12AB")


@pytest.fixture
def group(school):
    return GroupFactory(school=school, name="Groep 6")


@pytest.fixture
def child(group):
    return ChildFactory(group=group, school=group.school, first_name="Noor")


@pytest.fixture
def parent(child):
    return GuardianshipFactory(child=child).user


@pytest.fixture
def teacher(group):
    return staff(Role.TEACHER, school=group.school, groups=[group])


@pytest.fixture
def ib(school):
    return staff(Role.IB, school=school, user=UserFactory(full_name="Ine de IB"))


@pytest.fixture
def stranger(db):
    return GuardianshipFactory().user


@pytest.fixture
def login(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def as_user(user):
        user.is_demo = True
        user.save(update_fields=["is_demo"])
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def api(settings):
    from rest_framework.test import APIClient

    settings.DEMO_SKIP_TWO_FACTOR = True

    def client_for(user):
        user.is_demo = True
        user.save(update_fields=["is_demo"])
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client_for
