"""Changing an agreement's text, owner and date: same rules as adding, stale edits, history, API, htmx."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.access.policy import AccessDenied
from apps.audit.models import AccessLogEntry
from apps.notifications.models import Notification
from apps.plans.models import Agreement, AgreementStatus, PlanChange
from apps.plans.services import StaleEdit, add_agreement, change_agreement

from .conftest import web

pytestmark = pytest.mark.django_db


def soon(days=7):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def agreement(circle):
    return add_agreement(web(circle.ib), circle.child, what="Elke avond lezen", owner=circle.mother, due=soon())


@pytest.fixture
def logged_in(client, settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def api(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    def client_for(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client_for


# --- service -----------------------------------------------------------------------------------


def test_change_text_owner_and_date_records_history_and_tells_new_owner(circle, agreement):
    a = change_agreement(
        web(circle.ib),
        agreement,
        what="Elke avond 15 minuten lezen",
        owner=circle.teacher,
        due=soon(14),
        expected_version=1,
    )
    assert (a.what, a.owner, a.due, a.version) == ("Elke avond 15 minuten lezen", circle.teacher, soon(14), 2)
    change = PlanChange.objects.get(kind=PlanChange.Kind.AGREEMENT_CHANGED)
    assert change.by == circle.ib and change.agreement_id == a.pk
    assert "15 minuten" in change.summary and circle.teacher.full_name in change.summary
    assert soon(14).strftime("%d-%m-%Y") in change.summary
    assert Notification.objects.filter(user=circle.teacher, key=f"agreement-owner:{a.pk}:2").exists()
    assert AccessLogEntry.objects.filter(actor_id=circle.ib.pk, action="change", allowed=True).exists()


def test_unchanged_form_writes_nothing(circle, agreement):
    a = change_agreement(
        web(circle.ib), agreement, what=agreement.what, owner=circle.mother, due=agreement.due, expected_version=1
    )
    assert a.version == 1 and not PlanChange.objects.filter(kind=PlanChange.Kind.AGREEMENT_CHANGED).exists()


def test_same_rules_as_adding_owner_in_circle_and_no_past_date(circle, agreement):
    with pytest.raises(ValidationError) as err:
        change_agreement(
            web(circle.ib),
            agreement,
            what="  ",
            owner=circle.outsider,
            due=timezone.localdate() - timedelta(days=1),
            expected_version=1,
        )
    messages = err.value.message_dict
    assert "hoort niet bij de kring" in messages["owner"][0] and "what" in messages
    with pytest.raises(ValidationError) as err:
        change_agreement(
            web(circle.ib),
            agreement,
            what="x",
            owner=circle.mother,
            due=timezone.localdate() - timedelta(days=1),
            expected_version=1,
        )
    assert "verleden" in err.value.message_dict["due"][0]
    agreement.refresh_from_db()
    assert agreement.what == "Elke avond lezen" and agreement.version == 1


def test_an_overdue_date_that_is_not_changed_may_stay(circle, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(due=timezone.localdate() - timedelta(days=3))
    agreement.refresh_from_db()
    a = change_agreement(
        web(circle.ib),
        agreement,
        what="Lezen (typfout hersteld)",
        owner=circle.mother,
        due=agreement.due,
        expected_version=1,
    )
    assert a.version == 2 and a.what == "Lezen (typfout hersteld)"


def test_stale_edit_raises_and_keeps_the_other_change(circle, agreement):
    change_agreement(web(circle.ib), agreement, what="Versie IB", owner=circle.mother, due=soon(), expected_version=1)
    stale = Agreement.objects.get(pk=agreement.pk)
    with pytest.raises(StaleEdit) as err:
        change_agreement(
            web(circle.worker), stale, what="Versie CJG", owner=circle.mother, due=soon(), expected_version=1
        )
    assert err.value.current.what == "Versie IB" and err.value.current.version == 2
    assert Agreement.objects.get(pk=agreement.pk).what == "Versie IB"


@pytest.mark.parametrize("who", ["father", "worker_no_consent", "outsider"])
def test_people_who_may_not_change_the_plan_are_refused_and_logged(circle, agreement, who):
    user = getattr(circle, who)
    with pytest.raises(AccessDenied):
        change_agreement(web(user), agreement, what="x", owner=circle.mother, due=soon(), expected_version=1)
    assert AccessLogEntry.objects.filter(actor_id=user.pk, action="change", allowed=False).exists()
    assert Agreement.objects.get(pk=agreement.pk).what == "Elke avond lezen"


# --- web ---------------------------------------------------------------------------------------


def edit_url(a):
    return reverse("plans:agreement_edit", args=[a.pk])


def test_edit_page_changes_agreement_and_shows_in_changes_since_last_visit(circle, agreement, logged_in):
    logged_in(circle.mother).get(reverse("plans:child", args=[circle.child.pk]))  # mother's visit
    client = logged_in(circle.ib)
    page = client.get(edit_url(agreement)).content.decode()
    assert "Elke avond lezen" in page and 'name="version"' in page
    response = client.post(
        edit_url(agreement),
        {"what": "Samen lezen", "owner": circle.father.pk, "due": soon(10).isoformat(), "version": 1},
    )
    assert response.status_code == 302
    html = logged_in(circle.mother).get(reverse("plans:child", args=[circle.child.pk])).content.decode()
    assert "Wat is er veranderd sinds je laatste bezoek?" in html
    assert "Afspraak gewijzigd: Samen lezen" in html


def test_edit_page_stale_shows_current_and_keeps_typed_text(circle, agreement, logged_in):
    change_agreement(
        web(circle.worker), agreement, what="Versie CJG", owner=circle.mother, due=soon(), expected_version=1
    )
    response = logged_in(circle.ib).post(
        edit_url(agreement),
        {"what": "Mijn getypte tekst", "owner": circle.mother.pk, "due": soon().isoformat(), "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd" in html and "Versie CJG" in html and "Mijn getypte tekst" in html
    assert 'name="version" value="2"' in html
    assert Agreement.objects.get(pk=agreement.pk).what == "Versie CJG"


def test_edit_page_past_date_gives_dutch_error_and_keeps_text(circle, agreement, logged_in):
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = logged_in(circle.ib).post(
        edit_url(agreement), {"what": "Nieuwe tekst", "owner": circle.mother.pk, "due": past, "version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "in het verleden" in html and "Nieuwe tekst" in html
    assert Agreement.objects.get(pk=agreement.pk).version == 1


def test_edit_page_refused_for_guardian_without_authority_and_logged(circle, agreement, logged_in):
    client = logged_in(circle.father)
    assert client.get(edit_url(agreement)).status_code == 403
    response = client.post(
        edit_url(agreement), {"what": "x", "owner": circle.mother.pk, "due": soon().isoformat(), "version": 1}
    )
    assert response.status_code == 403
    invalid = client.post(edit_url(agreement), {"what": "", "version": 1})  # an invalid form is refused too
    assert invalid.status_code == 403 and circle.ib.full_name not in invalid.content.decode()
    assert AccessLogEntry.objects.filter(actor_id=circle.father.pk, allowed=False, action="change").count() == 3
    assert (
        "Wat, wie of datum wijzigen" not in client.get(reverse("plans:child", args=[circle.child.pk])).content.decode()
    )


def test_status_with_htmx_returns_only_the_row(circle, agreement, logged_in):
    client = logged_in(circle.mother)
    response = client.post(
        reverse("plans:agreement_status", args=[agreement.pk]),
        {"status": "done", "reason": "", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="afspraak-{agreement.pk}"') and "<html" not in html
    assert "De status van de afspraak is bijgewerkt." in html and 'value="2"' in html
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DONE
    stale = client.post(
        reverse("plans:agreement_status", args=[agreement.pk]),
        {"status": "not_done", "version": 1},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "intussen gewijzigd" in stale and 'value="2"' in stale
    dropped = client.post(
        reverse("plans:agreement_status", args=[agreement.pk]),
        {"status": "dropped", "reason": "", "version": 2},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Schrijf op waarom" in dropped
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DONE


def test_plan_page_status_form_works_with_and_without_javascript(circle, agreement, logged_in):
    html = logged_in(circle.mother).get(reverse("plans:child", args=[circle.child.pk])).content.decode()
    action = reverse("plans:agreement_status", args=[agreement.pk])
    assert f'action="{action}"' in html and f'hx-post="{action}"' in html
    assert f'hx-target="#afspraak-{agreement.pk}"' in html


# --- API ---------------------------------------------------------------------------------------


def agreement_api(circle, a):
    return f"/api/v1/children/{circle.child.pk}/plan/agreements/{a.pk}/"


def test_api_patch_changes_fields_and_gives_409_when_stale(circle, agreement, api):
    client = api(circle.ib)
    ok = client.patch(
        agreement_api(circle, agreement),
        {"what": "Samen lezen", "owner_id": circle.father.pk, "version": 1},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["what"] == "Samen lezen" and body["owner_id"] == circle.father.pk and body["version"] == 2
    assert body["due"] == agreement.due.isoformat()  # left out: kept
    stale = client.patch(agreement_api(circle, agreement), {"what": "Oud", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["what"] == "Samen lezen"


def test_api_patch_text_and_status_together(circle, agreement, api):
    r = api(circle.ib).patch(
        agreement_api(circle, agreement), {"what": "Lezen met papa", "status": "done", "version": 1}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["version"] == 3
    dropped = api(circle.ib).patch(
        agreement_api(circle, agreement), {"what": "Ander", "status": "dropped", "version": 3}, format="json"
    )
    assert dropped.status_code == 400 and Agreement.objects.get(pk=agreement.pk).what == "Lezen met papa"


def test_api_patch_validation_in_dutch(circle, agreement, api):
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    r = api(circle.ib).patch(agreement_api(circle, agreement), {"due": past, "version": 1}, format="json")
    assert r.status_code == 400 and "verleden" in r.content.decode()
    r = api(circle.ib).patch(
        agreement_api(circle, agreement), {"owner_id": circle.outsider.pk, "version": 1}, format="json"
    )
    assert r.status_code == 400 and "kring" in r.content.decode()
    r = api(circle.ib).patch(agreement_api(circle, agreement), {"version": 1}, format="json")
    assert r.status_code == 400


def test_api_patch_refused_for_worker_without_consent_and_logged(circle, agreement, api):
    r = api(circle.worker_no_consent).patch(
        agreement_api(circle, agreement), {"owner_id": 999999, "version": 1}, format="json"
    )
    assert r.status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=circle.worker_no_consent.pk, allowed=False, channel="api").exists()


def test_schema_documents_the_agreement_patch(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    patch = schema["paths"]["/api/v1/children/{child_id}/plan/agreements/{agreement_id}/"]["patch"]
    assert "409" in patch["responses"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert {"what", "owner_id", "due", "status", "version"} <= set(props)
