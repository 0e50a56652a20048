"""The OPP pages: who sees which form, the parents consent in the app, refusals are logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.plans.opp_models import HandelingsdeelVersion, Opp
from tests.factories import reauthenticated

pytestmark = pytest.mark.django_db


def url(child):
    return f"/plan/kind/{child.pk}/opp/"


def post(client, child, **data):
    return client.post(url(child), data)


def test_the_ib_drafts_and_the_parents_consent_in_the_app(client, family):
    child = family["child"]
    client.force_login(family["ib"])
    assert "OPP starten" in client.get(url(child)).content.decode()
    today = timezone.localdate()
    assert post(client, child, form="start", needed_since=(today - timedelta(days=3)).isoformat()).status_code == 302
    post(client, child, form="line", what="RT lezen", who="RT'er", how_often="2x per week", starts_on=today.isoformat())
    post(client, child, form="pupil_view", text="Ik lees liever alleen.")
    assert post(client, child, form="propose", note="").status_code == 302
    response = post(client, child, form="establish")
    assert response.status_code == 302
    page = client.get(url(child)).content.decode()
    assert "wacht op de instemming" in page and "Ik lees liever alleen." in page
    version = HandelingsdeelVersion.objects.get(opp__child=child)
    for parent in ("mother", "other"):
        client.force_login(family[parent])
        page = client.get(url(child)).content.decode()
        assert "Ik stem in met dit handelingsdeel" in page and ">Vaststellen<" not in page
        assert post(client, child, form="answer", version=version.pk, answer="consent").status_code == 302
    version.refresh_from_db()
    assert version.established_at is not None
    assert "Vastgesteld: versie 1" in client.get(f"/plan/kind/{child.pk}/").content.decode()


def test_a_decline_without_reason_is_explained(client, family, drafted):
    _o, version = drafted
    client.force_login(family["mother"])
    response = post(client, family["child"], form="answer", version=version.pk, answer="decline", reason="")
    assert response.status_code == 400
    assert "Schrijf op waarom u niet instemt" in response.content.decode()
    assert not version.answers.exists()


def test_setting_without_consent_names_who_is_missing(client, family, drafted):
    client.force_login(family["ib"])
    response = client.post(url(family["child"]), {"form": "establish"}, follow=True)
    text = response.content.decode()
    assert "ontbreekt nog" in text and (family["mother"].full_name or family["mother"].email) in text


def test_a_parent_without_gezag_is_told_why_not(client, family, drafted):
    """BW 1:377c: a parent without gezag gets information on request, not the OPP page; consenting is refused
    with the OPP's own explanation, and both refusals are logged."""
    _o, version = drafted
    client.force_login(family["father"])
    page = client.get(url(family["child"]))
    assert page.status_code == 403 and "zonder gezag" in page.content.decode()
    refused = post(client, family["child"], form="answer", version=version.pk, answer="consent")
    assert refused.status_code == 403 and "Alleen ouders met gezag stemmen in" in refused.content.decode()
    assert AccessLogEntry.objects.filter(actor_id=family["father"].pk, allowed=False, action="sign").exists()


def test_the_school_cannot_write_the_parents_view_through_the_page(client, family, drafted):
    client.force_login(family["ib"])
    assert post(client, family["child"], form="parents_view", text="door de school").status_code == 403
    assert Opp.objects.get(child=family["child"]).parents_view == ""


def test_someone_outside_the_circle_is_refused_and_logged(client, family, drafted):
    from apps.organisations.models import Role
    from tests.factories import SchoolFactory, staff

    stranger = staff(Role.IB, school=SchoolFactory())
    stranger.is_demo = True
    stranger.save()
    client.force_login(stranger)
    assert client.get(url(family["child"])).status_code == 403
    assert post(client, family["child"], form="propose", note="x").status_code == 403
    assert AccessLogEntry.objects.filter(actor_id=stranger.pk, allowed=False).count() >= 2


def test_the_plan_page_shows_where_parents_can_go(client, family):
    client.force_login(family["mother"])
    page = client.get(f"/plan/kind/{family['child'].pk}/").content.decode()
    assert "Geschillencommissie passend onderwijs" in page


def test_a_school_writes_its_own_dispute_text(client, family):
    from apps.plans.opp_models import DisputeText

    DisputeText.objects.create(school=family["school"], text="Bel eerst juf Anja.")
    client.force_login(family["mother"])
    assert "Bel eerst juf Anja." in client.get(f"/plan/kind/{family['child'].pk}/").content.decode()


def test_the_pdf_is_an_export_under_the_policy(client, family, drafted):
    client.force_login(family["mother"])
    reauthenticated(client)
    response = client.get(f"/plan/kind/{family['child'].pk}/opp/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(actor_id=family["mother"].pk, action="export", allowed=True).exists()
    client.force_login(family["teacher"])
    reauthenticated(client)
    assert client.get(f"/plan/kind/{family['child'].pk}/opp/pdf/").status_code == 403


def test_the_ib_writes_the_schools_dispute_text_and_others_cannot(client, family):
    url = f"/plan/school/{family['school'].pk}/onenigheid/"
    client.force_login(family["ib"])
    assert "Geschillencommissie passend onderwijs" in client.get(url).content.decode()  # the default, shown
    assert client.post(url, {"text": "Bel eerst juf Anja."}).status_code == 302
    client.force_login(family["mother"])
    assert "Bel eerst juf Anja." in client.get(f"/plan/kind/{family['child'].pk}/").content.decode()
    for who in ("mother", "teacher"):
        client.force_login(family[who])
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "anders"}).status_code == 404
    client.force_login(family["ib"])
    client.post(url, {"text": ""})  # empty: the default again
    client.force_login(family["mother"])
    assert "Geschillencommissie" in client.get(f"/plan/kind/{family['child'].pk}/").content.decode()
