from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.organisations.models import Role
from apps.plans.opp import services as opp
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, SchoolFactory, staff, years_ago


@pytest.fixture(autouse=True)
def _skip_two_factor(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def client_for(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client_for


@pytest.fixture
def family(db):
    """A pupil of 13 with an own account, two parents with confirmed gezag, a father without gezag, the IB'er."""
    from tests.factories import UserFactory

    school = SchoolFactory()
    group = GroupFactory(school=school)
    child = ChildFactory(group=group, date_of_birth=years_ago(13, days=20), user=UserFactory(), first_name="Noor")
    mother = GuardianshipFactory(child=child, relation="mother").user
    other = GuardianshipFactory(child=child, relation="guardian").user
    father = GuardianshipFactory(child=child, relation="father", has_authority=False).user
    ib = staff(Role.IB, school=school)
    teacher = staff(Role.TEACHER, school=school, groups=[group])
    for user in (mother, other, father, ib, teacher, child.user):
        user.is_demo = True  # no two-factor enrolment in these page tests (DEMO_SKIP_TWO_FACTOR)
        user.save(update_fields=["is_demo"])
    return {
        "school": school,
        "child": child,
        "mother": mother,
        "other": other,
        "father": father,
        "ib": ib,
        "teacher": teacher,
        "pupil": child.user,
    }


def act(user, channel="web"):
    from apps.accounts.models import User

    return Actor(user=User.objects.get(pk=user.pk), channel=channel)


def load(child):
    from apps.access.shortcuts import load_child

    return load_child(child.pk)


@pytest.fixture
def drafted(family):
    """An OPP with two support lines, laid before the parents as version 1."""
    child = load(family["child"])
    o = opp.start_opp(act(family["ib"]), child, needed_since=timezone.localdate() - timedelta(days=10))
    o.child = child
    for what in ("Twee keer per week RT lezen", "Wekelijks gesprek met de mentor"):
        opp.add_support_line(
            act(family["ib"]), o, what=what, who="RT'er", how_often="2x per week", starts_on=timezone.localdate()
        )
    version = opp.propose_version(act(family["ib"]), o)
    return o, version
