"""Registration per lesson (secondary school): how one day's lessons become the day's registration.

The rules in `signals.py` count days and hours, so a per-lesson school registers lessons and the day's
`Absence` is rolled up from them here (docs/absence.md, "Per lesuur"). Plain functions, no database."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import AUTHORISED, Reason

# The worst unauthorised reason names the day: it is what DUO and the luxe rule look for.
UNAUTHORISED_ORDER = (Reason.LUXE, Reason.UNAUTHORISED, Reason.LATE)
# Being late for a lesson counts half an hour, as a "te laat" day without hours does (docs/absence.md).
LATE_HOURS = Decimal("0.5")


@dataclass(frozen=True)
class DayFromLessons:
    reason: str
    hours: Decimal
    note: str


def lesson_hours(lesson_minutes: int, lessons: int = 1) -> Decimal:
    return (Decimal(lesson_minutes) * lessons / Decimal(60)).quantize(Decimal("0.01"))


def day_from_lessons(lessons: dict[int, str], *, lesson_minutes: int) -> DayFromLessons:
    """`lessons`: lesson number → reason, for the lessons registered that day (present ones included).

    - No absent lesson: present, 0 hours.
    - Any unauthorised lesson (ongeoorloofd, te laat, luxe verzuim): the day carries the worst of them and
      the unauthorised hours only (a lesson's minutes each; late half an hour), because only those count
      for DUO; authorised lessons that day never add to them.
    - Otherwise the authorised reason most lessons had (sick before leave and the rest, in the order of
      `Reason`), with the hours of all absent lessons.
    The note says which lessons, e.g. "lesuur 3, 4: ongeoorloofd afwezig"."""
    absent = {n: r for n, r in lessons.items() if r != Reason.PRESENT}
    if not absent:
        return DayFromLessons(Reason.PRESENT, Decimal(0), "")
    unauthorised = {n: r for n, r in absent.items() if r not in AUTHORISED}
    if unauthorised:
        reason = next(r for r in UNAUTHORISED_ORDER if r in unauthorised.values())
        late = sum(1 for r in unauthorised.values() if r == Reason.LATE)
        hours = lesson_hours(lesson_minutes, len(unauthorised) - late) + LATE_HOURS * late
    else:
        counts = Counter(absent.values())
        order = list(Reason.values)
        reason = sorted(counts, key=lambda r: (-counts[r], order.index(r)))[0]
        hours = lesson_hours(lesson_minutes, len(absent))
    return DayFromLessons(str(reason), hours, _lessons_note(absent))


def _lessons_note(absent: dict[int, str]) -> str:
    by_reason: dict[str, list[int]] = {}
    for n in sorted(absent):
        by_reason.setdefault(absent[n], []).append(n)
    parts = [
        _("lesuur %(lessons)s: %(reason)s") % {"lessons": ", ".join(map(str, ns)), "reason": Reason(r).label}
        for r, ns in by_reason.items()
    ]
    return "; ".join(parts)[:300]
