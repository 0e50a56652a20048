"""The groeidocument: school and parents fill it in together, the MDO, its agreements in the plan, closing,
the export with the family's consent; refusals logged; pages and API."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.plans.groei import services as groei
from apps.plans.groei_models import ExportConsent, Groeidocument
from apps.plans.models import Agreement, Goal
from tests.factories import CareOrganisationFactory, reauthenticated
from tests.opp.conftest import act, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(family):
    child = load(family["child"])
    d = groei.start(act(family["ib"]), child, request_kind="arrangement")
    d.child = child
    return d


def _reload(d):
    fresh = Groeidocument.objects.get(pk=d.pk)
    fresh.child = d.child
    return fresh


def test_school_and_parents_each_write_their_own_part(family, doc):
    groei.save_school_part(act(family["ib"]), doc, school_question="Hoe helpen we Noor bij rekenen?", needs="Rust")
    groei.save_parents_part(act(family["mother"]), doc, parents_view="Thuis is ze moe.", parents_question="Meer rust?")
    d = _reload(doc)
    assert d.school_question.startswith("Hoe helpen") and d.parents_view == "Thuis is ze moe."
    assert d.parents_by_id == family["mother"].pk and d.school_by_id == family["ib"].pk


def test_the_school_cannot_write_the_parents_part_and_the_refusal_is_logged(family, doc):
    with pytest.raises(PermissionDenied):
        groei.save_parents_part(act(family["ib"]), doc, parents_view="Door de school geschreven")
    assert _reload(doc).parents_view == ""
    entry = AccessLogEntry.objects.filter(actor_id=family["ib"].pk, allowed=False).latest("pk")
    assert "Alleen de ouders" in entry.basis


def test_a_parent_cannot_write_the_school_part(family, doc):
    with pytest.raises(PermissionDenied):
        groei.save_school_part(act(family["mother"]), doc, school_question="x")
    assert AccessLogEntry.objects.filter(actor_id=family["mother"].pk, allowed=False).exists()


def test_only_one_open_groeidocument(family, doc):
    with pytest.raises(ValidationError, match="al een open groeidocument"):
        groei.start(act(family["ib"]), doc.child)


def test_the_mdo_is_a_date_with_participants_or_a_conversation(family, doc):
    with pytest.raises(ValidationError) as e:
        groei.plan_mdo(act(family["ib"]), doc, mdo_on=timezone.localdate())
    assert "participants" in e.value.message_dict
    with pytest.raises(ValidationError):
        groei.plan_mdo(act(family["ib"]), doc)
    groei.plan_mdo(act(family["ib"]), doc, mdo_on=timezone.localdate(), participants="IB'er, ouders, orthopedagoog")
    assert _reload(doc).mdo_participants == "IB'er, ouders, orthopedagoog"


def test_mdo_agreements_become_plan_agreements(family, doc):
    due = timezone.localdate() + timedelta(days=14)
    a = groei.add_mdo_agreement(act(family["ib"]), doc, what="Observatie in de klas", owner=family["mother"], due=due)
    assert Agreement.objects.get(pk=a.pk).groeidocument_id == doc.pk
    groei.save_report(act(family["ib"]), doc, report="We spraken een observatie af.")
    view = groei.read(act(family["mother"]), _reload(doc))
    assert [x.what for x in view.agreements] == ["Observatie in de klas"]


def test_a_closed_groeidocument_is_read_only_and_never_exported(family, doc):
    groei.close(act(family["ib"]), doc, reason="Doelen bereikt")
    d = _reload(doc)
    for call in (
        lambda: groei.save_parents_part(act(family["mother"]), d, parents_view="Nog iets"),
        lambda: groei.save_school_part(act(family["ib"]), d, school_question="x"),
        lambda: groei.give_export_consent(act(family["mother"]), d, categories=["support"]),
        lambda: groei.export(act(family["ib"]), d),
    ):
        with pytest.raises(ValidationError):
            call()
    assert _reload(doc).parents_view == ""
    # a new one may start; the old agreements stay behind in its export
    assert groei.start(act(family["ib"]), doc.child).pk != doc.pk


def test_closing_needs_a_reason(family, doc):
    with pytest.raises(ValidationError):
        groei.close(act(family["ib"]), doc, reason="  ")
    assert _reload(doc).closed_at is None


def _consent_all(family, d, categories):
    for parent in ("mother", "other"):
        groei.give_export_consent(act(family[parent]), d, categories=categories)


def test_export_waits_for_every_gezag_parent_naming_who_is_missing(family, doc):
    groei.give_export_consent(act(family["mother"]), doc, categories=["support"])
    with pytest.raises(ValidationError) as e:
        groei.export(act(family["ib"]), doc)
    assert family["other"].full_name in e.value.messages[0]


def test_a_parent_without_gezag_cannot_choose_what_goes(family, doc):
    with pytest.raises(PermissionDenied):
        groei.give_export_consent(act(family["father"]), doc, categories=["support"])
    assert not ExportConsent.objects.exists()
    assert AccessLogEntry.objects.filter(actor_id=family["father"].pk, allowed=False, action="sign").exists()


def test_the_export_holds_only_what_the_family_allowed_and_no_youth_care_without_consent(family, doc):
    child = doc.child
    today = timezone.localdate()
    Goal.objects.create(child=child, text="Schooldoel", evaluate_on=today, created_by=family["ib"])
    care = CareOrganisationFactory()
    Goal.objects.create(
        child=child, text="Jeugdhulpdoel", evaluate_on=today, created_by=family["ib"], owner_organisation=care
    )
    groei.save_parents_part(act(family["mother"]), doc, parents_question="Kan Noor extra hulp krijgen?")
    _consent_all(family, doc, ["support", "health"])
    groei.give_export_consent(act(family["other"]), doc, categories=["support"])  # the newest answer counts
    data = groei.export(act(family["ib"]), doc)
    assert data["consent"]["categories"] == ["support"]
    assert [g["text"] for g in data["support"]["goals"]] == ["Schooldoel"]
    assert data["left_out_without_consent"] == 1 and "health" not in data
    assert data["parents_part"]["parents_question"] == "Kan Noor extra hulp krijgen?"
    assert AccessLogEntry.objects.filter(actor_id=family["ib"].pk, action="export", allowed=True).exists()


def test_without_support_consent_the_plan_stays_behind(family, doc):
    _consent_all(family, doc, [])
    data = groei.export(act(family["ib"]), doc)
    assert "support" not in data and data["school_part"]["school_question"] == ""


def test_agreements_of_a_closed_groeidocument_do_not_follow_the_child(family, doc):
    due = timezone.localdate() + timedelta(days=7)
    groei.add_mdo_agreement(act(family["ib"]), doc, what="Oude afspraak", owner=family["mother"], due=due)
    groei.close(act(family["ib"]), doc, reason="Klaar")
    new = groei.start(act(family["ib"]), doc.child)
    new.child = doc.child
    _consent_all(family, new, ["support"])
    data = groei.export(act(family["ib"]), new)
    assert "Oude afspraak" not in json.dumps(data)


def test_a_teacher_and_a_parent_cannot_export_and_the_refusal_is_logged(family, doc):
    _consent_all(family, doc, ["support"])
    for who in ("teacher", "mother"):
        with pytest.raises(PermissionDenied):
            groei.export(act(family[who]), doc)
        assert AccessLogEntry.objects.filter(actor_id=family[who].pk, action="export", allowed=False).exists()


# --- pages -------------------------------------------------------------------------------------------


def test_pages_parents_fill_in_their_part_and_the_ib_exports(client, family, doc):
    url = f"/plan/groeidocument/{doc.pk}/"
    client.force_login(family["mother"])
    page = client.get(url).content.decode()
    assert "Ons deel opslaan" in page and "Het deel van de school bewerken" not in page
    r = client.post(url, {"form": "parents", "parents_view": "", "parents_question": ""})
    assert r.status_code == 400 and "Schrijf op hoe u het ziet" in r.content.decode()
    r = client.post(url, {"form": "parents", "parents_view": "Thuis gaat het goed.", "parents_question": "Hulp?"})
    assert r.status_code == 302
    client.post(url, {"form": "consent", "categories": ["support"]})
    client.force_login(family["other"])
    client.post(url, {"form": "consent", "categories": ["support", "health"]})
    client.force_login(family["ib"])
    page = client.get(url).content.decode()
    assert "Thuis gaat het goed." in page and "Ons deel opslaan" not in page and "Aanvraag als PDF" in page
    reauthenticated(client)
    r = client.get(f"/plan/groeidocument/{doc.pk}/json/")
    assert r.status_code == 200 and json.loads(r.content)["parents_part"]["parents_view"] == "Thuis gaat het goed."
    r = client.get(f"/plan/groeidocument/{doc.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_page_the_school_posting_the_parents_part_is_refused(client, family, doc):
    client.force_login(family["ib"])
    r = client.post(f"/plan/groeidocument/{doc.pk}/", {"form": "parents", "parents_view": "Door de IB'er"})
    assert r.status_code == 403 and _reload(doc).parents_view == ""


def test_page_export_without_consent_says_who_is_missing(client, family, doc):
    client.force_login(family["ib"])
    reauthenticated(client)
    r = client.get(f"/plan/groeidocument/{doc.pk}/json/", follow=True)
    assert "Nog niet alle ouders met gezag" in r.content.decode()


def test_page_closing_asks_for_confirmation(client, family, doc):
    client.force_login(family["ib"])
    r = client.post(f"/plan/groeidocument/{doc.pk}/", {"form": "close", "reason": "Doelen bereikt"})
    assert r.status_code == 400 and _reload(doc).closed_at is None
    r = client.post(f"/plan/groeidocument/{doc.pk}/", {"form": "close", "reason": "Doelen bereikt", "sure": "on"})
    assert r.status_code == 302 and _reload(doc).closed_at is not None
    page = client.get(f"/plan/groeidocument/{doc.pk}/").content.decode()
    assert "Ons deel opslaan" not in page and "Gesloten op" in page


def test_page_start_and_list(client, family):
    client.force_login(family["ib"])
    child = family["child"]
    r = client.post(f"/plan/kind/{child.pk}/groeidocument/", {"request_kind": "tlv"})
    assert r.status_code == 302
    assert Groeidocument.objects.get(child=child).request_kind == "tlv"
    assert "Het groeidocument openen" in client.get(f"/plan/kind/{child.pk}/groeidocument/").content.decode()


def test_a_stranger_is_refused_and_logged(client, family, doc):
    from apps.organisations.models import Role
    from tests.factories import SchoolFactory, staff

    stranger = staff(Role.IB, school=SchoolFactory())
    stranger.is_demo = True
    stranger.save(update_fields=["is_demo"])
    client.force_login(stranger)
    for url in (f"/plan/groeidocument/{doc.pk}/", f"/plan/kind/{family['child'].pk}/groeidocument/"):
        assert client.get(url).status_code in (403, 404)
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False).exists()


# --- API ---------------------------------------------------------------------------------------------


def test_api_the_same_rules(api, family, doc):
    base = f"/api/v1/groeidocumenten/{doc.pk}/"
    r = api(family["ib"]).post(base + "parents/", {"parents_view": "x"}, format="json")
    assert r.status_code == 403
    r = api(family["mother"]).post(base + "parents/", {"parents_view": "Ons verhaal"}, format="json")
    assert r.status_code == 200 and r.json()["parents_view"] == "Ons verhaal"
    assert api(family["ib"]).get(base + "export/").status_code == 400
    for parent in ("mother", "other"):
        r = api(family[parent]).post(base + "export-consent/", {"categories": ["support"]}, format="json")
        assert r.status_code == 201
    r = api(family["ib"]).get(base + "export/")
    assert r.status_code == 200 and r.json()["parents_part"]["parents_view"] == "Ons verhaal"
    assert api(family["teacher"]).get(base + "export/").status_code == 403
    r = api(family["mother"]).get(base)
    assert r.status_code == 200 and r.json()["export_ready"] is True
    r = api(family["ib"]).get(f"/api/v1/children/{family['child'].pk}/plan/groeidocumenten/")
    assert [d["id"] for d in r.json()] == [doc.pk]
    r = api(family["ib"]).post(f"/api/v1/children/{family['child'].pk}/plan/groeidocumenten/", {}, format="json")
    assert r.status_code == 400 and "al een open groeidocument" in r.json()["detail"][0]


def test_the_groeidocument_and_the_family_plan_are_in_the_schema(api, family):
    schema = api(family["ib"]).get("/api/schema/").content.decode()
    for route in (
        "/plan/groeidocumenten/",
        "/groeidocumenten/{doc_id}/parents/",
        "/groeidocumenten/{doc_id}/export-consent/",
        "/groeidocumenten/{doc_id}/export/",
        "/plan/family-goals/{goal_id}/",
    ):
        assert route in schema
