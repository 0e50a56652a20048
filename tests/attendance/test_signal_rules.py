"""The absence rules at their boundaries, and over random registers and calendars (hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.attendance import signals as rules

START = date(2026, 8, 31)  # a Monday
END = date(2027, 7, 9)


def cal(holidays=()):
    return rules.Calendar(START, END, holidays)


def school_days(n, after=START, calendar=None):
    calendar = calendar or cal()
    return calendar.days[calendar.days.index(after) : calendar.days.index(after) + n]


# --- boundaries ---------------------------------------------------------------------------------


def test_weekends_and_holidays_are_not_school_days():
    c = cal([(date(2026, 10, 19), date(2026, 10, 23))])
    assert not c.is_school_day(date(2026, 9, 5))  # Saturday
    assert not c.is_school_day(date(2026, 10, 21))
    assert c.count(date(2026, 10, 16), date(2026, 10, 26)) == 2


def test_the_fourth_sick_report_within_twelve_school_weeks_fires_and_the_third_does_not():
    c = cal()
    days = [c.days[0], c.days[10], c.days[20]]
    assert rules.mazl_frequent(days, c) == []
    assert rules.mazl_frequent([*days, c.days[59]], c) == [c.days[59]]  # 60 school days: still inside


def test_a_report_just_outside_twelve_school_weeks_does_not_count():
    c = cal()
    assert rules.mazl_frequent([c.days[0], c.days[10], c.days[20], c.days[60]], c) == []


def test_a_holiday_stretches_the_twelve_weeks_in_calendar_time():
    holiday = (date(2026, 10, 19), date(2026, 10, 23))  # autumn holiday inside the window
    c = cal([holiday])
    first = c.days[0]
    fourth = c.days[59]
    assert fourth > first + timedelta(weeks=12)  # more than 12 calendar weeks, still 12 school weeks
    assert rules.mazl_frequent([first, c.days[5], c.days[9], fourth], c) == [fourth]


def test_consecutive_sick_days_are_one_report():
    c = cal()
    assert rules.mazl_frequent(school_days(6, calendar=c), c) == []


def test_the_seventh_consecutive_sick_school_day_fires_across_a_weekend():
    c = cal()
    six, seven = school_days(6, calendar=c), school_days(7, calendar=c)
    assert rules.mazl_long(six, c) == []
    assert rules.mazl_long(seven, c) == [(seven[0], seven[6])]
    assert seven[6].weekday() == 1  # Tuesday of the second week


def test_sixteen_hours_fire_fifteen_and_a_half_do_not():
    c = cal()
    days = school_days(3, calendar=c)
    almost = {days[0]: Decimal(5), days[1]: Decimal(5), days[2]: Decimal("5.5")}
    assert rules.duo_reports(almost, c) == []
    report = rules.duo_reports({**almost, days[2]: Decimal(6)}, c)
    assert report == [rules.DuoReport(days[0], days[2], Decimal(16))]


def test_hours_outside_four_school_weeks_do_not_add_up():
    c = cal()
    assert rules.duo_reports({c.days[0]: Decimal(8), c.days[20]: Decimal(8)}, c) == []
    assert rules.duo_reports({c.days[0]: Decimal(8), c.days[19]: Decimal(8)}, c)[0].hours == 16


def test_counting_starts_again_the_day_after_a_report_and_at_most_one_report_a_week():
    c = cal()
    days = school_days(10, calendar=c)  # two full weeks of 6 hours a day
    reports = rules.duo_reports({d: Decimal(6) for d in days}, c)
    assert reports[0] == rules.DuoReport(days[0], days[2], Decimal(18))
    # The next 16 hours are full on day 6, but the next report waits for 7 calendar days.
    assert reports[1].first_day == days[3]
    assert (reports[1].last_day - reports[0].last_day).days >= 7


def test_the_duo_deadline_is_five_working_days():
    report = rules.DuoReport(date(2026, 9, 1), date(2026, 9, 4), Decimal(16))  # a Friday
    assert rules.duo_deadline(report) == date(2026, 9, 11)


def test_lrv_after_more_than_four_school_weeks():
    c = cal()
    assert rules.lrv(school_days(20, calendar=c), c) == []
    days = school_days(21, calendar=c)
    assert rules.lrv(days, c) == [(days[0], days[20])]


def test_luxe_verzuim_fires_at_once_per_spell():
    c = cal()
    days = school_days(3, calendar=c)
    assert rules.luxe(days, c) == [days[0]]


def test_three_mondays_within_six_school_weeks_are_a_pattern():
    c = cal()
    mondays = [d for d in c.days if d.weekday() == 0]
    assert rules.pattern(mondays[:2], c) == []
    assert rules.pattern(mondays[:3], c) == [mondays[2]]
    assert rules.pattern([mondays[0], mondays[3], mondays[6]], c) == []  # spread over more than 6 weeks


def test_a_long_illness_is_not_a_weekday_pattern():
    c = cal()
    assert rules.pattern(school_days(15, calendar=c), c) == []


# --- properties -----------------------------------------------------------------------------------

holidays_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 14)).map(
        lambda t: (START + timedelta(days=t[0]), START + timedelta(days=t[0] + t[1]))
    ),
    max_size=4,
)
offsets = st.lists(st.integers(0, 311), max_size=60)


def brute_force_duo(hours_by_day, c, t=rules.Thresholds()):
    """DUO's rule said the slow way: walk every school day and look back over 20 school days."""
    reports, restart = [], None
    for day in c.days:
        if hours_by_day.get(day, 0) <= 0:
            continue
        window = [
            d
            for d in c.days
            if d <= day and c.count(d, day) <= 20 and (restart is None or d > restart) and hours_by_day.get(d, 0) > 0
        ]
        total = sum((Decimal(hours_by_day[d]) for d in window), Decimal(0))
        if total >= t.duo_hours and not (reports and (day - reports[-1].last_day).days < 7):
            reports.append(rules.DuoReport(window[0], day, total))
            restart = day
    return reports


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, st.dictionaries(st.integers(0, 311), st.integers(1, 6), max_size=60))
def test_duo_reports_exactly_when_sixteen_hours_fall_within_four_school_weeks(holidays, raw):
    c = cal(holidays)
    hours = {START + timedelta(days=k): Decimal(v) for k, v in raw.items()}
    reports = rules.duo_reports(hours, c)
    assert reports == brute_force_duo(hours, c)
    for a, b in zip(reports, reports[1:], strict=False):
        assert b.first_day > a.last_day  # counting starts again the next day
        assert (b.last_day - a.last_day).days >= 7
    for r in reports:
        assert r.hours >= 16 and c.is_school_day(r.first_day) and c.is_school_day(r.last_day)


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, offsets)
def test_holiday_and_weekend_days_never_count(holidays, raw):
    c = cal(holidays)
    days = {START + timedelta(days=k) for k in raw}
    only_school = {d for d in days if c.is_school_day(d)}
    assert rules.mazl_frequent(days, c) == rules.mazl_frequent(only_school, c)
    assert rules.mazl_long(days, c) == rules.mazl_long(only_school, c)
    assert rules.pattern(days, c) == rules.pattern(only_school, c)
    hours = {d: Decimal(4) for d in days}
    assert rules.duo_reports(hours, c) == rules.duo_reports({d: Decimal(4) for d in only_school}, c)


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, offsets)
def test_mazl_fires_exactly_at_the_fourth_report_since_the_last_signal(holidays, raw):
    c = cal(holidays)
    days = {START + timedelta(days=k) for k in raw}
    starts = [s[0] for s in rules.spells(days, c)]
    expected, counted = [], []
    for s in starts:  # the rule again, written as a count over a list of report days
        counted = [d for d in counted if len([x for x in c.days if d <= x <= s]) <= 60] + [s]
        if len(counted) == 4:
            expected.append(s)
            counted = []
    assert rules.mazl_frequent(days, c) == expected


@settings(max_examples=60, deadline=None)
@given(holidays_strategy, offsets)
def test_a_long_spell_fires_once_on_its_seventh_school_day(holidays, raw):
    c = cal(holidays)
    days = {START + timedelta(days=k) for k in raw}
    for first, seventh in rules.mazl_long(days, c):
        assert c.count(first, seventh) == 7
        assert all(d in days for d in c.days if first <= d <= seventh)
