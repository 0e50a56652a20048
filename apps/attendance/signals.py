"""The absence rules (docs/absence.md), each a plain function over dates: no database, no clock.

Every rule counts school days from the school's calendar (`Calendar`): weekends and the school's
holidays never count. A rule gets the days (or hours per day) of one pupil and returns the moments
it fires; the caller stores each as a `Signal` keyed by (pupil, rule, day), so running a rule twice
changes nothing.

- MAZL, frequent: the Nth sick report (default 4th) within 12 school weeks. A "report" is one spell
  of sickness: consecutive sick school days are one report. After a signal the count starts again.
- MAZL, long: the 7th consecutive sick school day (one signal per spell).
- DUO: 16 hours of unauthorised absence within 4 consecutive school weeks. Counting starts again the
  day after a report; while the absence goes on there is at most one report per 7 calendar days; the
  school has 5 working days to file it.
- LRV: unauthorised absence for longer than 4 school weeks in a row (the 21st school day).
- Luxe verzuim: at once, one signal per spell.
- Pattern: short absences (spells of at most 2 school days) on the same weekday, or on the school's
  test days, 3 times within 6 school weeks; after a signal the count for that group starts again.

A school week is five school days, so "12 school weeks" is the last 60 school days.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

DAYS_PER_WEEK = 5


@dataclass(frozen=True)
class Thresholds:
    """The numbers in the rules; a school may change them (`AttendanceSettings`). Defaults: DOMAIN rules R10–R11."""

    mazl_reports: int = 4
    mazl_school_weeks: int = 12
    mazl_consecutive_days: int = 7
    duo_hours: Decimal = Decimal(16)
    duo_school_weeks: int = 4
    duo_min_days_between: int = 7
    duo_working_days_to_report: int = 5
    lrv_school_weeks: int = 4
    pattern_count: int = 3
    pattern_school_weeks: int = 6
    pattern_max_spell: int = 2


class Calendar:
    """The school days between `first` and `last`: Monday–Friday outside the holidays (inclusive pairs).

    `test_days` are the school's test days (toetsdagen); only those that are school days are kept."""

    def __init__(self, first: date, last: date, holidays=(), test_days=()):
        holidays = sorted(holidays)
        days = []
        day = first
        while day <= last:
            if day.weekday() < 5 and not any(a <= day <= b for a, b in holidays):
                days.append(day)
            day += timedelta(days=1)
        self.first, self.last = first, last
        self.days = days
        self._set = set(days)
        self.test_days = frozenset(d for d in test_days if d in self._set)

    def is_school_day(self, day: date) -> bool:
        return day in self._set

    def count(self, a: date, b: date) -> int:
        """School days in [a, b]."""
        return max(0, bisect_right(self.days, b) - bisect_left(self.days, a))

    def next_school_day(self, day: date) -> date | None:
        i = bisect_right(self.days, day)
        return self.days[i] if i < len(self.days) else None

    def school_days(self, days) -> list[date]:
        return sorted(d for d in set(days) if d in self._set)


def spells(days, cal: Calendar) -> list[list[date]]:
    """Consecutive school days grouped. Friday and the next Monday are consecutive, and so are the days
    either side of a holiday."""
    result: list[list[date]] = []
    for day in cal.school_days(days):
        if result and cal.next_school_day(result[-1][-1]) == day:
            result[-1].append(day)
        else:
            result.append([day])
    return result


def mazl_frequent(sick_days, cal: Calendar, t: Thresholds = Thresholds()) -> list[date]:
    """The first day of each sick report that is the Nth within the school-week window."""
    window = t.mazl_school_weeks * DAYS_PER_WEEK
    fired, counted = [], []
    for spell in spells(sick_days, cal):
        start = spell[0]
        counted = [d for d in counted if cal.count(d, start) <= window]
        counted.append(start)
        if len(counted) >= t.mazl_reports:
            fired.append(start)
            counted = []
    return fired


def mazl_long(sick_days, cal: Calendar, t: Thresholds = Thresholds()) -> list[tuple[date, date]]:
    """(first day, the Nth consecutive sick school day) for each spell that lasts that long."""
    n = t.mazl_consecutive_days
    return [(spell[0], spell[n - 1]) for spell in spells(sick_days, cal) if len(spell) >= n]


@dataclass(frozen=True)
class DuoReport:
    first_day: date  # the first day of absence in the report
    last_day: date  # the day the limit was reached
    hours: Decimal


def duo_reports(hours_by_day: dict, cal: Calendar, t: Thresholds = Thresholds()) -> list[DuoReport]:
    """Reports of unauthorised absence as DUO asks: the limit within the window, counting again the next day."""
    window = t.duo_school_weeks * DAYS_PER_WEEK
    reports: list[DuoReport] = []
    counted: list[tuple[date, Decimal]] = []
    for day in cal.school_days(d for d, h in hours_by_day.items() if h > 0):
        counted = [(d, h) for d, h in counted if cal.count(d, day) <= window]
        counted.append((day, Decimal(hours_by_day[day])))
        total = sum((h for _d, h in counted), Decimal(0))
        too_soon = reports and (day - reports[-1].last_day).days < t.duo_min_days_between
        if total >= t.duo_hours and not too_soon:
            reports.append(DuoReport(counted[0][0], day, total))
            counted = []
    return reports


def add_working_days(day: date, n: int) -> date:
    """Working days are Monday–Friday; school holidays are working days for the school's office."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def duo_deadline(report: DuoReport, t: Thresholds = Thresholds()) -> date:
    return add_working_days(report.last_day, t.duo_working_days_to_report)


def lrv(unauthorised_days, cal: Calendar, t: Thresholds = Thresholds()) -> list[tuple[date, date]]:
    """(first day, the day it passed the limit) for each spell longer than the limit in school weeks."""
    n = t.lrv_school_weeks * DAYS_PER_WEEK + 1
    return [(spell[0], spell[n - 1]) for spell in spells(unauthorised_days, cal) if len(spell) >= n]


def luxe(luxe_days, cal: Calendar) -> list[date]:
    """The first day of each spell of (suspected) luxe verzuim: it is reported at once."""
    return [spell[0] for spell in spells(luxe_days, cal)]


TEST_DAYS = "test_days"  # the pattern's group for absences on the school's test days


def pattern(absent_days, cal: Calendar, t: Thresholds = Thresholds(), test_days=None) -> list[date]:
    """The day a group of short absences completes its count within the window.

    A group is one weekday (all Mondays, all Tuesdays, ...) or the school's test days (toetsdagen): a short
    absence on a test day counts for its weekday and for the test days. After a signal the count of that
    group starts again; a day that completes both groups gives one signal. Without `test_days` the
    calendar's test days count."""
    return [day for day, _groups in pattern_groups(absent_days, cal, t, test_days)]


def pattern_groups(absent_days, cal: Calendar, t: Thresholds = Thresholds(), test_days=None) -> list[tuple]:
    """As `pattern`, with the groups that fired on each day: weekday numbers (0 is Monday) and/or TEST_DAYS."""
    window = t.pattern_school_weeks * DAYS_PER_WEEK
    tests = cal.test_days if test_days is None else {d for d in test_days if cal.is_school_day(d)}
    short = sorted(d for spell in spells(absent_days, cal) if len(spell) <= t.pattern_max_spell for d in spell)
    counted: dict = {}
    fired = []
    for day in short:
        groups = [day.weekday()] + ([TEST_DAYS] if day in tests else [])
        completed = []
        for group in groups:
            same = [d for d in counted.get(group, []) if cal.count(d, day) <= window]
            same.append(day)
            if len(same) >= t.pattern_count:
                completed.append(group)
                same = []
            counted[group] = same
        if completed:
            fired.append((day, tuple(completed)))
    return fired


# --- leave (verlof), DOMAIN rule R12 -----------------------------------------------------------------

LEAVE_DIRECTOR_MAX_DAYS = 10
LEAVE_NOT_IN_FIRST_SCHOOL_DAYS = 10  # "not in the first two weeks of the school year"


def leave_decided_by(days_used: int, days_requested: int, limit: int = LEAVE_DIRECTOR_MAX_DAYS) -> str:
    """The director decides up to `limit` school days in a school year in total; beyond that the leerplichtambtenaar."""
    return "director" if days_used + days_requested <= limit else "officer"


def school_year_start(cal: Calendar, day: date) -> date:
    """The first school day on or after 1 August before `day` (after the summer holiday, when the school entered it)."""
    august = date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    start = cal.next_school_day(august - timedelta(days=1))
    return start or august


def in_first_two_weeks(first_day: date, cal: Calendar) -> bool:
    start = school_year_start(cal, first_day)
    return first_day >= start and cal.count(start, first_day) <= LEAVE_NOT_IN_FIRST_SCHOOL_DAYS
