"""Dates as Dutch pupil administrations write them: dd-mm-jjjj, d-m-jj, jjjj-mm-dd, with - / or . between."""

import re
from datetime import date

from django.utils.translation import gettext as _

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


class BadDate(ValueError):
    pass


def parse_date(value: str, *, today: date | None = None) -> date:
    """Read one date; raises BadDate with a Dutch reason ("31-02-2016 bestaat niet")."""
    value = (value or "").strip()
    if not value:
        raise BadDate(_("geen datum ingevuld"))
    if m := _YMD.match(value):
        year, month, day = (int(x) for x in m.groups())
    elif m := _DMY.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        year = int(year) if len(year) == 4 else _century(int(year), today or date.today())
    else:
        raise BadDate(_("%(value)s is geen datum (gebruik dd-mm-jjjj)") % {"value": value})
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(_("%(value)s bestaat niet") % {"value": value}) from None


def _century(year: int, today: date) -> int:
    """A two-digit year of a birth date is in the past: 16 is 2016, 98 is 1998."""
    full = 2000 + year
    return full if full <= today.year else 1900 + year
