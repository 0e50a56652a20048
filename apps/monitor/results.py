"""Reading the partnership monitor: aggregates only, each withheld below `MIN_ANSWERS` (docs/learning.md).

Every function here runs a fixed number of queries, however many answers a wave has (the database
groups and averages; pinned in tests/learning/test_monitor_queries.py and measured in bench/bench_monitor.py).

Thresholds hold for every breakdown: the wave as a whole, each perspective, each key, each class. A class
result is also withheld when showing it would let someone subtract it from the school's result and find a
group of fewer than `MIN_ANSWERS` (complementary suppression)."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import questions
from .models import Answer, Perspective, Response
from .services import MIN_ANSWERS

PERSPECTIVES = [Perspective.PARENT, Perspective.PROFESSIONAL, Perspective.CHILD]


def too_few_reason() -> str:
    return _("Minder dan %(n)d antwoorden: dit tonen we niet, zodat niemand herkenbaar is.") % {"n": MIN_ANSWERS}


@dataclass
class Cell:
    n: int
    total: int = 0
    withheld: str = ""

    @property
    def shown(self) -> bool:
        return not self.withheld and self.n >= MIN_ANSWERS

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 1) if self.shown else None

    @property
    def mean_text(self) -> str:
        return number_format(self.mean, 1) if self.shown else ""


@dataclass
class Result:
    perspectives: list[str]
    keys: list[str]
    cells: dict = field(default_factory=dict)  # (perspective, key) -> Cell
    respondents: dict = field(default_factory=dict)  # perspective -> number of responses (shown only when >= 5)
    withheld: str = ""  # the reason the whole result is withheld, if it is

    def cell(self, perspective, key) -> Cell:
        return self.cells.get((perspective, key)) or Cell(0, withheld=too_few_reason())

    def rows(self):
        """[(key, label, [cell per perspective])] in the order of the keys."""
        return [(k, questions.key_label(k), [self.cell(p, k) for p in self.perspectives]) for k in self.keys]

    def table_rows(self):
        """rows() with, per key, whether it is one of the keys where the perspectives differ most."""
        differ = {d[0] for d in self.differences()}
        return [(k, label, cells, k in differ) for k, label, cells in self.rows()]

    def respondent_cells(self):
        return [(p, Perspective(p).label, self.respondents.get(p, 0)) for p in self.perspectives]

    def differences(self, limit: int = 3):
        """The keys where the perspectives differ most, largest first: [(key, (low_p, low), (high_p, high), gap)]."""
        found = []
        for key in self.keys:
            shown = [(p, self.cell(p, key).mean) for p in self.perspectives if self.cell(p, key).shown]
            if len(shown) >= 2:
                low = min(shown, key=lambda x: x[1])
                high = max(shown, key=lambda x: x[1])
                if high[1] > low[1]:
                    found.append((key, low, high, round(high[1] - low[1], 1)))
        found.sort(key=lambda d: -d[3])
        return found[:limit]

    def difference_texts(self, limit: int = 3) -> list[str]:
        return [
            _("%(low_p)s: %(key)s %(low)s — %(high_p)s %(high)s")
            % {
                "low_p": Perspective(low[0]).label,
                "key": questions.key_label(key),
                "low": number_format(low[1], 1),
                "high_p": Perspective(high[0]).label,
                "high": number_format(high[1], 1),
            }  # fmt: skip
            for key, low, high, _gap in self.differences(limit)
        ]

    def weakest_keys(self, limit: int = 3) -> list[str]:
        """The keys with the lowest mean over the perspectives that are shown."""
        means = []
        for key in self.keys:
            shown = [self.cell(p, key).mean for p in self.perspectives if self.cell(p, key).shown]
            if shown:
                means.append((sum(shown) / len(shown), key))
        return [k for _m, k in sorted(means)[:limit]]


def _aggregate(wave_ids, group=None):
    """{(wave_id, perspective, key): (n, total)} and {(wave_id, perspective): responses}: two queries."""
    answers = Answer.objects.filter(wave_id__in=wave_ids)
    responses = Response.objects.filter(wave_id__in=wave_ids)
    if group is not None:
        answers = answers.filter(group=group)
        responses = responses.filter(group=group)
    cells = {
        (r["wave_id"], r["perspective"], r["key"]): (r["n"], r["total"])
        for r in answers.order_by()
        .values("wave_id", "perspective", "key")
        .annotate(n=Count("value"), total=Sum("value"))
    }
    counts = {
        (r["wave_id"], r["perspective"]): r["n"]
        for r in responses.order_by().values("wave_id", "perspective").annotate(n=Count("id"))
    }
    return cells, counts


def _keys_for(perspectives) -> list[str]:
    used = {i.key for p in perspectives for i in questions.items_for(p)}
    return [k for k in questions.ALL_KEYS if k in used]


def _build(wave, cells, counts, perspectives, *, totals=None) -> Result:
    result = Result(perspectives=perspectives, keys=_keys_for(perspectives))
    everyone = sum(counts.get((wave.pk, p), 0) for p in PERSPECTIVES)
    if everyone < MIN_ANSWERS:
        result.withheld = _(
            "Deze peiling heeft %(n)d antwoorden. Resultaten tonen we pas vanaf %(min)d antwoorden, zodat niemand "
            "herkenbaar is."
        ) % {"n": everyone, "min": MIN_ANSWERS}
    for p in perspectives:
        n = counts.get((wave.pk, p), 0)
        result.respondents[p] = n if n >= MIN_ANSWERS else 0
        for key in result.keys:
            n_key, total = cells.get((wave.pk, p, key), (0, 0))
            cell = Cell(n_key, total)
            if result.withheld or n_key < MIN_ANSWERS:
                cell = Cell(n_key, withheld=too_few_reason())
            elif totals is not None:
                rest = totals.get((wave.pk, p, key), (0, 0))[0] - n_key
                if 0 < rest < MIN_ANSWERS:
                    cell = Cell(n_key, withheld=_(
                        "Niet getoond: samen met het schoolresultaat zou dit een groep van minder dan %(n)d "
                        "mensen herkenbaar maken."
                    ) % {"n": MIN_ANSWERS})  # fmt: skip
            result.cells[(p, key)] = cell
    return result


def aggregate_waves(waves):
    """The school-wide aggregates of several waves at once (two queries), for `wave_result` and `trend`."""
    return _aggregate([w.pk for w in waves])


def wave_result(wave, *, group=None, perspective: str | None = None, school_totals=None) -> Result:
    """The wave's result, optionally for one class and/or one perspective; every cell below the threshold
    is withheld with its reason. Two queries (four with a class; two fewer when `school_totals`, from
    `aggregate_waves`, is given)."""
    perspectives = [p for p in PERSPECTIVES if p in (wave.perspectives or PERSPECTIVES)]
    if perspective:
        perspectives = [p for p in perspectives if p == perspective]
    if group is None:
        cells, counts = school_totals or _aggregate([wave.pk])
        totals = None
    else:
        cells, counts = _aggregate([wave.pk], group)
        totals = (school_totals or _aggregate([wave.pk]))[0]
    return _build(wave, cells, counts, perspectives, totals=totals)


def trend(waves, aggregate=None) -> list[tuple]:
    """[(wave, Result)] for several waves of one school, oldest first: two queries for all of them (none when
    `aggregate`, the result of `aggregate_waves` for these waves, is given)."""
    waves = sorted(waves, key=lambda w: (w.opens_on, w.pk))
    cells, counts = aggregate or _aggregate([w.pk for w in waves])
    return [
        (w, _build(w, cells, counts, [p for p in PERSPECTIVES if p in (w.perspectives or PERSPECTIVES)])) for w in waves
    ]


def csv_export(wave, result: Result) -> str:
    """Aggregates only: per perspective and key the number of answers and the mean, or why it is withheld."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [_("peiling"), _("perspectief"), _("sleutel"), _("aantal antwoorden"), _("gemiddelde (1-5)"), _("opmerking")]
    )
    for _key, label, cells in result.rows():
        for p, cell in zip(result.perspectives, cells, strict=True):
            writer.writerow([
                wave.title, Perspective(p).label, label,
                cell.n if cell.shown else (_("minder dan %(n)d") % {"n": MIN_ANSWERS} if cell.n < MIN_ANSWERS else ""),
                f"{cell.mean:.1f}".replace(".", ",") if cell.shown else "", cell.withheld,
            ])  # fmt: skip
    return out.getvalue()
