import pytest

from apps.helpguide.models import HelpGuide, Step, Topic
from apps.organisations.models import Role
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff


@pytest.fixture
def school(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school)
    mother = GuardianshipFactory(child=child, user=UserFactory(full_name="Sanne Peters")).user
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True, full_name="Marieke Jansen"))
    director = staff(Role.DIRECTOR, school=child.school, user=UserFactory(is_demo=True, full_name="Ellen Bakker"))
    teacher = staff(
        Role.TEACHER, school=child.school, groups=[group], user=UserFactory(is_demo=True, full_name="Ingrid Smit")
    )
    guide = HelpGuide.objects.create(school=child.school, intro="Welkom")
    Step.objects.create(
        guide=guide,
        order=1,
        title="Praat met de leerkracht",
        role="leerkracht",
        person_name="Ingrid Smit",
        how_to_reach="Na schooltijd op het plein",
        when_reachable="ma-vr 14:30-15:30",
        what_next="De leerkracht denkt met u mee.",
        child_title="Vertel het je juf",
        child_text="Je juf luistert naar je.",
    )
    Step.objects.create(guide=guide, order=2, title="De IB'er", role="IB'er", person_name="Marieke Jansen")
    learning = Topic.objects.create(guide=guide, name="Leren", handler=teacher, order=1)
    home = Topic.objects.create(guide=guide, name="Thuis", order=2)  # no handler: the IB'er
    return {
        "school": child.school,
        "child": child,
        "mother": mother,
        "ib": ib,
        "director": director,
        "teacher": teacher,
        "guide": guide,
        "learning": learning,
        "home": home,
        "group": group,
    }
