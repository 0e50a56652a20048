"""Help guide: configured per school without code, questions routed by topic, acknowledged or escalated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.audit.log import Actor
from apps.audit.models import AccessLogEntry
from apps.helpguide import rules, services
from apps.helpguide.models import HelpQuestion, Step, Topic
from apps.notifications.models import Notification
from apps.organisations.models import Role
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory, circle_member, staff

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 11, 23, 10, 0), 2, datetime(2026, 11, 25, 10, 0)),  # Monday → Wednesday
        (datetime(2026, 11, 27, 15, 0), 2, datetime(2026, 12, 1, 15, 0)),  # Friday → Tuesday
        (datetime(2026, 11, 28, 9, 0), 2, datetime(2026, 12, 1, 9, 0)),  # Saturday → Tuesday
        (datetime(2026, 11, 26, 9, 0), 1, datetime(2026, 11, 27, 9, 0)),  # Thursday → Friday
    ],
)
def test_school_days_skip_weekends(start, days, expected):
    assert rules.add_school_days(start.replace(tzinfo=AMS), days).replace(tzinfo=None) == expected


def test_parent_reads_step_plan_and_child_version(client, school):
    client.force_login(school["mother"])
    page = client.get("/hulpwijzer/").content.decode()
    assert (
        "Praat met de leerkracht" in page
        and "Na schooltijd op het plein" in page
        and "De leerkracht denkt met u mee." in page
    )
    kid = client.get("/hulpwijzer/kind/").content.decode()
    assert "Vertel het je juf" in kid and "Je juf luistert naar je." in kid


def test_question_is_routed_by_topic_and_acknowledged(client, school):
    s = school
    client.force_login(s["mother"])
    response = client.post(
        "/hulpwijzer/vraag/",
        {
            "school": s["school"].pk,
            "topic": s["home"].pk,
            "child": s["child"].pk,
            "text": "Mijn zoon slaapt slecht.",
            "preferred_contact": "telefoon",
        },
    )
    assert response.status_code == 302
    q = HelpQuestion.objects.get()
    assert q.assigned_to == s["ib"] and q.status == "ontvangen"
    assert Notification.objects.filter(user=s["ib"], key=f"helpq-new:{q.pk}").exists()
    mine = client.get("/hulpwijzer/mijn-vragen/").content.decode()
    assert "ontvangen" in mine and "Marieke Jansen" in mine

    client.force_login(s["ib"])
    assert "Mijn zoon slaapt slecht." in client.get(f"/hulpwijzer/vragen/{q.pk}/").content.decode()
    client.post(f"/hulpwijzer/vragen/{q.pk}/", {"action": "acknowledge", "version": q.version})
    q.refresh_from_db()
    assert q.status == "opgepakt" and q.acknowledged_by == s["ib"]
    client.force_login(s["mother"])
    mine = client.get("/hulpwijzer/mijn-vragen/").content.decode()
    assert "opgepakt" in mine and "opgepakt door Marieke Jansen" in mine
    client.force_login(s["ib"])
    client.post(f"/hulpwijzer/vragen/{q.pk}/", {"action": "complete", "version": q.version})
    q.refresh_from_db()
    assert q.status == "afgerond"


def test_topic_with_handler_goes_to_that_person(school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["learning"], text="Rekenen gaat moeilijk", preferred_contact="bericht")
    assert q.assigned_to == s["teacher"]


def test_stale_acknowledge_is_refused(school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="Vraag", preferred_contact="bericht")
    services.acknowledge(s["ib"], q, version=1)
    with pytest.raises(Exception, match="net bijgewerkt"):
        services.complete(s["director"], q, version=1)


def test_someone_else_cannot_see_or_handle_a_question(client, school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["learning"], text="Geheim", preferred_contact="bericht")
    other_parent = GuardianshipFactory().user
    client.force_login(other_parent)
    assert client.get(f"/hulpwijzer/vragen/{q.pk}/").status_code == 404
    other_teacher = staff(Role.TEACHER, school=s["school"], user=UserFactory(is_demo=True))
    client.force_login(other_teacher)
    assert client.get(f"/hulpwijzer/vragen/{q.pk}/").status_code == 404
    assert client.post(f"/hulpwijzer/vragen/{q.pk}/", {"action": "acknowledge"}).status_code == 404
    q.refresh_from_db()
    assert q.status == "ontvangen"


def test_question_about_child_is_logged_when_handler_reads_it(client, school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht", child=s["child"])
    client.force_login(s["ib"])
    client.get(f"/hulpwijzer/vragen/{q.pk}/")
    assert AccessLogEntry.objects.filter(actor=s["ib"], object_type="helpquestion", allowed=True).exists()


def test_question_about_someone_elses_child_is_refused(school):
    s = school
    stranger_child = ChildFactory(group=s["group"], school=s["school"])
    with pytest.raises(Exception):  # noqa: B017 - AccessDenied
        services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht", child=stranger_child)
    assert not HelpQuestion.objects.exists()
    assert AccessLogEntry.objects.filter(actor=s["mother"], allowed=False).exists()


def test_unacknowledged_question_escalates_once_to_the_coordinator(school, mailoutbox):
    s = school
    circle_member(s["child"], s["director"], role="directeur", school=s["school"], coordinator=True)
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht", child=s["child"])
    assert services.escalate_overdue() == 0  # not due yet
    later = q.due_at + timedelta(minutes=1)
    assert services.escalate_overdue(now=later) == 1
    q.refresh_from_db()
    assert q.escalated_to == s["director"] and q.escalated_at
    assert services.escalate_overdue(now=later + timedelta(days=1)) == 0  # idempotent
    assert Notification.objects.filter(key=f"helpq-escalated:{q.pk}").count() == 1


def test_escalation_without_child_goes_to_ib_or_director(school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht")  # goes to the IB'er
    HelpQuestion.objects.filter(pk=q.pk).update(due_at=timezone.now() - timedelta(hours=1))
    call_command("escalate_help_questions")
    q.refresh_from_db()
    assert q.escalated_to == s["director"]  # the IB'er had it already


def test_response_report_median_and_share_within_target(school):
    s = school
    now = timezone.now()
    base = now - timedelta(days=10)

    def make(hours_to_ack, due_hours=48):
        created = base
        return HelpQuestion.objects.create(
            school=s["school"],
            topic=s["home"],
            asker=s["mother"],
            text="x",
            created_at=created,
            due_at=created + timedelta(hours=due_hours),
            acknowledged_at=created + timedelta(hours=hours_to_ack) if hours_to_ack is not None else None,
        )

    make(2), make(10), make(60), make(None)  # one late, one never acknowledged (overdue)
    report = rules.response_report(list(HelpQuestion.objects.all()), now=now)
    assert report.median_hours == 10.0 and report.within_target_share == 50 and report.open_overdue == 1


def test_report_page_for_ib_only(client, school):
    client.force_login(school["ib"])
    assert client.get("/hulpwijzer/rapport/").status_code == 200
    client.force_login(school["teacher"])
    assert client.get("/hulpwijzer/rapport/").status_code == 404


def test_ib_configures_the_guide_without_code(client, school):
    s = school
    client.force_login(s["ib"])
    url = f"/hulpwijzer/beheer/{s['school'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        f"{url}stap/nieuw/",
        {
            "order": 3,
            "title": "Het CJG",
            "role": "CJG-medewerker",
            "person_name": "Maria de Vries",
            "when_reachable": "woensdag 8:30",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}onderwerp/nieuw/", {"name": "Pesten", "handler": s["teacher"].pk, "order": 3, "active": "on"}
    )
    assert response.status_code == 302
    assert Topic.objects.get(name="Pesten").handler == s["teacher"]
    client.force_login(s["mother"])
    assert "Het CJG" in client.get("/hulpwijzer/").content.decode()


def test_teacher_and_parent_cannot_configure(client, school):
    for who in ("teacher", "mother"):
        client.force_login(school[who])
        assert client.get(f"/hulpwijzer/beheer/{school['school'].pk}/").status_code == 404


def test_stale_step_edit_is_refused(client, school):
    s = school
    step = Step.objects.get(order=1)
    client.force_login(s["ib"])
    url = f"/hulpwijzer/beheer/{s['school'].pk}/stap/{step.pk}/"
    data = {"order": 1, "title": "Eerste versie", "role": "leerkracht", "version": step.version}
    assert client.post(url, data).status_code == 302
    data["title"] = "Tweede, gebaseerd op oude versie"
    response = client.post(url, data)
    assert response.status_code == 200 and "Iemand anders heeft dit net gewijzigd" in response.content.decode()
    assert Step.objects.get(pk=step.pk).title == "Eerste versie"


def test_disguised_photo_is_refused(client, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = school
    client.force_login(s["ib"])
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00" + b"\x00" * 300, content_type="image/png")
    response = client.post(
        f"/hulpwijzer/beheer/{s['school'].pk}/stap/nieuw/", {"order": 3, "title": "X", "role": "Y", "photo": fake}
    )
    assert response.status_code == 200 and "Dit is geen foto" in response.content.decode()


def test_interpreter_request_reaches_the_handler(client, school):
    s = school
    client.force_login(s["mother"])
    response = client.post(
        "/hulpwijzer/vraag/",
        {
            "school": s["school"].pk,
            "topic": s["home"].pk,
            "text": "Ik wil graag praten.",
            "preferred_contact": "huisbezoek",
            "interpreter": "on",
            "language": "Arabisch",
        },
    )
    assert response.status_code == 302
    q = HelpQuestion.objects.get()
    assert q.interpreter and q.language == "Arabisch" and q.preferred_contact == "huisbezoek"
    client.force_login(s["ib"])
    page = client.get(f"/hulpwijzer/vragen/{q.pk}/").content.decode()
    assert "Graag met tolk" in page and "Arabisch" in page and "iemand komt bij mij thuis" in page


def test_escalation_run_is_planned_for_the_deadline(school, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    s = school
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        q = services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht")
    planned = [r.task.run_after for r in default_task_backend.results if r.task.run_after]
    assert planned == [q.due_at + timedelta(minutes=1)]


def test_report_page_shows_the_period(client, school):
    s = school
    q = services.ask(Actor(s["mother"]), topic=s["home"], text="x", preferred_contact="bericht")
    services.acknowledge(s["ib"], q)
    old = services.ask(Actor(s["mother"]), topic=s["home"], text="oud", preferred_contact="bericht")
    HelpQuestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(weeks=20))
    client.force_login(s["ib"])
    page = client.get("/hulpwijzer/rapport/?weken=4").content.decode()
    assert "<td>1</td>" in page and "100%" in page
    assert client.get("/hulpwijzer/rapport/?weken=onzin").status_code == 200


def test_flood_of_questions_is_limited_and_text_kept(client, school, settings):
    s = school
    settings.HELPGUIDE_RATE_LIMIT = (2, 3600)
    client.force_login(s["mother"])
    data = {"school": s["school"].pk, "topic": s["home"].pk, "preferred_contact": "bericht"}
    for i in range(2):
        assert client.post("/hulpwijzer/vraag/", {**data, "text": f"vraag {i}"}).status_code == 302
    response = client.post("/hulpwijzer/vraag/", {**data, "text": "Mijn derde vraag"})
    page = response.content.decode()
    assert response.status_code == 200 and "Wacht even" in page and "Mijn derde vraag" in page
    assert HelpQuestion.objects.count() == 2
