"""The foundation through the front door: web pages and the REST API, same policy, same log."""

import pytest
from rest_framework.authtoken.models import Token

from apps.audit.models import AccessLogEntry
from apps.circles.models import CircleMember, CoordinatorHandover
from apps.consent import services as consent_services
from apps.consent.models import Category, Consent
from apps.organisations.models import Role
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    UserFactory,
    circle_member,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    child = ChildFactory(group=group, school=group.school)
    mother = GuardianshipFactory(child=child).user
    father = GuardianshipFactory(child=child, relation="father").user
    cjg = CareOrganisationFactory(name="CJG Wegwijzer")
    worker = staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(is_demo=True, full_name="Maria de Vries"))
    circle_member(child, worker, organisation=cjg)
    ib = staff(Role.IB, school=child.school, user=UserFactory(is_demo=True))
    teacher = staff(Role.TEACHER, school=child.school, groups=[group], user=UserFactory(is_demo=True))
    return {"child": child, "mother": mother, "father": father, "cjg": cjg, "worker": worker, "ib": ib, "t": teacher}


def _give_consent(client, f, categories=("basic", "support")):
    client.force_login(f["mother"])
    url = f"/kinderen/{f['child'].pk}/toestemming/"
    response = client.post(url, {"organisation": f["cjg"].pk, "categories": list(categories), "starts_on": _today()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Consent.objects.filter(child=f["child"]).latest("pk")


def _today():
    from django.utils import timezone

    return timezone.localdate().isoformat()


# --- consent through the web --------------------------------------------------------------------------------------


def test_consent_is_given_signed_and_revoked_through_the_pages(client, family):
    f = family
    consent = _give_consent(client, f)
    page = client.get(f"/kinderen/{f['child'].pk}/toestemming/").content.decode()
    assert "CJG Wegwijzer" in page and "Wacht nog op" in page  # the father has not signed yet

    client.force_login(f["worker"])
    assert client.get(f"/kinderen/{f['child'].pk}/").status_code == 403  # not valid until both parents sign

    client.force_login(f["father"])
    assert client.post(f"/kinderen/{f['child'].pk}/toestemming/{consent.pk}/tekenen/").status_code == 302
    client.force_login(f["worker"])
    assert client.get(f"/kinderen/{f['child'].pk}/").status_code == 200

    client.force_login(f["father"])
    response = client.post(
        f"/kinderen/{f['child'].pk}/toestemming/{consent.pk}/intrekken/", {"reason": "We stoppen"}, follow=True
    )
    assert "ingetrokken" in response.content.decode()
    client.force_login(f["worker"])
    assert client.get(f"/kinderen/{f['child'].pk}/").status_code == 403
    history = client.get(f"/kinderen/{f['child'].pk}/toestemming/")
    assert history.status_code == 403  # the worker cannot read consents any more either
    refusal = AccessLogEntry.objects.filter(actor=f["worker"], allowed=False).latest("pk")
    assert refusal.child_id == f["child"].pk


def test_consent_history_is_shown_to_the_family(client, family):
    consent = _give_consent(client, family)
    consent_services.revoke(consent, family["father"], "Verhuisd")
    page = client.get(f"/kinderen/{family['child'].pk}/toestemming/").content.decode()
    assert "Verhuisd" in page and "Geschiedenis" in page


def test_consent_form_refuses_bad_input_in_dutch_and_keeps_it(client, family):
    client.force_login(family["mother"])
    response = client.post(
        f"/kinderen/{family['child'].pk}/toestemming/",
        {"organisation": family["cjg"].pk, "starts_on": "2000-01-01", "purpose": "Voor het gezinsplan"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies minstens één soort informatie." in html
    assert "terugwerkende kracht" in html
    assert "Voor het gezinsplan" in html  # nothing lost
    assert not Consent.objects.exists()


def test_guardian_without_authority_neither_sees_nor_gives_consent(client, family):
    """BW 1:377c: a parent without gezag gets nothing automatically, and has no say (docs/guardians-and-gezag.md)."""
    g = GuardianshipFactory(child=family["child"], relation="father", has_authority=False).user
    client.force_login(g)
    page = client.get(f"/kinderen/{family['child'].pk}/toestemming/")
    assert page.status_code == 403 and "Toestemming geven</h2>" not in page.content.decode()
    forged = client.post(
        f"/kinderen/{family['child'].pk}/toestemming/",
        {"organisation": family["cjg"].pk, "categories": ["support"], "starts_on": _today()},
    )
    assert forged.status_code == 403
    assert not Consent.objects.exists()
    assert AccessLogEntry.objects.filter(actor=g, allowed=False).exists()


def test_signing_a_consent_of_another_child_is_refused(client, family):
    consent = _give_consent(client, family)
    other = GuardianshipFactory()
    client.force_login(other.user)
    response = client.post(f"/kinderen/{other.child.pk}/toestemming/{consent.pk}/tekenen/")
    assert response.status_code == 404  # the consent is looked up within the child the user may act for
    response = client.post(f"/kinderen/{family['child'].pk}/toestemming/{consent.pk}/tekenen/")
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor=other.user, child=family["child"], allowed=False).exists()
    assert consent.signatures.count() == 1


def test_unknown_child_is_404_and_other_school_is_logged_403(client, family):
    outsider = staff(Role.IB, school=ChildFactory().school, user=UserFactory(is_demo=True))
    client.force_login(outsider)
    assert client.get("/kinderen/999999/").status_code == 404
    assert client.get(f"/kinderen/{family['child'].pk}/").status_code == 403
    entry = AccessLogEntry.objects.get(actor=outsider, allowed=False)
    assert entry.child_id == family["child"].pk and entry.action == "view"


# --- coordinator and handover -------------------------------------------------------------------------------------


def test_coordinator_handover_needs_a_note_that_the_family_sees(client, family):
    child = family["child"]
    first = circle_member(child, family["t"], role="leerkracht", school=child.school, coordinator=True)
    # The CJG worker is in the circle through the family's consent (docs/youth-care.md).
    consent_services.sign(_give_consent(client, family), family["father"])
    second = f"user:{family['worker'].pk}"
    client.force_login(family["ib"])
    url = f"/kinderen/{child.pk}/aanspreekpunt/"
    response = client.post(url, {"member": second, "note": ""})
    assert response.status_code == 200 and not CoordinatorHandover.objects.exists()
    first.refresh_from_db()
    assert first.is_coordinator
    note = "Maria neemt het over; zij kent het gezin al van het CJG."
    assert client.post(url, {"member": second, "note": note}).status_code == 302
    assert CircleMember.objects.filter(child=child, is_coordinator=True).get().user == family["worker"]

    client.force_login(family["mother"])
    page = client.get(f"/kinderen/{child.pk}/").content.decode()
    assert "Maria neemt het over" in page and "Maria de Vries" in page


def test_only_circle_managers_change_the_coordinator(client, family):
    client.force_login(family["t"])
    response = client.get(f"/kinderen/{family['child'].pk}/aanspreekpunt/")
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(actor=family["t"], allowed=False).exists()


def test_a_second_coordinator_is_refused_by_the_database(family):
    from django.db import IntegrityError, transaction

    child = family["child"]
    circle_member(child, family["t"], role="leerkracht", school=child.school, coordinator=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        circle_member(child, family["ib"], role="IB'er", school=child.school, coordinator=True)


# --- API ---------------------------------------------------------------------------------------------------------


def test_api_lists_only_visible_children_and_logs_the_list(client, family):
    other_group = GroupFactory(school=family["child"].school)
    ChildFactory(group=other_group, school=other_group.school)
    ChildFactory()  # another school
    client.force_login(family["t"])
    data = client.get("/api/v1/children/").json()
    assert [c["id"] for c in data["results"]] == [family["child"].pk]
    assert AccessLogEntry.objects.filter(actor=family["t"], action="list", channel="api").count() == 1
    client.force_login(family["ib"])
    assert client.get("/api/v1/children/").json()["count"] == 2


def test_api_detail_circle_consents_and_log_follow_the_policy(client, family):
    child = family["child"]
    consent = _give_consent(client, family, categories=("support", "basic"))
    consent_services.sign(consent, family["father"])
    client.force_login(family["worker"])
    base = f"/api/v1/children/{child.pk}/"
    assert client.get(base).json()["first_name"] == child.first_name
    circle = client.get(base + "circle/").json()
    assert {g["name"] for g in circle["guardians"]} == {family["mother"].full_name, family["father"].full_name}
    assert client.get(base + "consents/").status_code == 200
    assert client.get(base + "access-log/").status_code == 403  # the log is for the family

    client.force_login(family["mother"])
    log = client.get(base + "access-log/").json()
    texts = [e["text"] for e in log["results"]]
    assert any("Maria de Vries" in t and "toestemming" in t for t in texts)
    refused = [e for e in log["results"] if not e["allowed"]]
    assert refused and refused[0]["actor_name"] == "Maria de Vries"


def test_api_refuses_and_logs_an_outsider(client, family):
    stranger = staff(Role.YOUTH_WORKER, user=UserFactory(is_demo=True))
    client.force_login(stranger)
    for suffix in ("", "circle/", "consents/"):
        assert client.get(f"/api/v1/children/{family['child'].pk}/{suffix}").status_code == 403
    assert AccessLogEntry.objects.filter(actor=stranger, allowed=False, channel="api").count() == 3
    assert client.get("/api/v1/children/").json()["count"] == 0


def test_api_token_authentication_and_key_page(client, family):
    client.force_login(family["mother"])
    page = client.post("/api-sleutel/", {"action": "create"})
    key = Token.objects.get(user=family["mother"]).key
    assert key in page.content.decode()
    client.logout()
    assert client.get("/api/v1/children/").status_code in (401, 403)
    response = client.get("/api/v1/children/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["count"] == 1
    client.force_login(family["mother"])
    client.post("/api-sleutel/", {"action": "revoke"})
    client.logout()
    assert client.get("/api/v1/children/", HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_api_refuses_professionals_without_two_factor(client, settings, family):
    settings.DEMO_SKIP_TWO_FACTOR = False
    token = Token.objects.create(user=family["ib"])
    response = client.get("/api/v1/children/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    assert "tweestapsverificatie" in response.json()["detail"]


def test_api_gives_consent_with_dutch_errors(client, family):
    client.force_login(family["mother"])
    url = f"/api/v1/children/{family['child'].pk}/consents/"
    bad = client.post(url, {"organisation": family["cjg"].pk, "categories": []}, content_type="application/json")
    assert bad.status_code == 400
    ok = client.post(
        url,
        {"organisation": family["cjg"].pk, "categories": [Category.SUPPORT], "starts_on": _today()},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert Consent.objects.filter(child=family["child"]).count() == 1


def test_openapi_schema_lists_the_child_endpoints(client):
    client.force_login(UserFactory())  # the schema needs a log-in (issue 16 item 8)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    for path in ("/api/v1/children/", "/api/v1/children/{id}/", "circle/", "consents/", "access-log/"):
        assert path in text
    assert schema is None or "openapi" in schema


# --- query counts: constant in the number of pupils and log entries (PERF) -------------------------------------


def _many_pupils(school, group, n):
    for _ in range(n):
        ChildFactory(group=group, school=school)


def test_api_list_queries_do_not_grow_with_pupils(client, family, django_assert_max_num_queries):
    child = family["child"]
    _many_pupils(child.school, child.group, 5)
    client.force_login(family["ib"])
    with django_assert_max_num_queries(25) as small:
        client.get("/api/v1/children/")
    n = len(small.captured_queries)
    _many_pupils(child.school, child.group, 40)
    with django_assert_max_num_queries(n):
        client.get("/api/v1/children/")


def test_child_page_and_log_page_queries_are_constant(client, family, django_assert_max_num_queries):
    child = family["child"]
    client.force_login(family["mother"])
    client.get(f"/kinderen/{child.pk}/")
    with django_assert_max_num_queries(30) as first:
        client.get(f"/kinderen/{child.pk}/logboek/")
    n_log = len(first.captured_queries)
    for _ in range(60):
        client.get(f"/kinderen/{child.pk}/")
    with django_assert_max_num_queries(n_log):
        response = client.get(f"/kinderen/{child.pk}/logboek/")
    assert response.status_code == 200
    with django_assert_max_num_queries(30) as page:
        client.get(f"/kinderen/{child.pk}/")
    n_page = len(page.captured_queries)
    for _ in range(3):
        circle_member(child, staff(Role.YOUTH_WORKER), organisation=family["cjg"])
    with django_assert_max_num_queries(n_page):
        client.get(f"/kinderen/{child.pk}/")


def test_consent_page_queries_are_constant_in_consents(client, family, django_assert_max_num_queries):
    _give_consent(client, family)
    url = f"/kinderen/{family['child'].pk}/toestemming/"
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    n = len(first.captured_queries)
    for _ in range(5):
        _give_consent(client, family, categories=("basic", "health"))
    with django_assert_max_num_queries(n):
        assert client.get(url).status_code == 200


# --- headers and cookies (SEC) -------------------------------------------------------------------------------------


def test_security_headers_on_child_pages(client, family):
    client.force_login(family["mother"])
    response = client.get(f"/kinderen/{family['child'].pk}/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "nonce-" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure_and_http_only():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    import subprocess
    import sys

    code = (
        "import django,os;os.environ.pop('DEBUG',None);os.environ['SECRET_KEY']='x'*50;"
        "os.environ['AUDIT_HMAC_KEY']='k'*50;"
        "os.environ['DJANGO_SETTINGS_MODULE']='driehoek.settings';os.environ.pop('DRIEHOEK_TESTING',None);"
        "django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS > 0)"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DEBUG", "SECURE_COOKIES")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["True", "True", "False", "True"]


def test_staff_home_lists_pupils_with_constant_queries(client, family, django_assert_max_num_queries):
    child = family["child"]
    client.force_login(family["ib"])
    # A ceiling, not a goal: every panel (now also absence signals) adds a query; issue 17 brings it down.
    with django_assert_max_num_queries(42) as first:
        response = client.get("/")
    n = len(first.captured_queries)
    assert child.last_name in response.content.decode()
    _many_pupils(child.school, child.group, 30)
    with django_assert_max_num_queries(n):
        response = client.get("/")
    assert "pagina" in response.content.decode()  # 31 pupils: paginated at 25


def test_guardian_home_shows_my_children(client, family):
    client.force_login(family["mother"])
    page = client.get("/").content.decode()
    assert "Mijn kinderen" in page and family["child"].first_name in page
    assert AccessLogEntry.objects.filter(actor=family["mother"], action="list").count() == 1


def test_a_child_needs_a_class_of_its_own_school_and_a_real_birth_date():
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from django.utils.translation import override

    from apps.circles.models import Child

    group = GroupFactory()
    with override("nl"):
        with pytest.raises(ValidationError) as no_group:
            Child(first_name="A", last_name="B", date_of_birth=timezone.localdate(), school=group.school).full_clean()
        assert "Kies de groep" in str(no_group.value)
        other = GroupFactory()
        with pytest.raises(ValidationError) as wrong:
            Child(
                first_name="A", last_name="B", date_of_birth=timezone.localdate(), school=group.school, group=other
            ).full_clean()
        assert "andere school" in str(wrong.value)
        with pytest.raises(ValidationError) as future:
            Child(
                first_name="A",
                last_name="B",
                school=group.school,
                group=group,
                date_of_birth=timezone.localdate() + timedelta(days=1),
            ).full_clean()
        assert "toekomst" in str(future.value)


def test_staff_home_filters_by_class(client, family):
    other_group = GroupFactory(school=family["child"].school, name="Groep 8b")
    ChildFactory(group=other_group, school=other_group.school, last_name="Zwaan")
    client.force_login(family["ib"])
    page = client.get("/").content.decode()
    assert "Groep 8b" in page and "Alle groepen" in page
    filtered = client.get(f"/?groep={other_group.pk}").content.decode()
    assert "Zwaan" in filtered and family["child"].last_name not in filtered
    partial = client.get(f"/?groep={other_group.pk}", HTTP_HX_REQUEST="true").content.decode()
    assert "Zwaan" in partial and "<html" not in partial


def test_the_whole_openapi_schema_generates_without_warnings():
    """Every app's endpoints document themselves; a warning means a client gets a wrong or unstable type."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")
