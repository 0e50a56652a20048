"""The surface test (issue 16): every URL pattern and API route, for every role, checked against the policy.

The routes are taken from the resolver (`get_resolver()`, recursively), so a page or endpoint added later
is walked without editing this file; URL parameters are filled from one world of two schools built once
per module. For every role the test GETs every route and checks each response:

- no child-related content where `decide` refuses: a child's last name (basic details) or a secret text
  of one of the child's objects (a conversation's purpose, a thread, a help question, a timeline entry, a
  plan goal) appears only for someone the policy lets see that child in that category;
- every read of child data is logged: when such content appears, the request wrote an allowed
  access-log entry (apps.audit) for that child and that person;
- no server error.

Only `/api/schema/` and `/api/docs/` are left out of the per-role walk: they describe the API, hold no
data, and generating the schema takes seconds; allauth's own-account pages (`/accounts/…`) are walked for
one role of each kind. The admin (`/beheer/`) is walked for the platform admin
(the only role that gets in), who must see no child content and no one else's credentials.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from apps.access.policy import Action, decide
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.casereview import services as review_services
from apps.circles.models import CircleMember
from apps.consent import services as consent_services
from apps.consent.models import Category, Consent
from apps.conversations.models import Conversation, Kind, Participant
from apps.helpguide.models import HelpGuide, HelpQuestion, SchoolHoliday, Step, Topic
from apps.meetings import services as meeting_services
from apps.messaging import services as messaging_services
from apps.organisations.models import CareOrganisation, Role
from apps.planner import services as planner_services
from apps.planner.models import CalendarFeed
from apps.plans import services as plan_services
from apps.plans.groei import services as groei_services
from apps.plans.opp import services as opp_services
from apps.timeline import services as timeline_services
from apps.timeline.models import Kind as EntryKind
from tests.factories import (
    CareOrganisationFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    UserFactory,
    circle_member,
    staff,
    years_ago,
)
from tests.planner.factories import evening

SKIPPED_ROUTES = {"api/schema/", "api/docs/"}
# allauth's pages about one's own account (e-mail, password, two-factor) show no child data: they are walked
# for one role of each kind rather than all, to keep the walk fast.
OWN_ACCOUNT_PREFIX = "accounts/"
OWN_ACCOUNT_ROLES = {"guardian_with_authority", "child_13", "ib", "youth_worker_valid", "platform_admin"}
MISSING = 999999  # an id no object has: the route must answer 404/403, never 500


# --- the routes, from the resolver -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "gesprekken/<pk>/"
    params: tuple[str, ...]

    def url(self, values: dict) -> str:
        path = self.template
        for name in self.params:
            path = path.replace(f"<{name}>", str(values[name]))
        return "/" + path


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _piece(pattern) -> str:
    text = str(pattern)
    text = _GROUP.sub(lambda m: f"<{m.group(1)}>", text)
    text = _CONVERTER.sub(lambda m: f"<{m.group(1)}>", text)
    return text.replace("^", "").replace("$", "")


def all_routes(resolver=None, prefix: str = "") -> list[Route]:
    """Every URL pattern reachable from the root resolver, with its parameters, format suffixes left out."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        template = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(all_routes(entry, template))
        elif isinstance(entry, URLPattern):
            if "<format>" in template or "\\" in template or template in SKIPPED_ROUTES:
                continue
            routes.append(Route(template, tuple(re.findall(r"<(\w+)>", template))))
    return list({r.template: r for r in routes}.values())


# --- the world: two schools, every role, consents in every state ---------------------------------------------------

SECRETS = {
    "care_purpose": "Zorggesprek over het slapen XQ1",
    "care_place": "Spreekkamer Lindelaan XQ2",
    "thread_subject": "Zorgen over de overgang XQ3",
    "thread_body": "Hij huilt veel bij het afscheid XQ4",
    "question": "Mijn dochter eet slecht sinds de verhuizing XQ5",
    "entry": "Astma vastgesteld door de huisarts XQ6",
    "goal": "Zelf hulp vragen in de klas XQ7",
    "care12_purpose": "Gesprek over de thuissituatie XQ8",
    "care16_purpose": "Gesprek over stage en school XQ9",
    "opp_pupil": "Ik wil niet apart zitten XQA",
    "opp_line": "Remedial teaching begrijpend lezen XQB",
    "review_factor": "Wachtlijst jeugd-GGZ XQC",
    "groei_parents": "Thuis is hij vaak boos XQC",
    "family_goal": "Samen eten zonder ruzie XQD",
}


@dataclass
class World:
    people: dict
    children: dict  # key -> Child
    secrets: list  # (child, category, text)
    objects: dict
    focus: dict  # role -> child key whose pages the role walks


def _consent(child, by, org, grantee, categories, signers=()):
    consent = consent_services.request_consent(
        child=child, by=by, organisation=org, grantee=grantee, categories=categories, starts_on=child.created_at.date()
    )
    for signer in signers:
        consent = consent_services.sign(consent, signer)
    return consent


def build_world() -> World:
    school, other_school = SchoolFactory(name="Het Kompas"), SchoolFactory(name="De Horizon")
    own, other, b_group = GroupFactory(school=school), GroupFactory(school=school), GroupFactory(school=other_school)
    demo = {"is_demo": True}  # professionals skip TOTP set-up in tests (DEMO_SKIP_TWO_FACTOR)

    mother = UserFactory(full_name="Ans Moederman")
    father = UserFactory(full_name="Bert Vaderman")
    child_user = UserFactory(full_name="Tammie")  # the account's own name is not the record's
    target = ChildFactory(
        group=own, first_name="Tamara", last_name="Quispel", date_of_birth=years_ago(13, days=40), user=child_user
    )
    GuardianshipFactory(child=target, user=mother)
    GuardianshipFactory(child=target, user=father, relation="father", has_authority=False)
    young_user = UserFactory(full_name="Pimmie")
    young = ChildFactory(
        group=own, first_name="Pim", last_name="Wijnbergen", date_of_birth=years_ago(9, days=20), user=young_user
    )
    GuardianshipFactory(child=young, user=mother)
    child12 = ChildFactory(group=own, first_name="Joris", last_name="Kalkhoven", date_of_birth=years_ago(11, days=300))
    mother12 = GuardianshipFactory(child=child12, user=UserFactory(full_name="Carla Twaalf")).user
    child16_user = UserFactory(full_name="Roosje")
    child16 = ChildFactory(
        group=own, first_name="Roos", last_name="Dekkerhof", date_of_birth=years_ago(15, days=300), user=child16_user
    )
    mother16 = GuardianshipFactory(child=child16, user=UserFactory(full_name="Dora Zestien")).user
    b_child = ChildFactory(group=b_group, first_name="Bas", last_name="Overkempe", date_of_birth=years_ago(10))
    b_guardian = GuardianshipFactory(child=b_child, user=UserFactory(full_name="Els Anderschool")).user

    cjg = CareOrganisationFactory(name="CJG Noord")
    ggd = CareOrganisationFactory(name="GGD Regio", kind=CareOrganisation.Kind.GGD)
    lp = CareOrganisationFactory(name="Leerplicht Stad", kind=CareOrganisation.Kind.MUNICIPALITY)
    people = {
        "guardian_with_authority": mother,
        "guardian_without_authority": father,
        "child_13": child_user,
        "child_under_12": young_user,
        "child_16": child16_user,
        "teacher_in_class": staff(Role.TEACHER, school=school, groups=[own], user=UserFactory(**demo)),
        "teacher_other_class": staff(Role.TEACHER, school=school, groups=[other], user=UserFactory(**demo)),
        "ib": staff(Role.IB, school=school, user=UserFactory(**demo)),
        "director": staff(Role.DIRECTOR, school=school, user=UserFactory(**demo)),
        "school_admin": staff(Role.SCHOOL_ADMIN, school=school, user=UserFactory(**demo)),
        "teacher_other_school": staff(Role.TEACHER, school=other_school, groups=[b_group], user=UserFactory(**demo)),
        "ib_other_school": staff(Role.IB, school=other_school, user=UserFactory(**demo)),
        "youth_worker_valid": staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(**demo)),
        "youth_worker_pending": staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(**demo)),
        "youth_worker_revoked": staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(**demo)),
        "doctor_expired": staff(Role.DOCTOR, organisation=ggd, user=UserFactory(**demo)),
        "doctor_valid": staff(Role.DOCTOR, organisation=ggd, user=UserFactory(**demo)),
        "attendance_officer_pending": staff(Role.ATTENDANCE_OFFICER, organisation=lp, user=UserFactory(**demo)),
        "youth_worker_child_turned_12": staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(**demo)),
        "youth_worker_child_turned_16": staff(Role.YOUTH_WORKER, organisation=cjg, user=UserFactory(**demo)),
        "guardian_other_school": b_guardian,
        "platform_admin": UserFactory(is_staff=True, is_superuser=True, full_name="Pieter Beheer", **demo),
    }
    p = people
    for who in ("youth_worker_valid", "youth_worker_pending", "youth_worker_revoked"):
        circle_member(target, p[who], "CJG", organisation=cjg)
    for who in ("doctor_expired", "doctor_valid"):
        circle_member(target, p[who], "jeugdarts", organisation=ggd)
    circle_member(target, p["attendance_officer_pending"], "leerplicht", organisation=lp)
    circle_member(child12, p["youth_worker_child_turned_12"], "CJG", organisation=cjg)
    circle_member(child16, p["youth_worker_child_turned_16"], "CJG", organisation=cjg)

    # Consents in every state. The target is 13: the guardian with authority and the child sign.
    valid = _consent(target, mother, cjg, p["youth_worker_valid"], ["support"], [child_user])
    _consent(target, mother, cjg, p["youth_worker_pending"], ["support", "health"])  # the child has not signed
    revoked = _consent(target, mother, cjg, p["youth_worker_revoked"], ["support", "health"], [child_user])
    consent_services.revoke(revoked, mother)
    expired = _consent(target, mother, ggd, p["doctor_expired"], ["health"], [child_user])
    Consent.objects.filter(pk=expired.pk).update(starts_on="2020-01-01", ends_on="2020-12-31")
    _consent(target, mother, ggd, p["doctor_valid"], ["health"], [child_user])
    _consent(target, mother, lp, p["attendance_officer_pending"], ["health"])
    # Signed by the parent at 11: at the 12th birthday the child must sign too, so it no longer holds.
    _consent(child12, mother12, cjg, p["youth_worker_child_turned_12"], ["support"])
    # Signed by parent and child at 15: from 16 the child alone decides, and the child signed, so it holds.
    _consent(child16, mother16, cjg, p["youth_worker_child_turned_16"], ["support"], [child16_user])
    type(child12).objects.filter(pk=child12.pk).update(date_of_birth=years_ago(12, days=3))
    type(child16).objects.filter(pk=child16.pk).update(date_of_birth=years_ago(16, days=3))
    child12.refresh_from_db()
    child16.refresh_from_db()

    ib = Actor(user=p["ib"])
    start = timezone.now() + timedelta(days=5)

    def care(child, purpose, place, organiser, *participants):
        conversation = Conversation.objects.create(
            child=child, kind=Kind.CARE, purpose=purpose, place=place, organiser=organiser,
            starts_at=start, ends_at=start + timedelta(minutes=45),
        )  # fmt: skip
        for user in participants:
            kind = Participant.Kind.GUARDIAN if child.guardianships.filter(user=user).exists() else "professional"
            Participant.objects.create(conversation=conversation, kind=kind, user=user, name=str(user))
        return conversation

    conversation = care(
        target, SECRETS["care_purpose"], SECRETS["care_place"], p["youth_worker_valid"],
        p["youth_worker_valid"], p["youth_worker_revoked"], p["youth_worker_pending"], mother, p["teacher_in_class"],
    )  # fmt: skip
    care(child12, SECRETS["care12_purpose"], "", p["youth_worker_child_turned_12"], p["youth_worker_child_turned_12"])
    care(child16, SECRETS["care16_purpose"], "", p["youth_worker_child_turned_16"], p["youth_worker_child_turned_16"])
    thread = messaging_services.create_thread(
        ib, target, Category.SUPPORT, SECRETS["thread_subject"], SECRETS["thread_body"]
    )
    entry = timeline_services.add_entry(
        ib, target, kind=EntryKind.LIFE_EVENT, happened_on=timezone.localdate(), text=SECRETS["entry"],
        category=Category.HEALTH,
    )  # fmt: skip
    goal = plan_services.add_goal(
        ib, target, text=SECRETS["goal"], evaluate_on=timezone.localdate() + timedelta(days=60)
    )
    agreement = plan_services.add_agreement(
        ib, target, what="Elke week even bijpraten", owner=mother, due=timezone.localdate() + timedelta(days=30)
    )
    opp = opp_services.start_opp(ib, target, needed_since=timezone.localdate() - timedelta(days=7))
    opp_services.save_pupil_view(ib, opp, SECRETS["opp_pupil"])
    opp_services.add_support_line(
        ib, opp, what=SECRETS["opp_line"], who="RT'er", how_often="2x per week", starts_on=timezone.localdate()
    )
    opp_version = opp_services.propose_version(ib, opp)
    groeidocument = groei_services.start(ib, target, request_kind="arrangement")
    groeidocument.child = target
    groei_services.save_parents_part(Actor(user=mother), groeidocument, parents_view=SECRETS["groei_parents"])
    groei_services.add_family_goal(Actor(user=mother), target, life_domain="family", text=SECRETS["family_goal"])
    guide = HelpGuide.objects.create(school=school)
    step = Step.objects.create(guide=guide, order=1, title="Praat met de leerkracht", role="leerkracht")
    topic = Topic.objects.create(guide=guide, name="Thuis", handler=p["school_admin"])
    holiday = SchoolHoliday.objects.create(
        school=school, name="Kerstvakantie", start=timezone.localdate() + timedelta(days=90),
        end=timezone.localdate() + timedelta(days=104),
    )  # fmt: skip
    question = HelpQuestion.objects.create(
        school=school, topic=topic, asker=mother, child=target, text=SECRETS["question"],
        assigned_to=p["school_admin"], due_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    round_ = planner_services.open_round(
        p["teacher_in_class"], own, purpose="Kennismaken met de nieuwe klas", windows=[evening(9)], place="Lokaal 5"
    )
    slot = round_.slots.order_by("starts_at").first()
    booking = planner_services.book_slot(Actor(user=mother), slot, target)
    meeting = meeting_services.create_meeting(
        school=school, by=p["ib"], title="Ouderavond", kind="parent_evening",
        starts_at=start + timedelta(days=10), rsvp_deadline=start + timedelta(days=8), location="Aula",
    )  # fmt: skip
    case_review = review_services.start_review(ib, target)
    review_services.add_factor(ib, case_review, kind="hindered", level="policy", text=SECRETS["review_factor"])
    announcement = messaging_services.publish_announcement(
        p["ib"], school=school, title="Studiedag", body="Vrijdag is er geen school."
    )
    for user in people.values():
        CalendarFeed.objects.create(user=user)

    secrets = [
        (target, Category.SUPPORT, SECRETS["care_purpose"]),
        (target, Category.SUPPORT, SECRETS["care_place"]),
        (target, Category.SUPPORT, SECRETS["thread_subject"]),
        (target, Category.SUPPORT, SECRETS["thread_body"]),
        (target, Category.SUPPORT, SECRETS["question"]),
        (target, Category.HEALTH, SECRETS["entry"]),
        (target, Category.SUPPORT, SECRETS["goal"]),
        (target, Category.SUPPORT, SECRETS["opp_pupil"]),
        (target, Category.SUPPORT, SECRETS["opp_line"]),
        (target, Category.SUPPORT, SECRETS["review_factor"]),
        (target, Category.SUPPORT, SECRETS["groei_parents"]),
        (target, Category.SUPPORT, SECRETS["family_goal"]),
        (child12, Category.SUPPORT, SECRETS["care12_purpose"]),
        (child16, Category.SUPPORT, SECRETS["care16_purpose"]),
    ]
    for child in (target, young, child12, child16, b_child):
        secrets.append((child, Category.BASIC, child.last_name))
    objects = {
        "target": target, "conversation": conversation, "thread": thread, "entry": entry, "goal": goal,
        "agreement": agreement, "consent": valid, "member": CircleMember.objects.get(user=p["youth_worker_valid"]),
        "guide": guide, "step": step, "topic": topic, "holiday": holiday, "question": question, "round": round_,
        "slot": slot, "booking": booking, "meeting": meeting, "announcement": announcement, "school": school,
        "opp_version": opp_version, "case_review": case_review, "groeidocument": groeidocument,
    }  # fmt: skip
    children = {"target": target, "young": young, "child12": child12, "child16": child16, "b_child": b_child}
    focus = {
        "child_under_12": "young",
        "youth_worker_child_turned_12": "child12",
        "youth_worker_child_turned_16": "child16",
        "child_16": "child16",
        "guardian_other_school": "b_child",
        "teacher_other_school": "b_child",
        "ib_other_school": "b_child",
    }
    return World(people, children, secrets, objects, focus)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at the end (building it takes longer than walking)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


# --- filling URL parameters from the world -------------------------------------------------------------------------

PK_BY_PREFIX = [  # the first prefix that matches says what <pk> is
    ("gesprekken/", "conversation"),
    ("startgesprekken/", "round"),
    ("berichten/mededelingen/", "announcement"),
    ("hulpwijzer/vragen/", "question"),
    ("bijeenkomsten/tafel/", None),
    ("bijeenkomsten/acties/", None),
    ("bijeenkomsten/", "meeting"),
    ("casusreview/", "case_review"),
    ("api/v1/case-reviews/", "case_review"),
    ("api/v1/conversations/", "conversation"),
    ("api/v1/threads/", "thread"),
    ("api/v1/announcements/", "announcement"),
    ("api/v1/help-questions/", "question"),
    ("api/v1/meetings/", "meeting"),
    ("api/v1/children/", "target"),
]


def parameter_values(world: World, role: str, route: Route) -> dict:
    o = world.objects
    child = world.children[world.focus.get(role, "target")]
    feed = CalendarFeed.objects.get(user=world.people[role])
    values = {
        "child_id": child.pk, "member_id": o["member"].pk, "consent_id": o["consent"].pk, "entry_id": o["entry"].pk,
        "goal_id": o["goal"].pk, "agreement_id": o["agreement"].pk, "slot_id": o["slot"].pk,
        "booking_id": o["booking"].pk, "thread_id": o["thread"].pk, "attachment_id": MISSING,
        "step_id": o["step"].pk, "school_id": o["school"].pk, "holiday_id": o["holiday"].pk,
        "topic_id": o["topic"].pk, "item_id": MISSING, "meeting_id": o["meeting"].pk, "token": feed.token,
        "key": "not-a-key", "uidb36": "zz", "object_id": MISSING, "app_label": "auth", "content_type_id": MISSING,
        "url": "x", "job_id": MISSING, "membership_id": MISSING, "invite_id": MISSING, "batch_id": MISSING,
        "assignment_id": MISSING, "request_id": MISSING, "correction_id": MISSING, "group_id": child.group_id,
        "report_id": MISSING,
        "guardianship_id": child.guardianships.values_list("pk", flat=True).first() or MISSING, "kind": "csv_guardians",
        "version_id": o["opp_version"].pk, "doc_id": o["groeidocument"].pk,
        "referral_id": MISSING, "organisation_id": MISSING, "message_id": o["thread"].messages.first().pk,
        "community_id": MISSING, "board_id": MISSING,
    }  # fmt: skip
    if "pk" in route.params:
        name = next((obj for prefix, obj in PK_BY_PREFIX if route.template.startswith(prefix)), None)
        values["pk"] = child.pk if name == "target" else (o[name].pk if name else MISSING)
    return values


# --- the walk -----------------------------------------------------------------------------------------------------

ROLES = [
    "guardian_with_authority", "guardian_without_authority", "child_13", "child_under_12", "child_16",
    "teacher_in_class", "teacher_other_class", "ib", "director", "school_admin", "teacher_other_school",
    "ib_other_school", "youth_worker_valid", "youth_worker_pending", "youth_worker_revoked", "doctor_expired",
    "doctor_valid", "attendance_officer_pending", "youth_worker_child_turned_12", "youth_worker_child_turned_16",
    "guardian_other_school", "platform_admin",
]  # fmt: skip


def may_see(allowed: dict, child, category: str) -> bool:
    """The child's name goes with every category of its data: someone who may see the support plan sees
    whose plan it is. Any other secret needs its own category."""
    if category == Category.BASIC:
        return any(allowed[(child.pk, c)] for c in Category)
    return allowed[(child.pk, category)]


def walk(client, world: World, role: str) -> list[str]:
    """GET every route as `role`; returns what went wrong, one line per problem."""
    user = world.people[role]
    client.force_login(user)
    client.raise_request_exception = False  # a server error is reported with the others, not the first alone
    allowed = {
        (child.pk, category): decide(user, Action.VIEW, child, category).allowed
        for child, category in {(c, cat) for c, _cat, _text in world.secrets for cat in Category}
    }
    problems = []
    for route in all_routes():
        if route.template.startswith("beheer/") and role != "platform_admin":
            continue  # the admin lets in only is_staff: the platform admin below
        if route.template.startswith(OWN_ACCOUNT_PREFIX) and role not in OWN_ACCOUNT_ROLES:
            continue
        url = route.url(parameter_values(world, role, route))
        last_log = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        logged = set(
            AccessLogEntry.objects.filter(pk__gt=last_log, actor_id=user.pk, allowed=True).values_list(
                "child_id", flat=True
            )
        )
        for child, category, secret in world.secrets:
            if secret not in text:
                continue
            if not may_see(allowed, child, category):
                problems.append(f"{url}: shows {secret!r} ({category} of {child.first_name}), the policy refuses")
            elif child.pk not in logged:
                problems.append(f"{url}: shows {secret!r} ({category} of {child.first_name}) without a log entry")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_route_follows_the_policy(client, settings, world, role):
    settings.DEMO_SKIP_TWO_FACTOR = True
    problems = walk(client, world, role)
    assert not problems, "\n".join(problems)


def test_the_walk_covers_every_route_and_fills_every_parameter(world):
    routes = all_routes()
    templates = {r.template for r in routes}
    for expected in (
        "gesprekken/", "api/v1/conversations/", "startgesprekken/agenda.ics", "startgesprekken/agenda/<token>.ics",
        "hulpwijzer/vragen/<pk>/", "api/v1/help-questions/", "kinderen/<child_id>/", "api/v1/children/<pk>/",
        "berichten/bericht/<message_id>/vertaling/", "berichten/gesprek/<thread_id>/vertaling/",
        "berichten/mededelingen/<pk>/vertaling/", "hulpwijzer/stap/<step_id>/vertaling/",
        "gesprekken/<pk>/terugkoppeling/vertaling/", "api/v1/help-guide-steps/",
    ):  # fmt: skip
        assert expected in templates
    for route in routes:
        url = route.url(parameter_values(world, "ib", route))
        assert "<" not in url, url


@pytest.mark.django_db
def test_the_walk_notices_a_leak(client, settings, world, monkeypatch):
    """The check itself can fail: a list that ignores the policy again is caught."""
    from apps.conversations import services as conversation_services

    settings.DEMO_SKIP_TWO_FACTOR = True
    monkeypatch.setattr(conversation_services, "visible_filter", lambda user, prefix="": Q())  # everything
    problems = walk(client, world, "youth_worker_revoked")
    assert any(SECRETS["care_purpose"] in p and "refuses" in p for p in problems)


# --- the admin: no path to a child's file or to someone else's credentials (defect 1) -----------------------------

CREDENTIAL_ADMIN_PAGES = [
    "/beheer/authtoken/tokenproxy/",
    "/beheer/authtoken/tokenproxy/add/",
    "/beheer/mfa/authenticator/",
    "/beheer/account/emailaddress/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", CREDENTIAL_ADMIN_PAGES)
def test_platform_admin_has_no_credential_admin_pages(client, settings, world, url):
    """API tokens come only from the user's own API-key page; MFA and e-mail addresses are the user's own."""
    settings.DEMO_SKIP_TWO_FACTOR = True
    client.force_login(world.people["platform_admin"])
    assert client.get(url).status_code == 404
