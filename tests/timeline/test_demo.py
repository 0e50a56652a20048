"""Demo timelines and plans load once and respect the consent rules like real data."""

import pytest

from apps.access.policy import AccessDenied
from apps.audit.log import Actor
from apps.circles.models import Child
from apps.demo import school
from apps.plans import demo as plan_demo
from apps.plans.models import Agreement
from apps.plans.services import read_plan
from apps.timeline import demo as timeline_demo
from apps.timeline.models import TimelineEntry
from apps.timeline.services import read_timeline

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_follows_consent():
    school.build()
    assert timeline_demo.load() > 20 and plan_demo.load() >= 10
    entries, agreements = TimelineEntry.objects.count(), Agreement.objects.count()
    assert timeline_demo.load() == 0 and plan_demo.load() == 0
    assert (TimelineEntry.objects.count(), Agreement.objects.count()) == (entries, agreements)
    lotte = Child.objects.get(first_name="Lotte", last_name="de Boer")
    cjg = lotte.assignments.get().worker  # in the circle through the consent to the CJG
    seen = [e for g in read_timeline(Actor(cjg, "web"), lotte).groups for e in g.entries]
    assert seen and all(e.category in ("basic", "support") for e in seen)
    assert TimelineEntry.objects.filter(child=lotte, category="health").exists()
    father = lotte.guardianships.get(has_authority=False).user
    with pytest.raises(AccessDenied):  # without gezag: nothing automatically (BW 1:377c)
        read_plan(Actor(father, "web"), lotte)
    mother = lotte.guardianships.get(has_authority=True).user
    assert read_plan(Actor(mother, "web"), lotte).agreements
