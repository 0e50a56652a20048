"""SEC-18 and the API's error contract: bad ids and parameters give 400/404, never 500; API errors are JSON,
never the HTML error page; missing or wrong credentials give 401 with WWW-Authenticate."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.meetings import services as meeting_services
from apps.organisations.models import Role
from apps.timeline.models import TimelineEntry
from driehoek import api as api_urls
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

HUGE = "808102212336"
TOO_LARGE_FOR_ANY_DATABASE = "9" * 30


@pytest.fixture
def family(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    child = ChildFactory()
    mother = GuardianshipFactory(child=child).user
    teacher = staff(Role.TEACHER, school=child.school, groups=[child.group], user=UserFactory(is_demo=True))
    TimelineEntry.objects.create(
        child=child, author=mother, happened_on=timezone.localdate(), kind="strength", category="basic", text="Sterk"
    )
    return {"child": child, "mother": mother, "teacher": teacher}


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def _is_json_detail(response) -> bool:
    return response["Content-Type"].startswith("application/json") and "detail" in response.json()


def _routes_with_an_id():
    """Every API route that takes an id, with the id replaced by letters (format-suffix variants left out)."""
    for entry in api_urls.urlpatterns:
        assert isinstance(entry, URLPattern | URLResolver)
        route = str(entry.pattern)
        if "format" in route:
            continue
        route = re.sub(r"<int:\w+>", "AAA", route)
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "AAA", route).lstrip("^").rstrip("$")
        if "AAA" in route:
            yield "/api/v1/" + route


def test_every_api_route_with_an_id_lists_the_ones_the_issue_names():
    routes = set(_routes_with_an_id())
    for expected in (
        "/api/v1/children/AAA/",
        "/api/v1/threads/AAA/",
        "/api/v1/conversations/AAA/",
        "/api/v1/help-questions/AAA/",
        "/api/v1/meetings/AAA/rsvp/",
        "/api/v1/announcements/AAA/confirm/",
        "/api/v1/children/AAA/timeline/",
    ):
        assert expected in routes


@pytest.mark.parametrize("method", ["get", "post", "patch"])
def test_a_non_numeric_id_on_any_api_route_is_a_json_404(family, method):
    client = _token_client(family["mother"])
    for url in _routes_with_an_id():
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert _is_json_detail(response), (url, response.content[:200])


def test_an_unknown_api_path_is_a_json_404_and_an_unknown_page_is_html(family):
    response = _token_client(family["mother"]).get("/api/v1/bestaat-niet/")
    assert response.status_code == 404 and _is_json_detail(response)
    client = Client()
    client.force_login(family["mother"])
    page = client.get("/bestaat-niet/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "Niet gevonden" in page.content.decode()


def test_an_unknown_object_is_a_404_that_does_not_name_the_model(family):
    client = _token_client(family["mother"])
    for url in ("/api/v1/threads/", "/api/v1/conversations/"):
        response = client.post(url, {"child": 10**9, "subject": "x", "body": "y"}, content_type="application/json")
        assert response.status_code in (400, 404), response.content
        assert "matches the given query" not in response.content.decode()
    response = client.get("/api/v1/threads/999999/")
    assert response.status_code == 404 and response.json() == {"detail": "Niet gevonden."}


def test_an_error_inside_an_api_view_is_a_json_500_without_details(family, monkeypatch):
    from apps.circles.api import ChildViewSet

    def broken(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ChildViewSet, "list", broken)
    client = _token_client(family["mother"])
    client.raise_request_exception = False
    response = client.get("/api/v1/children/")
    assert response.status_code == 500 and _is_json_detail(response)
    assert "secret internals" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        f"year={HUGE}",
        "year=0",
        "year=-3",
        "year=abc",
        f"author={TOO_LARGE_FOR_ANY_DATABASE}",
        "author=x",
        "kind=nonsense",
        "page=0",
        f"page={TOO_LARGE_FOR_ANY_DATABASE}",
    ],
)
def test_timeline_api_answers_a_bad_filter_with_a_json_400(family, query):
    response = _token_client(family["mother"]).get(f"/api/v1/children/{family['child'].pk}/timeline/?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) <= {"kind", "author", "year", "page"}


def test_timeline_api_filters_by_a_valid_year(family):
    client = _token_client(family["mother"])
    url = f"/api/v1/children/{family['child'].pk}/timeline/"
    this_year = timezone.localdate().year
    assert client.get(url, {"year": this_year}).json()["count"] == 1
    assert client.get(url, {"year": this_year - 5}).json()["count"] == 0


@pytest.mark.parametrize("value", [HUGE, "0", "²", "-1", TOO_LARGE_FOR_ANY_DATABASE, "abc"])
def test_timeline_page_ignores_a_year_or_author_it_cannot_use(family, value):
    client = Client()
    client.force_login(family["mother"])
    url = f"/tijdlijn/kind/{family['child'].pk}/"
    for param in ("jaar", "door") if value != HUGE else ("jaar",):  # a 12-digit author id is a valid filter
        response = client.get(url, {param: value})
        assert response.status_code == 200, (param, value)
        assert "Sterk" in response.content.decode()  # the filter is dropped, the timeline shown


@pytest.mark.parametrize("value", ["²", TOO_LARGE_FOR_ANY_DATABASE, "abc"])
def test_list_pages_ignore_an_id_filter_they_cannot_use(family, value):
    client = Client()
    client.force_login(family["teacher"])
    assert client.get("/", {"groep": value}).status_code == 200
    assert client.get("/gesprekken/", {"kind": value}).status_code == 200


def test_new_action_page_ignores_an_outcome_id_that_is_not_a_number(family):
    school = family["child"].school
    ib = staff(Role.IB, school=school, user=UserFactory(is_demo=True))
    starts = timezone.now() + timedelta(days=14)
    meeting = meeting_services.create_meeting(
        school=school, by=ib, title="Ouderavond", kind="parent_evening", starts_at=starts,
        rsvp_deadline=starts - timedelta(days=2),
    )  # fmt: skip
    client = Client()
    client.force_login(ib)
    assert client.get(f"/bijeenkomsten/{meeting.pk}/acties/nieuw/", {"opbrengst": "abc"}).status_code == 200


# --- authentication ---------------------------------------------------------------------------------------------


def test_an_api_call_without_credentials_is_a_401_that_names_the_token_scheme(family):
    response = Client().get("/api/v1/children/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert _is_json_detail(response)


def test_an_api_call_with_a_wrong_token_is_a_401(family):
    response = Client(HTTP_AUTHORIZATION="Token not-a-real-key").get(f"/api/v1/children/{family['child'].pk}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_logged_in_browser_session_still_reaches_the_api(family):
    client = Client()
    client.force_login(family["mother"])
    assert client.get("/api/v1/children/").json()["count"] == 1
