"""Dates of the family's rights and of retention (docs/inspection-and-retention.md, R5–R7, R9)."""

import calendar
from datetime import date, timedelta

from django.conf import settings


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that month is shorter (31 Jan + 1 = 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def inspection_due_on(received: date) -> date:
    """GDPR art. 12(3): one month after receipt (R5)."""
    return add_months(received, settings.INSPECTION_ANSWER_MONTHS)


def latest_extension(due_on: date) -> date:
    """At most two months more, for a complex or large request, with a reason the requester sees (R5)."""
    return add_months(due_on, settings.INSPECTION_MAX_EXTENSION_MONTHS)


def correction_due_on(requested: date) -> date:
    """The owner decides within 4 weeks (docs/inspection-and-retention.md)."""
    return requested + timedelta(weeks=settings.CORRECTION_ANSWER_WEEKS)


def retention(kind: str) -> int:
    """Years a kind of record is kept (settings.RETENTION_YEARS, defaults from docs/domain-rules.md R6, R7, R9)."""
    return int(settings.RETENTION_YEARS[kind])


def school_file_until(left_on: date) -> date:
    return add_years(left_on, retention("school_file"))


def absence_and_enrolment_until(left_on: date) -> date:
    return add_years(left_on, retention("absence_and_enrolment"))


def youth_care_until(last_change: date) -> date:
    return add_years(last_change, retention("youth_care"))


def access_log_until(at: date) -> date:
    return add_years(at, retention("access_log"))


def expired_before(today: date, kind: str) -> date:
    """Records of `kind` whose period started before or on this day have expired on `today`."""
    return add_years(today, -retention(kind))
