"""School days: Monday to Friday, minus the school's holidays. Deadlines in the seeds count these."""

from datetime import date, timedelta


def is_school_day(day: date, holidays=()) -> bool:
    """Monday–Friday and not inside one of the school's holidays (`(first, last)` date pairs, inclusive)."""
    return day.weekday() < 5 and not any(first <= day <= last for first, last in holidays)


def add_school_days(day: date, n: int, holidays=()) -> date:
    """The date `n` school days after `day`."""
    holidays = list(holidays)
    while n > 0:
        day += timedelta(days=1)
        if is_school_day(day, holidays):
            n -= 1
    return day
