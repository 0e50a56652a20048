"""The plan page: everyone with access sees the same plan; bad input keeps what was typed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.plans.models import Agreement, AgreementStatus
from apps.plans.services import add_agreement
from tests.factories import reauthenticated

from .conftest import web

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def login(user):
        client.force_login(user)
        return client

    return login


def url(circle):
    return reverse("plans:child", args=[circle.child.pk])


def test_ib_adds_agreement_for_guardian_who_marks_it_done(circle, logged_in):
    client = logged_in(circle.ib)
    client.get(url(circle))  # first visit
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        url(circle),
        {
            "form": "agreement",
            "afspraak-what": "Elke dag lezen",
            "afspraak-owner": circle.mother.pk,
            "afspraak-due": due,
        },
    )
    assert response.status_code == 302
    a = Agreement.objects.get()
    assert a.owner == circle.mother
    client = logged_in(circle.mother)
    html = client.get(url(circle)).content.decode()
    assert "Elke dag lezen" in html
    response = client.post(
        reverse("plans:agreement_status", args=[a.pk]), {"status": "done", "reason": "", "version": 1}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AgreementStatus.DONE
    html = logged_in(circle.ib).get(url(circle)).content.decode()
    assert "Wat is er veranderd sinds je laatste bezoek?" in html
    assert "open → gedaan" in html


def test_agreement_without_owner_and_in_past_shows_dutch_errors_and_keeps_text(circle, logged_in):
    client = logged_in(circle.ib)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url(circle), {"form": "agreement", "afspraak-what": "Mijn tekst", "afspraak-due": past})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies wie deze afspraak uitvoert." in html and "in het verleden" in html and "Mijn tekst" in html
    assert not Agreement.objects.exists()


def test_stale_status_change_gives_message_and_keeps_other_change(circle, logged_in):
    a = add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=timezone.localdate())
    client = logged_in(circle.mother)
    client.post(reverse("plans:agreement_status", args=[a.pk]), {"status": "done", "version": 1})
    response = client.post(
        reverse("plans:agreement_status", args=[a.pk]), {"status": "not_done", "version": 1}, follow=True
    )
    assert "intussen gewijzigd" in response.content.decode()
    a.refresh_from_db()
    assert a.status == AgreementStatus.DONE


def test_worker_without_consent_gets_403_logged(circle, logged_in):
    assert logged_in(circle.worker_no_consent).get(url(circle)).status_code == 403
    assert AccessLogEntry.objects.filter(
        actor_id=circle.worker_no_consent.pk, allowed=False, category="support"
    ).exists()


def test_script_in_agreement_is_escaped(circle, logged_in):
    add_agreement(
        web(circle.ib), circle.child, what="<b onmouseover=x>hoi</b>", owner=circle.mother, due=timezone.localdate()
    )
    html = logged_in(circle.mother).get(url(circle)).content.decode()
    assert "<b onmouseover" not in html and "&lt;b onmouseover" in html


def test_plan_page_query_count_is_constant(circle, logged_in, django_assert_max_num_queries):
    client = logged_in(circle.mother)
    due = timezone.localdate() + timedelta(days=3)
    for i in range(3):
        add_agreement(web(circle.ib), circle.child, what=f"a{i}", owner=circle.mother, due=due)
    client.get(url(circle))
    with CaptureQueriesContext(connection) as small:
        client.get(url(circle))
    Agreement.objects.bulk_create(
        Agreement(child=circle.child, what=f"b{i}", owner=circle.teacher, due=due, created_by=circle.ib)
        for i in range(100)
    )
    with django_assert_max_num_queries(len(small)):
        client.get(url(circle))


def test_child_page_links_follow_the_policy(circle, logged_in):
    from apps.plans.links import child_links as plan_links
    from apps.timeline.links import child_links as timeline_links

    html = logged_in(circle.mother).get(reverse("circles:detail", args=[circle.child.pk])).content.decode()
    assert reverse("plans:child", args=[circle.child.pk]) in html
    assert reverse("timeline:child", args=[circle.child.pk]) in html
    assert plan_links(circle.child, circle.worker_no_consent) == []
    assert timeline_links(circle.child, circle.worker_no_consent) == []
    assert plan_links(circle.child, circle.worker)  # support consent covers the plan


def test_closed_agreements_are_windowed(circle, logged_in):
    due = timezone.localdate()
    Agreement.objects.bulk_create(
        Agreement(
            child=circle.child, what=f"klaar {i}", owner=circle.mother, due=due, status="done", created_by=circle.ib
        )
        for i in range(25)
    )
    client = logged_in(circle.mother)
    html = client.get(url(circle)).content.decode()
    assert html.count('class="card agreement"') == 20 and "Toon nog 5 afgeronde afspraken" in html
    assert client.get(url(circle), {"alle": "1"}).content.decode().count('class="card agreement"') == 25


def test_goal_evaluation_and_stale_edit(circle, logged_in):
    from apps.plans.services import add_goal

    goal = add_goal(
        web(circle.ib),
        circle.child,
        text="Lezen AVI E5",
        child_words="Ik wil strips lezen",
        evaluate_on=timezone.localdate(),
    )
    client = logged_in(circle.ib)
    edit = reverse("plans:goal_edit", args=[goal.pk])
    assert "Ik wil strips lezen" in client.get(edit).content.decode()
    body = {
        "text": "Lezen AVI E5",
        "child_words": "Ik wil strips lezen",
        "evaluate_on": timezone.localdate().isoformat(),
    }
    assert client.post(edit, body | {"evaluation": "Gehaald!", "version": 1}).status_code == 302
    response = client.post(edit, body | {"evaluation": "Mijn oude tekst", "version": 1})
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "intussen gewijzigd" in html
        and "Mijn oude tekst" in html
        and "Gehaald!" in html
    )
    goal.refresh_from_db()
    assert goal.evaluation == "Gehaald!" and goal.version == 2
    assert logged_in(circle.worker_no_consent).get(edit).status_code == 403


def test_plan_pdf_is_an_export_under_the_policy(circle, logged_in):
    add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=timezone.localdate())
    response = reauthenticated(logged_in(circle.ib)).get(reverse("plans:pdf", args=[circle.child.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(actor_id=circle.ib.pk, action="export", allowed=True).exists()
    # Outside professionals may read the plan with consent, but not export it.
    worker = reauthenticated(logged_in(circle.worker))
    assert worker.get(reverse("plans:pdf", args=[circle.child.pk])).status_code == 403


def test_plan_and_timeline_pages_in_english(circle, logged_in):
    client = logged_in(circle.mother)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    add_agreement(web(circle.ib), circle.child, what="Lezen", owner=circle.mother, due=timezone.localdate())
    html = client.get(url(circle)).content.decode()
    assert "What do I want to learn?" in html or "Add agreement" in html
    assert "Plan of " in html and "Open agreements" in html
    timeline = client.get(reverse("timeline:child", args=[circle.child.pk])).content.decode()
    assert "Timeline of " in timeline and "Add something to the timeline" in timeline


def test_history_written_by_an_english_reader_is_stored_in_dutch(circle, logged_in):
    from apps.plans.models import PlanChange

    client = logged_in(circle.ib)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    due = timezone.localdate().isoformat()
    client.post(
        url(circle),
        {"form": "agreement", "afspraak-what": "Lezen", "afspraak-owner": circle.mother.pk, "afspraak-due": due},
    )
    assert PlanChange.objects.get().summary.startswith("Nieuwe afspraak: Lezen")


def test_my_agreements_lists_only_plans_i_may_still_see(circle, logged_in):
    from apps.consent import services as consent_services

    add_agreement(web(circle.ib), circle.child, what="Gezinsgesprek", owner=circle.worker, due=timezone.localdate())
    client = logged_in(circle.worker)
    home = client.get("/").content.decode()
    assert reverse("plans:mine") in home  # menu link for owners
    assert "Gezinsgesprek" in client.get(reverse("plans:mine")).content.decode()
    assert AccessLogEntry.objects.filter(actor_id=circle.worker.pk, category="support", action="view").exists()
    consent_services.revoke(circle.consent, circle.mother)
    assert "Gezinsgesprek" not in client.get(reverse("plans:mine")).content.decode()


def test_guardian_without_authority_cannot_post_even_an_empty_form(circle, logged_in):
    response = logged_in(circle.father).post(url(circle), {"form": "agreement"})
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.father.pk, allowed=False, action="create").exists()
