"""The partnership monitor: anonymity, thresholds for every breakdown, answering once, the policy, CSV, API,
turning a result into an action (docs/learning.md)."""

import csv
import io
import logging
import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from apps.knowledge.models import KnowledgeLink
from apps.meetings.models import ActionItem
from apps.monitor import results, services
from apps.monitor.models import Answer, ChildCode, Participant, Response
from apps.notifications.models import Notification

from .conftest import ALL_FOURS, answer, start

pytestmark = pytest.mark.django_db


# --- anonymity -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Response, Answer])
def test_stored_answers_have_no_person_no_time_no_ip_and_no_guessable_id(model):
    from django.conf import settings

    for f in model._meta.get_fields():
        if f.is_relation and f.related_model is not None:
            assert f.related_model._meta.label != settings.AUTH_USER_MODEL, (
                f"{model.__name__}.{f.name} points to a user"
            )
            assert f.related_model is not Participant, f"{model.__name__}.{f.name} points to a participant"
        assert not isinstance(f, models.DateField | models.DateTimeField | models.TimeField), f.name
        assert not isinstance(f, models.GenericIPAddressField), f.name
        assert "ip" not in f.name and "user" not in f.name and "time" not in f.name and "created" not in f.name
    assert isinstance(model._meta.pk, models.UUIDField), "a sequential id would give away the order of answering"


def test_participant_shares_no_id_order_or_time_with_answers():
    assert isinstance(Participant._meta.pk, models.UUIDField)
    names = {f.name for f in Participant._meta.get_fields()}
    assert names.isdisjoint({"response", "responses", "answered_at", "created_at", "updated_at"})
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in Participant._meta.get_fields())


def test_two_respondents_rows_are_indistinguishable(world, wave):
    answer(wave, world["parents5"][:2])
    rows = list(Response.objects.filter(wave=wave).values())
    assert len(rows) == 2
    for row in rows:
        assert isinstance(row.pop("id"), uuid.UUID)
    assert rows[0] == rows[1], "nothing but a random id tells two parents' responses apart"
    answers = sorted((a["item"], a["key"], a["value"]) for a in Answer.objects.filter(response__wave=wave).values())
    assert answers[0::2] == answers[1::2]
    assert not Response.objects.filter(wave=wave, group__isnull=False).exists(), "2 of a class: no class stored"


def test_class_is_stored_only_from_the_fifth_respondent_of_that_class(world, wave):
    answer(wave, world["parents5"][:4])
    assert not Response.objects.filter(group__isnull=False).exists()
    answer(wave, world["parents5"][4:6])
    assert Response.objects.filter(group=world["g5"]).count() == 2


def test_answering_twice_counts_once(world, wave):
    parent = world["parents5"][0]
    answer(wave, [parent])
    with pytest.raises(ValidationError, match="al ingevuld"):
        services.submit(wave, parent, {**ALL_FOURS, "p1": "1"})
    assert Response.objects.filter(wave=wave).count() == 1
    assert Answer.objects.filter(response__wave=wave, item="p1").get().value == 4


def test_answering_twice_through_the_page_counts_once(client, world, wave):
    parent = world["parents5"][0]
    client.force_login(parent)
    url = reverse("monitor:answer", args=[wave.pk])
    assert client.post(url, ALL_FOURS).status_code == 302
    again = client.post(url, ALL_FOURS)
    assert "al ingevuld" in again.content.decode()
    assert Response.objects.filter(wave=wave).count() == 1


def test_answer_page_keeps_no_trace_and_refuses_the_uninvited(client, world, wave):
    client.force_login(world["other_ib"])
    assert client.get(reverse("monitor:answer", args=[wave.pk])).status_code == 404
    with pytest.raises(ValidationError, match="niet uitgenodigd"):
        services.submit(wave, world["other_ib"], ALL_FOURS)


def test_empty_or_tampered_answers_get_a_dutch_message(world, wave):
    with pytest.raises(ValidationError, match="nog geen enkele vraag"):
        services.submit(wave, world["parents5"][0], {})
    with pytest.raises(ValidationError, match="Kies bij elke vraag"):
        services.submit(wave, world["parents5"][0], {"p1": "9"})
    assert not Participant.objects.filter(wave=wave, answered=True).exists(), "nothing counted"


def test_children_answer_once_with_a_code_not_tied_to_them(client, world, wave):
    codes = list(ChildCode.objects.filter(wave=wave).values_list("code", flat=True))
    assert len(codes) == 11, "one code per pupil from groep 5"
    data = {f"k{i}": "5" for i in range(1, 10)} | {"answers": "1", "code": codes[0]}
    page = client.post(reverse("monitor:child"), data)
    assert "Dank je wel" in page.content.decode()
    again = client.post(reverse("monitor:child"), data)
    assert "al gebruikt" in again.content.decode()
    assert Response.objects.filter(wave=wave, perspective="child").count() == 1
    assert client.post(reverse("monitor:child"), {"code": "NIETGOED"}).status_code == 200


def test_invitations_and_reminders_go_through_the_notifications(world, wave):
    invited = Notification.objects.filter(key=f"monitor-invite:{wave.pk}")
    assert invited.count() == Participant.objects.filter(wave=wave).count() >= 11 + 3
    answer(wave, world["parents5"][:1])
    sent = services.send_reminders(wave)
    assert sent == Participant.objects.filter(wave=wave, answered=False).count()
    assert not Notification.objects.filter(user=world["parents5"][0], key__startswith="monitor-reminder").exists()


# --- thresholds ------------------------------------------------------------------------------------------------


def test_a_wave_for_a_group_of_three_is_withheld_with_the_reason(client, world):
    wave = start(world, groups=[world["g6"]], perspectives=["parent"])
    answer(wave, world["parents6"])
    result = results.wave_result(wave)
    assert "3 antwoorden" in result.withheld and "vanaf 5" in result.withheld
    assert all(not c.shown for _k, _l, cells in result.rows() for c in cells)
    client.force_login(world["ib"])
    page = client.get(reverse("monitor:wave", args=[wave.pk])).content.decode()
    assert "Deze peiling heeft 3 antwoorden" in page and '<svg class="chart"' not in page


def test_five_answers_are_shown_four_are_not(world, wave):
    answer(wave, world["parents5"][:4])
    assert not results.wave_result(wave).cell("parent", "korte-lijntjes").shown
    answer(wave, world["parents5"][4:5])
    cell = results.wave_result(wave).cell("parent", "korte-lijntjes")
    assert cell.shown and cell.mean == 4.0 and cell.n == 5


def test_each_key_and_perspective_has_its_own_threshold(world, wave):
    answer(wave, world["parents5"][:5], {**ALL_FOURS, "p10": ""})  # 'weet ik niet' on one item
    answer(wave, world["parents5"][5:6])
    result = results.wave_result(wave)
    assert result.cell("parent", "relaties").shown
    assert not result.cell("parent", "ontschotten").shown, "only 1 answer on that key"
    assert not result.cell("professional", "relaties").shown, "no professional answered"


def test_class_filter_withholds_small_classes_and_complements(world, wave):
    answer(wave, world["parents5"])  # 8 parents: the class is stored for the last 4 only
    answer(wave, world["parents6"])
    by_class = results.wave_result(wave, group=world["g5"])
    assert not by_class.cell("parent", "relaties").shown, "4 stored with the class: fewer than 5"
    assert results.wave_result(wave).cell("parent", "relaties").shown, "11 for the school"
    assert results.wave_result(wave, group=world["g6"]).withheld


def test_class_result_is_withheld_when_the_rest_of_the_school_would_be_fewer_than_five(world):
    from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

    for i in range(3):  # groep 5 has 11 parents now
        world["parents5"].append(GuardianshipFactory(child=ChildFactory(group=world["g5"]), user=UserFactory()).user)
    wave = start(world, groups=[world["g5"], world["g6"]], perspectives=["parent"])
    answer(wave, world["parents5"])  # 11 answers, the last 7 with the class: the rest (4) would show by subtraction
    school = results.wave_result(wave).cell("parent", "relaties")
    klass = results.wave_result(wave, group=world["g5"]).cell("parent", "relaties")
    assert school.shown and school.n == 11
    assert not klass.shown and "samen met het schoolresultaat" in klass.withheld
    answer(wave, world["parents6"][:1])  # one more for the school: 12 - 7 = 5, so the class may show
    assert results.wave_result(wave, group=world["g5"]).cell("parent", "relaties").shown


def test_perspective_filter_keeps_the_threshold(world, wave):
    answer(wave, world["parents5"][:5])
    assert results.wave_result(wave, perspective="parent").cell("parent", "relaties").shown
    only_pro = results.wave_result(wave, perspective="professional")
    assert only_pro.perspectives == ["professional"] and not only_pro.cell("professional", "relaties").shown


def test_differences_and_weakest_keys_suggest_recommendations(client, world, wave):
    low = {**ALL_FOURS, "p2": "2"}
    answer(wave, world["parents5"][:5], low)
    pros = list(Participant.objects.filter(wave=wave, perspective="professional").select_related("user"))
    extra = [p.user for p in pros]
    from apps.organisations.models import Role
    from tests.factories import UserFactory, staff

    while len(extra) < 5:
        u = staff(Role.TEACHER, school=world["school"], user=UserFactory(is_demo=True))
        Participant.objects.create(wave=wave, user=u, perspective="professional")
        extra.append(u)
    for u in extra:
        services.submit(wave, u, {f"w{i}": "4" for i in range(1, 14)})
    result = results.wave_result(wave)
    assert result.difference_texts()[0] == "ouders: korte lijntjes 2,0 — professionals 4,0"
    assert result.weakest_keys()[0] == "korte-lijntjes"
    client.force_login(world["director"])
    page = client.get(reverse("monitor:wave", args=[wave.pk])).content.decode()
    assert "ouders: korte lijntjes 2,0 — professionals 4,0" in page
    assert "8.1 Investeer in de relatie" in page, "the recommendation that fits the weakest key"
    assert "<svg" in page and "<table>" in page and 'role="img"' in page


# --- policy ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher", "other_ib", "parent"])
def test_wrong_person_is_refused_and_logged(client, world, wave, caplog, who):
    user = world["parents5"][0] if who == "parent" else world[who]
    client.force_login(user)
    with caplog.at_level(logging.INFO):
        for url in (reverse("monitor:wave", args=[wave.pk]), reverse("monitor:export", args=[wave.pk]),
                    reverse("monitor:codes", args=[wave.pk])):  # fmt: skip
            assert client.get(url).status_code == 403, url
        assert client.post(reverse("monitor:act", args=[wave.pk]), {"key": "relaties"}).status_code == 403
        assert client.post(reverse("monitor:remind", args=[wave.pk])).status_code == 403
    refusals = [r for r in caplog.records if getattr(r, "event", "") == "monitor_refused"]
    assert len(refusals) == 5
    assert not ActionItem.objects.exists()


def test_director_and_ib_run_a_wave_through_the_page(client, world):
    client.force_login(world["director"])
    page = client.post(
        reverse("monitor:create"),
        {"school": world["school"].pk, "title": "Voorjaar", "closes_on": "2099-01-01",
         "perspectives": ["parent"], "groups": [world["g5"].pk]},
    )  # fmt: skip
    assert page.status_code == 302
    assert Participant.objects.filter(wave__title="Voorjaar").count() == 8


def test_teacher_may_not_start_a_wave(client, world, caplog):
    client.force_login(world["teacher"])
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("monitor:create")).status_code == 403
    assert any(getattr(r, "event", "") == "monitor_refused" for r in caplog.records)


def test_bad_wave_input_gets_dutch_messages(world):
    with pytest.raises(ValidationError, match="minstens één groep"):
        services.start_wave(
            school=world["school"], by=world["ib"], title="x", closes_on=date(2099, 1, 1), groups=[],
            perspectives=["parent"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="verleden"):
        services.start_wave(
            school=world["school"], by=world["ib"], title="x", closes_on=date(2000, 1, 1), groups=[world["g5"]],
            perspectives=["parent"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="vanaf groep 5"):
        from tests.factories import GroupFactory

        start(world, groups=[GroupFactory(school=world["school"], year_level=3)], perspectives=["child"])
    with pytest.raises(ValidationError, match="andere school"):
        from tests.factories import GroupFactory

        start(world, groups=[GroupFactory(school=world["other"])], perspectives=["parent"])


# --- CSV, action, API ------------------------------------------------------------------------------------------


def test_csv_has_aggregates_only(client, world, wave):
    answer(wave, world["parents5"][:5])
    answer(wave, world["parents6"][:1])
    client.force_login(world["ib"])
    body = client.get(reverse("monitor:export", args=[wave.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:4] == ["peiling", "perspectief", "sleutel", "aantal antwoorden"]
    parent_relaties = next(r for r in rows if r[1] == "ouders" and r[2] == "duurzame relaties")
    assert parent_relaties[3:5] == ["6", "4,0"]
    pro = next(r for r in rows if r[1] == "professionals" and r[2] == "duurzame relaties")
    assert pro[3] == "minder dan 5" and pro[4] == ""
    for parent in world["parents5"]:
        assert parent.full_name not in body and parent.email not in body


def test_a_result_becomes_an_action_with_the_key_as_principle(client, world, wave):
    answer(wave, world["parents5"][:5])
    client.force_login(world["ib"])
    page = client.post(reverse("monitor:act", args=[wave.pk]), {"key": "korte-lijntjes"}, follow=True)
    action = ActionItem.objects.get(school=world["school"])
    assert [p.name for p in action.principles.all()] == ["korte lijntjes"]
    assert action.owner == world["ib"]
    assert KnowledgeLink.objects.filter(object_id=action.pk, recommendation__code="8.1").exists()
    assert "8.1" in page.content.decode()
    action_page = client.get(reverse("meetings:action", args=[action.pk])).content.decode()
    assert "Uit de kennisbank" in action_page and "8.1 Investeer" in action_page


def test_api_gives_aggregates_with_the_same_thresholds(client, world, wave):
    answer(wave, world["parents5"][:5])
    client.force_login(world["ib"])
    listing = client.get("/api/v1/monitor/waves/").json()
    assert [w["id"] for w in listing["results"] if "results" in listing] or listing
    data = client.get(f"/api/v1/monitor/waves/{wave.pk}/").json()
    keys = {k["key"]: k["perspectives"] for k in data["result"]["keys"]}
    assert keys["relaties"]["parent"] == {"mean": 4.0, "n": 5, "withheld": ""}
    assert keys["relaties"]["professional"]["mean"] is None and keys["relaties"]["professional"]["withheld"]
    small = client.get(f"/api/v1/monitor/waves/{wave.pk}/?group={world['g6'].pk}").json()
    assert small["result"]["withheld"]
    assert "user" not in str(data) and "participant" not in str(data)
    client.force_login(world["other_ib"])
    assert client.get(f"/api/v1/monitor/waves/{wave.pk}/").status_code == 404


def test_guessing_children_codes_is_limited(client, world, wave, settings):
    settings.DRIEHOEK_RATE_LIMITS = {**settings.DRIEHOEK_RATE_LIMITS, "monitor_code": "3/1h/ip"}
    for _i in range(3):
        assert client.post(reverse("monitor:child"), {"code": "RADEN123"}).status_code == 200
    assert client.post(reverse("monitor:child"), {"code": "RADEN124"}).status_code == 429


def test_automatic_reminder_three_days_before_closing_once_a_day(world):
    from datetime import timedelta

    from django.utils import timezone

    wave = start(world, groups=[world["g6"]], perspectives=["parent"])
    answer(wave, world["parents6"][:1])
    closing_minus_3 = wave.closes_on - timedelta(days=3)
    assert services.send_due_reminders(timezone.localdate()) == 0, "two weeks before closing: not yet"
    assert services.send_due_reminders(closing_minus_3) == 2
    services.send_due_reminders(closing_minus_3)  # a second run the same day sends nothing new
    assert Notification.objects.filter(key__startswith=f"monitor-reminder:{wave.pk}:").count() == 2


def test_the_table_marks_the_keys_where_perspectives_differ_most(world, wave):
    answer(wave, world["parents5"][:5], {**ALL_FOURS, "p2": "1"})
    for _i in range(5):
        from apps.organisations.models import Role
        from tests.factories import UserFactory, staff

        u = staff(Role.TEACHER, school=world["school"], user=UserFactory(is_demo=True))
        Participant.objects.create(wave=wave, user=u, perspective="professional")
        services.submit(wave, u, {f"w{i}": "4" for i in range(1, 14)})
    marked = [key for key, _l, _c, differs in results.wave_result(wave).table_rows() if differs]
    assert marked == ["korte-lijntjes"], "only where two perspectives are shown and differ"
