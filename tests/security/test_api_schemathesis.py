"""SEC-37: the API against its own OpenAPI schema, per role, in-process (schemathesis `from_wsgi`, no network).

For a guardian, a teacher and a CJG worker (each with a real API token) schemathesis generates requests for
every operation in `/api/schema/`: no answer may be a 5xx, and every answer whose status the schema
documents must match it (body and content type). Half of the examples use ids of objects that exist in
the world below, so detail endpoints answer 200 with real data and not only 404. Bounded and derandomized,
so a failure repeats and the whole module stays well under a minute.
"""

from datetime import timedelta

import pytest
import schemathesis
from allauth.mfa.models import Authenticator
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from apps.audit.log import Actor
from apps.consent import services as consent_services
from apps.conversations import services as conversation_services
from apps.helpguide import services as helpguide_services
from apps.helpguide.models import HelpGuide, HelpQuestion, Topic
from apps.meetings import services as meeting_services
from apps.messaging import services as messaging_services
from apps.organisations.models import Role
from apps.plans import services as plan_services
from apps.timeline import services as timeline_services
from driehoek.wsgi import application
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

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 4
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(settings):
    """The schema, loaded through the WSGI application. Like Django's own test client, the requests must not
    close the database connection at their end: on PostgreSQL that would end the test's transaction."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the host schemathesis' WSGI client sends
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    reader = UserFactory(full_name="Schema Lezer")  # the schema needs a log-in (SEC, issue 16 item 8)
    headers = {"Authorization": f"Token {Token.objects.create(user=reader).key}"}
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _web_actor(user) -> Actor:
    return Actor(user=user, channel="web")


@pytest.fixture
def world(settings):
    """One class with a pupil, her mother, the teacher, the IB'er and a CJG worker with the family's
    consent; and something of every kind the API serves: timeline, plan, thread, conversation, meeting,
    action, announcement and help question."""
    settings.DEMO_SKIP_TWO_FACTOR = False
    group = GroupFactory()
    school = group.school
    child = ChildFactory(group=group, school=school)
    mother = GuardianshipFactory(child=child).user
    teacher = staff(Role.TEACHER, school=school, groups=[group])
    ib = staff(Role.IB, school=school)
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg)
    circle_member(child, worker, "CJG", organisation=cjg)
    for professional in (teacher, ib, worker):  # professionals reach the API only with two-factor set up
        Authenticator.objects.create(user=professional, type=Authenticator.Type.TOTP, data={"secret": "x"})
    consent = consent_services.request_consent(
        child=child,
        by=mother,
        organisation=cjg,
        grantee=worker,
        categories=["basic", "development", "support"],
        starts_on=timezone.localdate() - timedelta(days=3),
    )
    today = timezone.localdate()
    entry = timeline_services.add_entry(
        _web_actor(mother), child, happened_on=today, kind="strength", category="basic", text="Kan goed tekenen"
    )
    goal = plan_services.add_goal(
        _web_actor(teacher), child, text="Lezen", child_words="Ik wil zelf lezen", evaluate_on=today + timedelta(30)
    )
    agreement = plan_services.add_agreement(
        _web_actor(teacher), child, what="Elke dag lezen", owner=mother, due=today + timedelta(14), goal=goal
    )
    thread = messaging_services.create_thread(_web_actor(mother), child, "basic", "Vraag", "Hoe gaat het?")
    conversation = conversation_services.plan_conversation(
        _web_actor(teacher),
        child,
        kind="progress",
        purpose="Hoe gaat het lezen?",
        starts_at=timezone.now() + timedelta(days=7),
        place="Lokaal 3",
        participants=[mother],
        child_invited=True,
    )
    starts = (timezone.now() + timedelta(days=14)).replace(hour=19, minute=0, second=0, microsecond=0)
    meeting = meeting_services.create_meeting(
        school=school, by=ib, title="Ouderavond", kind="parent_evening", starts_at=starts,
        rsvp_deadline=starts - timedelta(days=2),
    )  # fmt: skip
    meeting_services.invite(meeting, [mother], kind="guardian")
    theme = meeting_services.add_theme(meeting, title="Samen leren", questions="Wat gaat goed?")
    action = meeting_services.create_meeting_action(meeting, by=ib, title="Leesochtend", owner=ib, theme=theme)
    action_without_theme = meeting_services.create_meeting_action(meeting, by=ib, title="Koffie-inloop", owner=ib)
    announcement = messaging_services.publish_announcement(
        ib, school=school, group=group, title="Schoolreis", body="Vrijdag gaan we op reis.", requires_confirmation=True
    )
    guide = HelpGuide.objects.create(school=school, intro="Welkom")
    topic = Topic.objects.create(guide=guide, name="Leren", handler=teacher, order=1)
    question = helpguide_services.ask(
        _web_actor(mother),
        topic=topic,
        text="Mijn kind leest slecht.",
        preferred_contact=HelpQuestion.Contact.MESSAGE,
        child=child,
    )
    ids = {
        "child": child.pk, "consent": consent.pk, "entry": entry.pk, "goal": goal.pk, "agreement": agreement.pk,
        "thread": thread.pk, "conversation": conversation.pk, "meeting": meeting.pk,
        "item": meeting.agenda.first().pk, "action": action.pk, "announcement": announcement.pk,
        "question": question.pk, "action_without_theme": action_without_theme.pk,
    }  # fmt: skip
    return {"mother": mother, "teacher": teacher, "worker": worker, "ib": ib, "ids": ids}


# Which object an `{id}` stands for, by the first part of the path after /api/v1/.
ID_BY_PREFIX = {
    "children": "child",
    "threads": "thread",
    "conversations": "conversation",
    "meetings": "meeting",
    "meeting-actions": "action",
    "announcements": "announcement",
    "help-questions": "question",
}


def _existing_ids(path: str, ids: dict) -> dict:
    prefix = path.removeprefix("/api/v1/").split("/")[0]
    return {
        "id": ids.get(ID_BY_PREFIX.get(prefix, ""), 0),
        **{f"{name}_id": value for name, value in ids.items()},
        "meeting_id": ids["meeting"],
        "item_id": ids["item"],
    }


def _run_every_operation(api_schema, user, ids) -> list[str]:
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy(), use_existing=st.booleans())
        def check(case, use_existing):
            if use_existing and case.path_parameters:
                known = _existing_ids(operation.path, ids)
                case.path_parameters = {name: known.get(name, value) for name, value in case.path_parameters.items()}
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as e:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {e}")
    return failures


@pytest.mark.parametrize("role", ["mother", "teacher", "worker"])
def test_every_api_operation_answers_without_a_server_error_and_as_its_schema_says(api_schema, world, role):
    failures = _run_every_operation(api_schema, world[role], world["ids"])
    assert not failures, "\n\n".join(failures)


# --- the three fields the probe found described wrongly (issue 16, item 9) --------------------------------------


def _get_validated(api_schema, user, path, **path_parameters):
    case = api_schema[path]["GET"].Case(path_parameters=path_parameters)
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_an_empty_video_link_is_what_the_schema_allows(api_schema, world):
    data = _get_validated(api_schema, world["mother"], "/api/v1/conversations/{id}/", id=world["ids"]["conversation"])
    assert data["video_url"] == ""


def test_an_action_without_a_theme_is_what_the_schema_allows(api_schema, world):
    data = _get_validated(
        api_schema, world["ib"], "/api/v1/meeting-actions/{id}/", id=world["ids"]["action_without_theme"]
    )
    assert data["theme"] is None


def test_agenda_times_are_clock_times_as_the_schema_says(api_schema, world):
    data = _get_validated(api_schema, world["ib"], "/api/v1/meetings/{id}/", id=world["ids"]["meeting"])
    assert data["agenda"] and all(len(item["start"]) == 8 for item in data["agenda"])  # "19:00:00", no offset


def test_the_schema_never_promises_an_rfc3339_time_of_day():
    """`format: time` means a time with a UTC offset; the API's clock times have none (and OpenAPI 3.0 does
    not define the format), so a strict client would reject every agenda."""
    from django.test import Client

    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()

    def formats(node):
        if isinstance(node, dict):
            yield node.get("format")
            for value in node.values():
                yield from formats(value)
        elif isinstance(node, list):
            for value in node:
                yield from formats(value)

    assert "time" not in set(formats(schema))
