"""Property: the acknowledgement deadline always falls on a school day and is exactly N school days later."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from apps.helpguide.rules import add_school_days

AMS = ZoneInfo("Europe/Amsterdam")


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=10),
)
def test_deadline_is_n_school_days_later(start, days):
    start = start.replace(tzinfo=AMS)
    due = add_school_days(start, days)
    assert due.weekday() < 5
    assert (due.hour, due.minute) == (start.hour, start.minute)
    counted, day = 0, start.date()
    while day < due.date():
        day += timedelta(days=1)
        counted += day.weekday() < 5
    assert counted == days
