"""Conversation pages: plan with a purpose, the child's own form, outcomes, feedback, cancel, access."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.conversations import services
from apps.conversations.models import Conversation, Preparation
from apps.notifications.models import Notification
from apps.organisations.models import Role
from apps.plans.models import Agreement
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, UserFactory, staff, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(settings):
    settings.DEMO_SKIP_TWO_FACTOR = True
    group = GroupFactory()
    teacher = staff(Role.TEACHER, school=group.school, groups=[group], user=UserFactory(is_demo=True))
    child = ChildFactory(group=group, date_of_birth=years_ago(8), first_name="Noor")
    mother = GuardianshipFactory(child=child).user
    return {"group": group, "teacher": teacher, "child": child, "mother": mother}


def _plan(circle, **kwargs):
    return services.plan_conversation(
        Actor(circle["teacher"]),
        circle["child"],
        kind=kwargs.pop("kind", "progress"),
        purpose="Hoe gaat lezen?",
        starts_at=timezone.now() + timedelta(days=2),
        place="Lokaal 5",
        participants=[circle["mother"]],
        **kwargs,
    )


def test_plan_form_requires_purpose_in_dutch(client, circle):
    client.force_login(circle["teacher"])
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = f"/gesprekken/nieuw/{circle['child'].pk}/"
    assert client.get(url).status_code == 200
    data = {"kind": "progress", "purpose": "", "day": day, "time": "15:00", "minutes": 30, "place": "Lokaal",
            "participants": [circle["mother"].pk], "child_invited": "on"}  # fmt: skip
    response = client.post(url, data)
    assert "Schrijf op wat het doel van het gesprek is" in response.content.decode()
    assert not Conversation.objects.exists()
    data["purpose"] = "Kennismaken"
    response = client.post(url, data)
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and conversation.participants.count() == 3


def test_child_form_is_friendly_and_answers_reach_the_teacher(client, circle):
    conversation = _plan(circle)
    client.force_login(circle["mother"])  # the parent fills it in together with Noor (8, no own account)
    page = client.get(f"/gesprekken/{conversation.pk}/voorbereiding/kind/")
    html = page.content.decode()
    assert "Waar ben je trots op?" in html and "Wat wil je dat de juf weet?" in html and "big-button" in html
    client.post(
        f"/gesprekken/{conversation.pk}/voorbereiding/kind/",
        {"proud": "Ik kan lezen!", "difficult": "", "tell_teacher": "", "mood": "happy", "shared": "yes"},
    )
    assert Preparation.objects.get().answers["proud"] == "Ik kan lezen!"
    client.force_login(circle["teacher"])
    assert "Ik kan lezen!" in client.get(f"/gesprekken/{conversation.pk}/").content.decode()


def test_outcome_and_feedback_through_the_page(client, circle, mailoutbox, django_capture_on_commit_callbacks):
    conversation = _plan(circle)
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(circle["teacher"])
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    client.post(
        f"/gesprekken/{conversation.pk}/afspraak/", {"what": "Samen lezen", "owner": circle["mother"].pk, "due": due}
    )
    assert Agreement.objects.get().what == "Samen lezen"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gesprekken/{conversation.pk}/terugkoppeling/", {"feedback": "Goed gesprek."})
    assert Notification.objects.filter(user=circle["mother"], key=f"conversation-feedback:{conversation.pk}").exists()
    assert any("Samen lezen" in m.body for m in mailoutbox if circle["mother"].email in m.to)


def test_outcome_without_text_shows_dutch_error(client, circle):
    conversation = _plan(circle)
    client.force_login(circle["teacher"])
    response = client.post(
        f"/gesprekken/{conversation.pk}/afspraak/", {"what": "", "owner": "", "due": ""}, follow=True
    )
    assert "Schrijf op wat er is afgesproken" in response.content.decode()
    assert not Agreement.objects.exists()


def test_cancel_through_the_page(client, circle):
    conversation = _plan(circle)
    client.force_login(circle["teacher"])
    response = client.post(f"/gesprekken/{conversation.pk}/annuleren/", {"reason": ""})
    assert "Schrijf kort op waarom" in response.content.decode()
    client.post(f"/gesprekken/{conversation.pk}/annuleren/", {"reason": "Ziek"})
    conversation.refresh_from_db()
    assert conversation.is_cancelled
    assert Notification.objects.filter(user=circle["mother"], key=f"conversation-cancelled:{conversation.pk}").exists()


def test_other_teacher_is_refused_and_logged(client, circle):
    conversation = _plan(circle, kind="care")
    other = staff(
        Role.TEACHER, school=circle["group"].school, groups=[GroupFactory(school=circle["group"].school)],
        user=UserFactory(is_demo=True),
    )  # fmt: skip
    client.force_login(other)
    assert client.get(f"/gesprekken/{conversation.pk}/").status_code == 403
    entry = AccessLogEntry.objects.filter(actor_id=other.pk).latest("pk")
    assert not entry.allowed and entry.category == "support"


def test_list_shows_overdue_feedback_and_is_constant_in_queries(client, circle, django_assert_max_num_queries):
    conversation = _plan(circle)
    start = timezone.now() - timedelta(days=14)
    Conversation.objects.filter(pk=conversation.pk).update(starts_at=start, ends_at=start + timedelta(minutes=30))
    client.force_login(circle["teacher"])
    response = client.get("/gesprekken/")
    assert "Nog terugkoppelen" in response.content.decode()
    with django_assert_max_num_queries(40) as ctx:
        client.get("/gesprekken/")
    baseline = len(ctx.captured_queries)
    for _ in range(5):
        _plan(circle)
    with django_assert_max_num_queries(baseline):
        client.get("/gesprekken/")


def test_ics_download(client, circle):
    conversation = _plan(circle)
    client.force_login(circle["mother"])
    response = client.get(f"/gesprekken/{conversation.pk}/agenda.ics")
    assert response.status_code == 200 and b"Doel: Hoe gaat lezen?" in response.content


def test_reschedule_through_the_page(client, circle):
    conversation = _plan(circle)
    client.force_login(circle["teacher"])
    page = client.get(f"/gesprekken/{conversation.pk}/").content.decode()
    assert "Gesprek verzetten" in page
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    response = client.post(
        f"/gesprekken/{conversation.pk}/verzetten/",
        {"move-version": conversation.version, "move-day": day, "move-time": "14:00", "move-minutes": 30,
         "move-place": "Aula", "move-video_url": ""},
        follow=True,
    )  # fmt: skip
    assert "Het gesprek is verzet" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.place == "Aula" and timezone.localtime(conversation.starts_at).hour == 14
