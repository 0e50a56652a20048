"""SEC-14 mass assignment: the server decides owner, child and state; SEC-18: no input gives a 500."""

import importlib
import inspect
from datetime import timedelta

import pytest
from django import forms
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.consent.models import Consent
from apps.timeline.models import TimelineEntry
from tests.factories import CareOrganisationFactory, ChildFactory, GuardianshipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    child = ChildFactory()
    mother = GuardianshipFactory(child=child).user
    other_child = ChildFactory()
    return {"child": child, "mother": mother, "other_child": other_child, "cjg": CareOrganisationFactory()}


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- SEC-14 ------------------------------------------------------------------------------------------------------


def _model_forms_and_serializers():
    for app in django_settings.DOMAIN_APPS:
        for module_name in ("forms", "serializers", "api"):
            try:
                module = importlib.import_module(f"{app}.{module_name}")
            except ModuleNotFoundError as e:
                if e.name != f"{app}.{module_name}":
                    raise
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    cls.__module__ == module.__name__
                    and "Meta" in vars(cls)
                    and issubclass(cls, forms.ModelForm | serializers.ModelSerializer)
                ):
                    yield cls


def test_every_model_form_and_serializer_lists_its_fields():
    """Never `__all__` or `exclude`: a new model field must not become writable by accident."""
    found = list(_model_forms_and_serializers())
    assert len(found) > 10
    loose = [
        f"{c.__module__}.{c.__name__}"
        for c in found
        if getattr(c.Meta, "exclude", None) is not None or not isinstance(getattr(c.Meta, "fields", None), list | tuple)
    ]
    assert not loose, loose


def test_timeline_api_ignores_child_author_and_version_sent_by_the_client(family):
    intruder = UserFactory()
    response = _api(family["mother"]).post(
        f"/api/v1/children/{family['child'].pk}/timeline/",
        {
            "happened_on": timezone.localdate().isoformat(),
            "kind": "strength",
            "text": "Sterk",
            "id": 99999,
            "child": family["other_child"].pk,
            "author": intruder.pk,
            "version": 42,
            "created_at": "2000-01-01T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = TimelineEntry.objects.get()
    assert entry.pk != 99999 and entry.child == family["child"] and entry.author == family["mother"]
    assert entry.version == 1 and entry.created_at.year == timezone.now().year
    assert not TimelineEntry.objects.filter(child=family["other_child"]).exists()


def test_consent_api_ignores_child_state_and_creator_sent_by_the_client(family):
    intruder = UserFactory()
    response = _api(family["mother"]).post(
        f"/api/v1/children/{family['child'].pk}/consents/",
        {
            "organisation": family["cjg"].pk,
            "categories": ["support"],
            "starts_on": timezone.localdate().isoformat(),
            "child": family["other_child"].pk,
            "created_by": intruder.pk,
            "completed_at": timezone.now().isoformat(),
            "revoked_at": None,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    consent = Consent.objects.get()
    assert consent.child == family["child"] and consent.created_by == family["mother"]
    assert consent.signatures.count() == 1 and consent.signatures.get().signer == family["mother"]
    assert not Consent.objects.filter(child=family["other_child"]).exists()


# --- SEC-18 ------------------------------------------------------------------------------------------------------

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        ["", "2024-02-30", "9999-12-31", "0001-01-01", "basic", "support", "strength", "<script>", "1e309"]
    ),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
TIMELINE_KEYS = ["happened_on", "ends_on", "kind", "text", "category", "version", "id", "child"]
CONSENT_KEYS = ["organisation", "categories", "starts_on", "ends_on", "purpose", "grantee", "child"]
FUZZ = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _body(keys):
    return st.dictionaries(st.sampled_from(keys) | st.text(max_size=10), VALUE, max_size=8)


@FUZZ
@given(body=_body(TIMELINE_KEYS))
def test_timeline_api_never_answers_500(family, body):
    response = _api(family["mother"]).post(f"/api/v1/children/{family['child'].pk}/timeline/", body, format="json")
    assert response.status_code < 500, (body, response.content[:300])


@FUZZ
@given(body=_body(CONSENT_KEYS))
def test_consent_api_never_answers_500(family, body):
    response = _api(family["mother"]).post(f"/api/v1/children/{family['child'].pk}/consents/", body, format="json")
    assert response.status_code < 500, (body, response.content[:300])


@pytest.mark.parametrize(
    "raw",
    [b'{"happened_on": 1e309, "text": NaN, "kind": Infinity}', b"[1, 2", b"\xff\xfe", b'"just a string"', b"null"],
)
def test_api_survives_broken_json(family, raw):
    client = _api(family["mother"])
    for url in ("timeline/", "consents/"):
        response = client.generic("POST", f"/api/v1/children/{family['child'].pk}/{url}", raw, "application/json")
        assert response.status_code == 400, (url, raw, response.content[:300])


FORM_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", "-1", "0", "99999999999999999999", "2024-13-01", "1900-01-01", "basic", "support"]
)


@FUZZ
@given(
    organisation=FORM_TEXT,
    categories=st.lists(FORM_TEXT, max_size=3),
    starts_on=FORM_TEXT,
    ends_on=FORM_TEXT,
    purpose=FORM_TEXT,
)
def test_consent_form_never_answers_500(family, organisation, categories, starts_on, ends_on, purpose):
    client = Client()
    client.force_login(family["mother"])
    data = {"organisation": organisation, "categories": categories, "starts_on": starts_on, "ends_on": ends_on}
    response = client.post(f"/kinderen/{family['child'].pk}/toestemming/", data | {"purpose": purpose})
    assert response.status_code < 500


@FUZZ
@given(happened_on=FORM_TEXT, kind=FORM_TEXT, text=FORM_TEXT, category=FORM_TEXT)
def test_timeline_form_never_answers_500(family, happened_on, kind, text, category):
    client = Client()
    client.force_login(family["mother"])
    data = {"happened_on": happened_on, "kind": kind, "text": text, "category": category}
    response = client.post(f"/tijdlijn/kind/{family['child'].pk}/", data)
    assert response.status_code < 500


def test_the_fuzzed_timeline_form_url_is_a_real_form(family):
    """Guards the test above: posting good data to the same URL creates an entry."""
    client = Client()
    client.force_login(family["mother"])
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/tijdlijn/kind/{family['child'].pk}/",
        {"happened_on": day, "kind": "strength", "text": "Goed", "category": "basic"},
    )
    assert response.status_code == 302 and TimelineEntry.objects.filter(child=family["child"]).count() == 1
