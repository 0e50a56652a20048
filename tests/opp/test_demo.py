"""`make run` shows the OPP and the groeidocument: Emma Yilmaz's OPP with perspective and support lines,
version 1 consented by Elif and awaited from Can, the family's own plan, and a groeidocument in draft."""

import pytest

from apps.plans import demo
from apps.plans.groei_models import FamilyGoal, Groeidocument
from apps.plans.opp_models import HandelingsdeelVersion, Opp

pytestmark = pytest.mark.django_db


def _build():
    from apps.demo.school import build

    build()
    demo.load()
    demo.load()  # idempotent


def test_the_demo_has_an_opp_awaiting_one_parent_and_a_groeidocument_in_draft():
    _build()
    opp = Opp.objects.get()
    assert (opp.child.first_name, opp.child.last_name) == ("Emma", "Yilmaz")
    assert opp.outflow_destination and opp.pupil_view and opp.support_lines.count() == 2
    version = HandelingsdeelVersion.objects.get()
    assert version.established_at is None
    assert [a.user.email.split("@")[0] for a in version.answers.all()] == ["ouder.yilmaz"]
    doc = Groeidocument.objects.get()
    assert doc.child_id == opp.child_id and doc.closed_at is None and doc.parents_view == ""
    assert FamilyGoal.objects.filter(child=opp.child).count() == 2
    assert opp.child.goals.filter(family_goal__isnull=False).exists()


def test_the_demo_log_ins_work_and_show_the_opp_and_the_groeidocument(client, settings):
    from apps.demo.school import DEMO_PASSWORD, DOMAIN

    settings.DEMO_SKIP_TWO_FACTOR = True
    _build()
    child = Opp.objects.get().child
    doc = Groeidocument.objects.get()
    for local, expected in (
        ("ib", "Het deel van de school bewerken"),
        ("ouder.yilmaz2", "Ons deel opslaan"),
    ):
        client.logout()
        response = client.post("/accounts/login/", {"login": f"{local}@{DOMAIN}", "password": DEMO_PASSWORD})
        assert response.status_code == 302, local
        assert expected in client.get(f"/plan/groeidocument/{doc.pk}/").content.decode()
    opp_page = client.get(f"/plan/kind/{child.pk}/opp/").content.decode()
    assert "Ik stem in met dit handelingsdeel" in opp_page  # Can has not answered yet
    plan = client.get(f"/plan/kind/{child.pk}/").content.decode()
    assert "Eén gezin, één plan" in plan and "Rustige ochtenden" in plan
