"""The absence overview per school and per class (issue 11, item 7) and the CSV export of a period (item 8).

Aggregates only, in a fixed number of queries whatever the number of pupils: a count per class of the
pupils and of the pupil-days per kind of absence, one aggregate of the open signals by age, and one list
of the period's signals with the first absence conversation after each (for "led to a conversation
within 5 school days"). Every count is limited to the pupils the person may see in HEALTH (the policy).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from apps.circles.models import Child
from apps.consent.models import Category
from apps.conversations.models import Conversation
from apps.conversations.models import Kind as ConversationKind
from apps.core.extensions import visible_child_ids

from . import signals as rules
from .models import AUTHORISED, UNAUTHORISED, Absence, Reason, Signal
from .services import calendar_for

CONVERSATION_WITHIN_SCHOOL_DAYS = 5
AGE_BANDS = (5, 10)  # open signals: 0–5, 6–10 and more than 10 school days old
FORMULA_STARTS = ("=", "+", "-", "@")
AUTHORISED_NOT_SICK = sorted(AUTHORISED - {Reason.SICK})


class InvalidPeriod(ValueError):
    pass


def parse_period(params, school_id: int, today: date | None = None) -> tuple[date, date]:
    """`van` and `tot` (YYYY-MM-DD); by default the school year so far. Bad input: InvalidPeriod (Dutch)."""
    today = today or timezone.localdate()
    raw_from, raw_to = (params.get("van") or "").strip(), (params.get("tot") or "").strip()
    try:
        first = parse_date(raw_from) if raw_from else None
        last = parse_date(raw_to) if raw_to else None
    except ValueError:
        first = last = None
        raw_from = raw_from or "?"
    if (raw_from and first is None) or (raw_to and last is None):
        raise InvalidPeriod(_("Vul de datums in als JJJJ-MM-DD, bijvoorbeeld 2026-09-01."))
    if first is None:
        cal = calendar_for(school_id, today - timedelta(days=400), today)
        first = rules.school_year_start(cal, today)
        if first > today:
            first = date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    last = last or today
    if last < first:
        raise InvalidPeriod(_("De einddatum ligt vóór de begindatum. Kies een andere periode."))
    if (last - first).days > 366:
        raise InvalidPeriod(_("Kies een periode van hoogstens een jaar."))
    return first, last


@dataclass
class Row:
    label: str
    pupils: int = 0
    school_days: int = 0
    authorised: int = 0
    unauthorised: int = 0
    sick: int = 0
    hours: Decimal = Decimal(0)

    @property
    def pupil_days(self) -> int:
        return self.pupils * self.school_days

    def percentage(self, n: int) -> Decimal:
        if not self.pupil_days:
            return Decimal(0)
        return (Decimal(n) * 100 / self.pupil_days).quantize(Decimal("0.1"))

    @property
    def bars(self) -> list[tuple[str, int, Decimal]]:
        return [
            (_("geoorloofd"), self.authorised, self.percentage(self.authorised)),
            (_("ongeoorloofd"), self.unauthorised, self.percentage(self.unauthorised)),
            (_("ziek"), self.sick, self.percentage(self.sick)),
        ]


@dataclass
class Overview:
    first: date
    last: date
    school_days: int
    rows: list[Row]
    total: Row
    open_by_age: list[tuple[str, int]] = field(default_factory=list)
    signals: int = 0
    with_conversation: int = 0

    @property
    def conversation_percentage(self) -> Decimal:
        if not self.signals:
            return Decimal(0)
        return (Decimal(self.with_conversation) * 100 / self.signals).quantize(Decimal("0.1"))


def _visible_pupils(user, school, groups):
    return Child.objects.filter(
        pk__in=visible_child_ids(user, Category.HEALTH), school=school, group__in=[g.pk for g in groups]
    )


def build(user, school, groups, first: date, last: date, today: date | None = None) -> Overview:
    today = today or timezone.localdate()
    groups = list(groups)
    horizon = max(last, today) + timedelta(days=60)
    cal = calendar_for(school.pk, min(first, today - timedelta(days=120)), horizon)
    school_days = cal.count(first, last)
    pupils = _visible_pupils(user, school, groups)

    counts = dict(
        pupils.filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
        .values("group")
        .annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    absences = {
        row["child__group"]: row
        for row in Absence.objects.filter(child__in=pupils.values("pk"), day__gte=first, day__lte=last)
        .values("child__group")
        .annotate(
            sick=Count("pk", filter=Q(reason=Reason.SICK)),
            authorised=Count("pk", filter=Q(reason__in=AUTHORISED_NOT_SICK)),
            unauthorised=Count("pk", filter=Q(reason__in=sorted(UNAUTHORISED))),
            hours=Sum("hours", filter=~Q(reason=Reason.PRESENT)),
        )
    }
    rows = []
    total = Row(_("hele school") if len(groups) > 1 else "", school_days=school_days)
    for g in groups:
        a = absences.get(g.pk, {})
        row = Row(
            g.name,
            pupils=counts.get(g.pk, 0),
            school_days=school_days,
            authorised=a.get("authorised", 0),
            unauthorised=a.get("unauthorised", 0),
            sick=a.get("sick", 0),
            hours=a.get("hours") or Decimal(0),
        )
        rows.append(row)
        for name in ("pupils", "authorised", "unauthorised", "sick", "hours"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    if len(groups) == 1:
        total.label = groups[0].name

    # Open signals by age in school days since the signal's day: cut-offs from the calendar, one aggregate.
    past = [d for d in cal.days if d <= today][::-1]
    young_from = past[AGE_BANDS[0]] if len(past) > AGE_BANDS[0] else date.min
    middle_from = past[AGE_BANDS[1]] if len(past) > AGE_BANDS[1] else date.min
    ages = Signal.objects.filter(school=school, closed_at__isnull=True, child__in=pupils.values("pk")).aggregate(
        young=Count("pk", filter=Q(day__gte=young_from)),
        middle=Count("pk", filter=Q(day__lt=young_from, day__gte=middle_from)),
        old=Count("pk", filter=Q(day__lt=middle_from)),
    )
    open_by_age = [
        (_("0–5 schooldagen"), ages["young"]),
        (_("6–10 schooldagen"), ages["middle"]),
        (_("meer dan 10 schooldagen"), ages["old"]),
    ]

    # Signals of the period and the first absence conversation planned on or after the signal's day.
    first_conversation = (
        Conversation.objects.filter(
            child=OuterRef("child"), kind=ConversationKind.ABSENCE, created_at__date__gte=OuterRef("day")
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    period_signals = list(
        Signal.objects.filter(school=school, day__gte=first, day__lte=last, child__in=pupils.values("pk"))
        .annotate(conversation_at=Subquery(first_conversation))
        .values_list("day", "conversation_at")
    )
    with_conversation = 0
    for day, planned_at in period_signals:
        if planned_at is None:
            continue
        planned_on = timezone.localdate(planned_at)
        if cal.count(day + timedelta(days=1), planned_on) <= CONVERSATION_WITHIN_SCHOOL_DAYS:
            with_conversation += 1
    return Overview(
        first=first,
        last=last,
        school_days=school_days,
        rows=rows,
        total=total,
        open_by_age=open_by_age,
        signals=len(period_signals),
        with_conversation=with_conversation,
    )


# --- the chart --------------------------------------------------------------------------------------

BAR_HEIGHT = 14
ROW_GAP = 10
LABEL_WIDTH = 130
CHART_WIDTH = 320


def chart(rows: list[Row]) -> dict:
    """Geometry for a horizontal bar chart of the three percentages per row (the template draws it)."""
    top = max([p for r in rows for _label, _n, p in r.bars] + [Decimal(1)])
    y = 0
    drawn = []
    for r in rows:
        bars = []
        for i, (label, n, pct) in enumerate(r.bars):
            width = int(CHART_WIDTH * pct / top)
            bars.append({"label": label, "n": n, "pct": pct, "y": y + i * BAR_HEIGHT, "width": width, "kind": i})
        drawn.append({"label": r.label, "y": y, "mid": y + BAR_HEIGHT * 3 // 2 + 4, "bars": bars})
        y += BAR_HEIGHT * 3 + ROW_GAP
    return {
        "rows": drawn,
        "height": max(y, 1),
        "width": LABEL_WIDTH + CHART_WIDTH + 60,
        "x0": LABEL_WIDTH,
    }


# --- the CSV export ---------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): `= + - @` get a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_rows(user, school, groups, first: date, last: date):
    """The registrations of the period (not "present") of the pupils this person may see in HEALTH."""
    return list(
        Absence.objects.filter(
            child__in=_visible_pupils(user, school, groups).values("pk"), day__gte=first, day__lte=last
        )
        .exclude(reason=Reason.PRESENT)
        .select_related("child__group", "recorded_by")
        .order_by("day", "child__last_name", "child__first_name", "pk")
    )


def export_csv(registrations) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Leerling"), _("Groep"), _("Datum"), _("Reden"), _("Uren"), _("Geregistreerd door")])
    for a in registrations:
        child = a.child
        writer.writerow(
            [
                safe_cell(f"{child.first_name} {child.last_name}".strip()),
                safe_cell(child.group.name if child.group_id else ""),
                a.day.isoformat(),
                safe_cell(a.get_reason_display()),
                str(a.hours).replace(".", ","),
                safe_cell(getattr(a.recorded_by, "full_name", "") or a.recorded_by.email),
            ]
        )
    return out.getvalue()
