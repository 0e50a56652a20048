"""The absence overview per school and class, and the CSV export of a period (issue 11, items 7 and 8)."""

import logging
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.attendance import overview
from apps.attendance.models import Absence, Reason, Rule, Signal, Step
from apps.audit.models import AccessLogEntry
from apps.conversations.models import Conversation
from apps.conversations.models import Kind as ConversationKind
from apps.organisations.models import Group, Role
from tests.factories import ChildFactory, GroupFactory, SchoolFactory, UserFactory, reauthenticated, staff

PERIOD = {"van": "2026-09-28", "tot": "2026-10-02"}  # Monday to Friday: five school days


@pytest.fixture
def register(school, group, child, ib, morning):
    """Two classes of two pupils; a week of registrations, open and closed signals, two conversations."""
    other = GroupFactory(school=school, name="Groep 7")
    sam = ChildFactory(group=group, school=school, first_name="Sam", last_name="=SOM(A1)")
    ada = ChildFactory(group=other, school=school, first_name="=Ada")
    ChildFactory(group=other, school=school, first_name="Bo")
    by = UserFactory(full_name="@juf Els")
    rows = [
        (child, date(2026, 9, 28), Reason.SICK, "5.5"),
        (child, date(2026, 9, 29), Reason.SICK, "5.5"),
        (child, date(2026, 9, 30), Reason.LEAVE, "5.5"),
        (sam, date(2026, 10, 1), Reason.UNAUTHORISED, "2"),
        (sam, date(2026, 10, 2), Reason.PRESENT, "0"),
        (ada, date(2026, 10, 2), Reason.LATE, "0.5"),
        (ada, date(2026, 10, 5), Reason.SICK, "5.5"),  # after the period
    ]
    for pupil, day, reason, hours in rows:
        Absence.objects.create(child=pupil, day=day, reason=reason, hours=Decimal(hours), recorded_by=by)

    def signal(pupil, day, rule=Rule.MAZL_FREQUENT, closed=False):
        return Signal.objects.create(
            child=pupil,
            school=school,
            rule=rule,
            first_day=day,
            day=day,
            step=Step.CONTACT,
            closed_at=timezone.now() if closed else None,
        )

    signal(child, date(2026, 9, 15))  # open, old (outside the period)
    signal(child, date(2026, 9, 28), Rule.PATTERN)  # open, 6 school days: conversation after 6 school days
    signal(sam, date(2026, 9, 29))  # open, 5 school days: conversation after 3 school days
    signal(ada, date(2026, 9, 30), closed=True)
    signal(ada, date(2026, 10, 1), Rule.DUO)  # open, 3 school days

    def conversation(pupil, created):
        start = timezone.make_aware(datetime(2026, 10, 12, 15, 0))
        Conversation.objects.create(
            child=pupil,
            kind=ConversationKind.ABSENCE,
            purpose="verzuim",
            starts_at=start,
            ends_at=start,
            organiser=ib,
            created_at=timezone.make_aware(created),
        )

    conversation(sam, datetime(2026, 10, 2, 9, 0))
    conversation(child, datetime(2026, 10, 6, 7, 0))
    return {"other": other, "sam": sam, "ada": ada}


def test_numbers_on_a_small_register(register, school, ib):
    groups = list(Group.objects.filter(school=school).order_by("name"))
    data = overview.build(ib, school, groups, date(2026, 9, 28), date(2026, 10, 2))
    assert data.school_days == 5
    six, seven = data.rows
    assert (six.pupils, six.sick, six.authorised, six.unauthorised) == (2, 2, 1, 1)
    assert [pct for _label, _n, pct in six.bars] == [Decimal("10.0"), Decimal("10.0"), Decimal("20.0")]
    assert (seven.pupils, seven.sick, seven.authorised, seven.unauthorised) == (2, 0, 0, 1)
    assert data.total.pupil_days == 20
    assert [pct for _label, _n, pct in data.total.bars] == [Decimal("5.0"), Decimal("10.0"), Decimal("10.0")]
    assert [n for _label, n in data.open_by_age] == [2, 1, 1]
    assert (data.signals, data.with_conversation) == (4, 1)


def test_page_shows_chart_and_table_for_the_ib(register, school, ib, login):
    response = login(ib).get(reverse("attendance:overview", args=[school.pk]), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg aria-hidden="true"' in html and "<table>" in html
    assert "1 van de 4 signalen" in html
    one_class = login(ib).get(
        reverse("attendance:overview", args=[school.pk]), {**PERIOD, "groep": register["other"].pk}
    )
    assert one_class.status_code == 200 and "Groep 7" in one_class.content.decode()


def test_default_period_is_the_school_year_so_far(school):
    first, last = overview.parse_period({}, school.pk, today=date(2026, 10, 6))
    assert (first, last) == (date(2026, 8, 3), date(2026, 10, 6))


@pytest.mark.parametrize(
    "params", [{"van": "2026-13-01"}, {"tot": "gisteren"}, {"van": "2026-10-02", "tot": "2026-09-01"}]
)
def test_invalid_dates_are_a_dutch_400(register, school, ib, login, params):
    client = reauthenticated(login(ib))
    for name in ("attendance:overview", "attendance:overview_export"):
        response = client.get(reverse(name, args=[school.pk]), params)
        assert response.status_code == 400
        assert "datum" in response.content.decode().lower()


def test_teacher_sees_own_class_only_and_others_are_refused(register, school, group, teacher, login, caplog):
    client = reauthenticated(login(teacher))
    url = reverse("attendance:overview", args=[school.pk])
    assert client.get(url, PERIOD).status_code == 200
    with caplog.at_level(logging.INFO):
        assert client.get(url, {**PERIOD, "groep": register["other"].pk}).status_code == 403
        assert client.get(reverse("attendance:overview_export", args=[school.pk]), PERIOD).status_code == 403
    assert any(getattr(r, "event", "") == "overview_denied" for r in caplog.records)
    outsider = staff(Role.IB, school=SchoolFactory())
    with caplog.at_level(logging.INFO):
        caplog.clear()
        assert login(outsider).get(url, PERIOD).status_code == 403
    assert any(getattr(r, "event", "") == "overview_denied" for r in caplog.records)


def test_teacher_numbers_cover_own_class(register, school, group, teacher):
    from apps.attendance.permissions import overview_groups

    groups = list(overview_groups(teacher, school))
    assert groups == [group]
    data = overview.build(teacher, school, groups, date(2026, 9, 28), date(2026, 10, 2))
    assert data.total.pupils == 2 and data.total.sick == 2


def test_csv_export_content_formula_prefix_and_log(register, school, child, ib, login):
    client = reauthenticated(login(ib))
    response = client.get(reverse("attendance:overview_export", args=[school.pk]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Leerling;Groep;Datum;Reden;Uren;Geregistreerd door"
    assert len(lines) == 1 + 5  # the "present" row and the day after the period are left out
    assert "Noor" in lines[1] and "2026-09-28" in lines[1] and "ziek" in lines[1] and "5,50" in lines[1]
    sam = [line for line in lines if line.startswith("Sam")]
    assert sam == ["Sam =SOM(A1);Groep 6;2026-10-01;ongeoorloofd afwezig;2,00;'@juf Els"]  # only a first =
    assert [line for line in lines if "Ada" in line] == [
        "'=Ada " + register["ada"].last_name + ";Groep 7;2026-10-02;te laat;0,50;'@juf Els"
    ]
    entries = AccessLogEntry.objects.filter(object_label="de verzuimexport")
    assert {(e.child_id, e.action, e.category, e.allowed) for e in entries} == {
        (register["sam"].pk, "export", "health", True),
        (register["ada"].pk, "export", "health", True),
        (child.pk, "export", "health", True),
    }


def test_safe_cell():
    assert [overview.safe_cell(v) for v in ("=1+1", "+31", "-2", "@x", "Noor", None)] == [
        "'=1+1",
        "'+31",
        "'-2",
        "'@x",
        "Noor",
        "",
    ]


def test_overview_queries_do_not_grow_with_the_pupils(
    register, school, group, ib, login, django_assert_max_num_queries
):
    client = login(ib)
    url = reverse("attendance:overview", args=[school.pk])
    client.get(url, PERIOD)
    with django_assert_max_num_queries(20) as small:
        client.get(url, PERIOD)
    for i in range(15):
        pupil = ChildFactory(group=group, school=school)
        Absence.objects.create(child=pupil, day=date(2026, 9, 29), reason=Reason.SICK, recorded_by=ib)
        Signal.objects.create(
            child=pupil, school=school, rule=Rule.MAZL_LONG, first_day=date(2026, 9, 29), day=date(2026, 9, 29), step=2
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url, PERIOD)
    assert response.status_code == 200
