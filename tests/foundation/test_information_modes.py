"""Parents without gezag (BW 1:377c, docs/guardians-and-gezag.md): the three information modes in the policy,
the request in the app (page and API), the school's reasoned decision, the gezag parent told, all logged."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.access.policy import Action, decide, visible_children, visible_q
from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.circles import information
from apps.circles.models import Guardianship, InformationRequest
from apps.consent.models import Category
from apps.messaging import services as messaging
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.timeline import services as timeline
from apps.timeline.models import TimelineEntry
from tests.factories import CareOrganisationFactory, ChildFactory, GuardianshipFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db
Mode = Guardianship.InformationMode


@pytest.fixture
def w(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True

    class W:
        pass

    w = W()
    w.child = ChildFactory(date_of_birth=years_ago(9))
    w.mother = GuardianshipFactory(child=w.child).user
    w.father_g = GuardianshipFactory(child=w.child, relation="father", has_authority=False, recognised_child=True)
    w.father = w.father_g.user
    w.ib = staff(Role.IB, school=w.child.school, user=UserFactory(is_demo=True))  # demo: no 2FA set-up in tests
    w.teacher = staff(Role.TEACHER, school=w.child.school, groups=[w.child.group], user=UserFactory(is_demo=True))
    return w


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def _grant(w):
    request = information.request_information(Actor(user=w.father), w.child, "Hoe gaat het met rekenen?")
    return information.decide_request(
        Actor(user=_fresh(w.ib)), request, grant=True, ground="same_as_gezag", reason="Zelfde informatie als moeder."
    )


def test_without_gezag_the_default_is_on_request():
    g = GuardianshipFactory(has_authority=False)
    assert g.information_mode == Mode.ON_REQUEST
    g.has_authority = True
    g.save()
    assert g.information_mode == Mode.FULL  # gezag always means all information


# mode -> {action: categories allowed}
FULL = {a: set(Category.values) for a in (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE)}
GRANTED_READS = {a: {"basic", "development"} for a in (Action.VIEW, Action.LIST)}
MODES = {
    "full": FULL,
    "on_request": {Action.REQUEST_INFORMATION: set(Category.values)},
    "on_request_granted": {**GRANTED_READS, Action.REQUEST_INFORMATION: set(Category.values)},
    "none": {},
    "on_request_unrecognised_father": {},
}
ACTIONS = (Action.VIEW, Action.LIST, Action.CREATE, Action.CHANGE, Action.EXPORT, Action.VIEW_LOG,
           Action.GIVE_CONSENT, Action.REQUEST_INFORMATION)  # fmt: skip


def _set_mode(w, mode):
    if mode == "full":
        Guardianship.objects.filter(pk=w.father_g.pk).update(has_authority=True, information_mode=Mode.FULL)
    elif mode == "none":
        Guardianship.objects.filter(pk=w.father_g.pk).update(information_mode=Mode.NONE)
    elif mode == "on_request_granted":
        _grant(w)
    elif mode == "on_request_unrecognised_father":
        Guardianship.objects.filter(pk=w.father_g.pk).update(recognised_child=None)
    w.child.refresh_from_db()
    return type(w.child).objects.prefetch_related("guardianships").get(pk=w.child.pk)


@pytest.mark.parametrize("mode", MODES)
def test_the_three_information_modes(w, mode):
    child = _set_mode(w, mode)
    father = _fresh(w.father)
    mismatches = []
    for action, category in itertools.product(ACTIONS, Category.values):
        expected = category in MODES[mode].get(action, set())
        if mode == "full" and action in (Action.EXPORT, Action.VIEW_LOG):
            expected = True
        if mode == "full" and action == Action.GIVE_CONSENT:
            expected = decide(father, action, child, category).allowed  # the consent rules, not this issue
        if decide(father, action, child, category).allowed != expected:
            mismatches.append(f"{mode} {action} {category}: expected {expected}")
    for category in Category.values:  # the list rule is the same rule
        listed = visible_children(_fresh(w.father), category).filter(pk=child.pk).exists()
        if listed != decide(father, Action.VIEW, child, category).allowed:
            mismatches.append(f"{mode} visible_children {category}")
    assert not mismatches, "\n".join(mismatches)


def test_granted_information_never_covers_youth_care_records(w):
    _grant(w)
    cjg = CareOrganisationFactory()
    worker = staff(Role.YOUTH_WORKER, organisation=cjg)
    school_entry = timeline.add_entry(
        Actor(user=_fresh(w.teacher)), w.child, kind="school", happened_on=timezone.localdate(),
        text="Rekenen gaat beter", category="development",
    )  # fmt: skip
    care_entry = TimelineEntry.objects.create(
        child=w.child, kind="support", happened_on=timezone.localdate(), text="Gezinscoach over thuis",
        category="development", author=worker, owner_organisation=cjg,
    )  # fmt: skip
    father = _fresh(w.father)
    assert decide(father, Action.VIEW, w.child, "development", owner=school_entry.owner).allowed
    assert not decide(father, Action.VIEW, w.child, "development", owner=care_entry.owner).allowed
    shown = set(TimelineEntry.objects.filter(visible_q(father, "development", owner="")).values_list("pk", flat=True))
    assert shown == {school_entry.pk}


def test_a_grant_ends(w):
    request = _grant(w)
    assert decide(_fresh(w.father), Action.VIEW, w.child, "development").allowed
    InformationRequest.objects.filter(pk=request.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert not decide(_fresh(w.father), Action.VIEW, w.child, "development").allowed


def test_no_automatic_notifications_without_gezag(w):
    thread = messaging.create_thread(Actor(user=_fresh(w.teacher)), w.child, "development", "Rapport", "Goed bezig")
    assert w.mother in messaging.recipients_of(thread)
    assert w.father not in messaging.recipients_of(thread)
    _grant(w)  # even with a grant the parent is not sent messages: the grant is to read, on request
    assert not Notification.objects.filter(user=w.father, key__startswith="message").exists()


def test_request_decide_and_show_through_the_pages(w, client):
    client.force_login(w.father)
    page = client.get("/kinderen/informatie/")
    assert page.status_code == 200 and w.child.first_name in page.content.decode()
    response = client.post("/kinderen/informatie/", {"child": w.child.pk, "question": "Hoe gaat lezen?"})
    assert response.status_code == 302
    request = InformationRequest.objects.get(requester=w.father)
    assert Notification.objects.filter(user=w.ib, key=f"information-request:{request.pk}").exists()

    client.force_login(w.ib)
    assert "Hoe gaat lezen?" in client.get("/kinderen/informatie/school/").content.decode()
    url = f"/kinderen/informatie/{request.pk}/besluit/"
    no_reason = client.post(url, {"decision": "refuse", "ground": "child_interest", "reason": ""})
    assert no_reason.status_code == 400 and "Geef een toelichting bij uw besluit" in no_reason.content.decode()
    wrong_ground = client.post(url, {"decision": "grant", "ground": "child_interest", "reason": "Prima"})
    assert wrong_ground.status_code == 400
    done = client.post(url, {"decision": "grant", "ground": "same_as_gezag", "reason": "Zoals de moeder het hoort."})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.GRANTED and request.valid_until > timezone.localdate()
    assert AccessLogEntry.objects.filter(
        actor_id=w.ib.pk, object_type="informationrequest", action="change", allowed=True
    ).exists()
    # The requester sees the decision with its reason; the parent with gezag is told (1:377b).
    assert Notification.objects.filter(user=w.father, key=f"information-decided:{request.pk}").exists()
    assert Notification.objects.filter(
        user=w.mother, key__startswith=f"information-decided-gezag:{request.pk}"
    ).exists()
    client.force_login(w.father)
    assert "Zoals de moeder het hoort." in client.get("/kinderen/informatie/").content.decode()


def test_a_request_for_someone_elses_child_is_refused_like_reading_it(w, client):
    other = ChildFactory()
    client.force_login(w.father)
    response = client.post("/kinderen/informatie/", {"child": other.pk, "question": "Hoe gaat het?"})
    assert response.status_code == 403
    assert not InformationRequest.objects.exists()
    assert AccessLogEntry.objects.filter(actor_id=w.father.pk, child=other, allowed=False).exists()


def test_a_teacher_may_not_decide_and_is_logged(w, client):
    request = information.request_information(Actor(user=w.father), w.child, "Hoe gaat het?")
    client.force_login(w.teacher)
    response = client.post(
        f"/kinderen/informatie/{request.pk}/besluit/", {"decision": "grant", "ground": "same_as_gezag", "reason": "x"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.PENDING
    assert AccessLogEntry.objects.filter(actor_id=w.teacher.pk, allowed=False).exists()


def test_api_request_and_decide(w):
    father = APIClient()
    father.force_authenticate(w.father)
    created = father.post("/api/v1/information-requests/", {"child": w.child.pk, "question": "Rapport?"})
    assert created.status_code == 201, created.content
    empty = father.post("/api/v1/information-requests/", {"child": w.child.pk, "question": " "})
    assert empty.status_code == 400 and "Schrijf op welke informatie" in empty.content.decode()
    ib = APIClient()
    ib.force_authenticate(w.ib)
    pk = created.json()["id"]
    assert ib.get("/api/v1/information-requests/").json()["results"][0]["id"] == pk
    no_reason = ib.post(f"/api/v1/information-requests/{pk}/decide/", {"grant": False, "ground": "child_interest"})
    assert no_reason.status_code == 400 and "toelichting" in no_reason.content.decode()
    decided = ib.post(
        f"/api/v1/information-requests/{pk}/decide/",
        {"grant": False, "ground": "child_interest", "reason": "Een rechter oordeelde dat dit het kind schaadt."},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "refused"
    mine = father.get(f"/api/v1/information-requests/{pk}/").json()
    assert mine["reason"].startswith("Een rechter") and mine["ground"] == "child_interest"
    schema = ib.get("/api/schema/").content.decode()
    assert "/api/v1/information-requests/" in schema


def test_mode_none_refuses_the_request(w):
    Guardianship.objects.filter(pk=w.father_g.pk).update(information_mode=Mode.NONE)
    child = type(w.child).objects.get(pk=w.child.pk)
    decision = decide(_fresh(w.father), Action.REQUEST_INFORMATION, child)
    assert not decision.allowed and "geen informatie" in decision.reason


def test_the_father_reads_the_decision_in_english_and_its_mail_is_english(w):
    """Issue 13: the notification and its e-mail in the requester's language."""
    from django.utils import translation

    from apps.notifications.models import OutgoingMail

    w.father.language = "en"
    w.father.save(update_fields=["language"])
    request = _grant(w)
    note = Notification.objects.get(user=w.father, key=f"information-decided:{request.pk}")
    with translation.override("en"):
        assert note.display_text.startswith("The school") and w.child.first_name in note.display_text
    assert note.text.startswith("De school geeft u informatie")
    mail = OutgoingMail.objects.get(notification=note)
    assert mail.subject == "Your information request"
    assert mail.body.startswith("The school gives you information") and w.child.first_name in mail.body
