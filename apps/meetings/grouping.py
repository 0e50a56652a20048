"""Balanced division of meeting attendees over theme tables (seed 004: "elke groep moet een evenredig
aantal ouders en schoolpersoneel hebben").

A pure, deterministic function (no database, no Django needed): the same input always gives the same
tables, whatever the order of the input list. It never returns an unbalanced or partial division —
when the hard constraints (a conversation leader per table, keep-together and keep-apart pairs) cannot
be met with balanced tables it returns the reasons instead, in Dutch.

How:
1. The seats per table and category (parents, school staff, others such as CJG) are fixed by one
   continuous round-robin over the tables, so each category and the table sizes differ by at most one.
   Balance therefore holds by construction; placing people only fills seats.
2. The constrained units — keep-together clusters, conversation leaders and people with a keep-apart
   wish — are placed by a small depth-first search (hardest first, identical empty tables tried once,
   a node budget so it always ends). Other seat patterns are tried when one fails.
3. Everyone else fills the remaining seats, each to the table with the fewest people of the same role,
   so teachers, IB'ers and CJG workers are spread.
"""

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import permutations

PARENT = "parent"
STAFF = "staff"
OTHER = "other"
CATEGORIES = (PARENT, STAFF, OTHER)

# role -> category; unknown roles count as "other"
ROLE_CATEGORY = {
    "parent": PARENT,
    "teacher": STAFF,
    "ib": STAFF,
    "director": STAFF,
    "school_admin": STAFF,
    "staff": STAFF,
    "mentor": STAFF,
    "cjg": OTHER,
    "process_facilitator": OTHER,
    "researcher": OTHER,
    "pupil": OTHER,
    "other": OTHER,
}
ROLE_ORDER = [
    "parent",
    "teacher",
    "mentor",
    "ib",
    "director",
    "school_admin",
    "staff",
    "cjg",
    "process_facilitator",
    "researcher",
    "pupil",
    "other",
]

SEARCH_BUDGET = 3_000  # nodes per attempt (12 attempts); keeps an unsatisfiable input from running for ever


def _(text: str) -> str:
    """gettext when Django is configured, the Dutch source text otherwise (the module stays pure)."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(text)
    except ImportError:  # pragma: no cover - Django is always installed in this project
        pass
    return text


def _n(singular: str, plural: str, n: int) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import ngettext

            return ngettext(singular, plural, n)
    except ImportError:  # pragma: no cover
        pass
    return singular if n == 1 else plural


def role_label(role: str, n: int) -> str:
    labels = {
        "parent": ("%(n)d ouder", "%(n)d ouders"),
        "teacher": ("%(n)d leerkracht", "%(n)d leerkrachten"),
        "ib": ("%(n)d IB'er", "%(n)d IB'ers"),
        "director": ("%(n)d directeur", "%(n)d directeuren"),
        "school_admin": ("%(n)d administratief medewerker", "%(n)d administratief medewerkers"),
        "staff": ("%(n)d medewerker", "%(n)d medewerkers"),
        "cjg": ("%(n)d CJG", "%(n)d CJG"),
        "pupil": ("%(n)d leerling", "%(n)d leerlingen"),
    }
    singular, plural = labels.get(role, ("%(n)d overige", "%(n)d overigen"))
    return _n(singular, plural, n) % {"n": n}


def _role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


@dataclass(frozen=True)
class Attendee:
    id: int
    role: str  # a key of ROLE_CATEGORY
    is_leader: bool = False
    name: str = ""
    category: str = field(init=False, compare=False, repr=False, default=OTHER)

    def __post_init__(self):
        object.__setattr__(self, "category", ROLE_CATEGORY.get(self.role, OTHER))

    @property
    def label(self) -> str:
        return self.name or str(self.id)


@dataclass
class Division:
    groups: list[list[int]] = field(default_factory=list)  # attendee ids per table, sorted
    explanations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _UnionFind:
    def __init__(self, ids):
        self.parent = {i: i for i in ids}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def slot_counts(totals: dict[str, int], n: int, order=CATEGORIES) -> list[dict[str, int]]:
    """Seats per table and category: one continuous round-robin over the tables in `order`."""
    counts = [dict.fromkeys(CATEGORIES, 0) for _ in range(n)]
    position = 0
    for category in order:
        for _i in range(totals.get(category, 0)):
            counts[position % n][category] += 1
            position += 1
    return counts


def divide(attendees, n_groups: int, together=(), apart=()) -> Division:
    """Split attendees into n_groups balanced tables, each with a conversation leader.

    `together` and `apart` are pairs of attendee ids. Returns a Division with either groups and
    explanations, or only problems (Dutch) — never both.
    """
    people = sorted({a.id: a for a in attendees}.values(), key=lambda a: a.id)
    by_id = {a.id: a for a in people}
    if n_groups < 1:
        return Division(problems=[_("Kies minstens één groep.")])
    problems: list[str] = []
    if n_groups > len(people):
        problems.append(
            _("Er zijn meer groepen (%(groups)d) dan deelnemers (%(people)d).")
            % {"groups": n_groups, "people": len(people)}
        )
    leaders = [a for a in people if a.is_leader]
    if len(leaders) < n_groups:
        problems.append(
            _(
                "Er zijn meer groepen (%(groups)d) dan gespreksleiders (%(leaders)d); "
                "elke groep heeft een gespreksleider nodig."
            )
            % {"groups": n_groups, "leaders": len(leaders)}
        )
    together = sorted({tuple(sorted(p)) for p in together if p[0] != p[1]})
    apart = sorted({tuple(sorted(p)) for p in apart if p[0] != p[1]})
    if any(a not in by_id or b not in by_id for a, b in [*together, *apart]):
        problems.append(_("Een voorkeur noemt iemand die niet aan deze bijeenkomst deelneemt."))
    if problems:
        return Division(problems=problems)

    uf = _UnionFind(by_id)
    for a, b in together:
        uf.union(a, b)
    clusters: dict[int, list[Attendee]] = defaultdict(list)
    for a in people:
        clusters[uf.find(a.id)].append(a)
    cluster_of = {a.id: uf.find(a.id) for a in people}
    for a, b in apart:
        if cluster_of[a] == cluster_of[b]:
            problems.append(
                _("%(a)s en %(b)s moeten zowel samen als apart zitten; dat kan niet.")
                % {"a": by_id[a].label, "b": by_id[b].label}
            )

    totals = Counter(a.category for a in people)
    slots = slot_counts(totals, n_groups)
    max_size = -(-len(people) // n_groups)
    max_per_category = {c: max(s[c] for s in slots) for c in CATEGORIES}
    for members in clusters.values():
        if len(members) < 2:
            continue
        need = Counter(a.category for a in members)
        if len(members) > max_size or any(need[c] > max_per_category[c] for c in need):
            problems.append(
                _(
                    "De mensen die samen moeten zitten (%(names)s) passen niet samen aan één tafel "
                    "zonder de verdeling scheef te maken."
                )
                % {"names": ", ".join(a.label for a in members)}
            )
    leader_units = sum(1 for members in clusters.values() if any(a.is_leader for a in members))
    if not problems and leader_units < n_groups:
        problems.append(
            _(
                "Doordat gespreksleiders samen moeten zitten, kunnen maar %(units)d van de %(groups)d "
                "groepen een gespreksleider krijgen."
            )
            % {"units": leader_units, "groups": n_groups}
        )
    if problems:
        return Division(problems=problems)

    # The apart wishes between clusters (a together-cluster sits as one unit).
    apart_units: dict[int, set[int]] = defaultdict(set)
    for a, b in apart:
        apart_units[cluster_of[a]].add(cluster_of[b])
        apart_units[cluster_of[b]].add(cluster_of[a])

    attempts = ((order, leaders_first) for leaders_first in (True, False) for order in permutations(CATEGORIES))
    for order, leaders_first in attempts:
        tables = _place(clusters, apart_units, slot_counts(totals, n_groups, order), n_groups, leaders_first)
        if tables is not None:
            groups = [sorted(a.id for a in t) for t in tables]
            return Division(groups=groups, explanations=[explain(i + 1, t) for i, t in enumerate(tables)])
    if apart:
        message = _(
            "Er is geen evenwichtige verdeling in %(groups)d groepen gevonden waarin iedereen die apart "
            "moet zitten ook apart zit en elke groep een gespreksleider heeft. Maak minder voorkeuren of "
            "kies een ander aantal groepen."
        )
    else:
        message = _(
            "Er is geen evenwichtige verdeling in %(groups)d groepen gevonden waarin elke groep een "
            "gespreksleider heeft. Wijs meer gespreksleiders aan of kies een ander aantal groepen."
        )
    return Division(problems=[message % {"groups": n_groups}])


def _place(clusters, apart_units, slots, n, leaders_first):
    """Fill the seat pattern; None when the constraints cannot be met with it."""
    free = [dict(s) for s in slots]
    tables: list[list[Attendee]] = [[] for _ in range(n)]
    role_count = [Counter() for _ in range(n)]
    leaders_at = [0] * n
    table_of_unit: dict[int, int] = {}

    needs: dict[int, Counter] = {}

    def put(root, members, g, sign=1):
        for a in members:
            if sign > 0:
                tables[g].append(a)
            else:
                tables[g].remove(a)
            free[g][a.category] -= sign
            role_count[g][a.role] += sign
            leaders_at[g] += sign * a.is_leader
        if sign > 0:
            table_of_unit[root] = g
        else:
            del table_of_unit[root]

    units = sorted(clusters.items(), key=lambda kv: kv[0])
    constrained = [(root, m) for root, m in units if len(m) > 1 or any(a.is_leader for a in m) or apart_units.get(root)]
    constrained_roots = {root for root, _m in constrained}
    rest = [m[0] for root, m in units if root not in constrained_roots]
    for root, members in constrained:
        needs[root] = Counter(a.category for a in members)
    # Hardest first: (leaders, when tried first,) most apart wishes, largest clusters, leaders of the
    # scarcest category.
    totals = Counter(a.category for _r, m in units for a in m)
    constrained.sort(
        key=lambda u: (
            not (leaders_first and any(a.is_leader for a in u[1])),
            -len(apart_units.get(u[0], ())),
            -len(u[1]),
            min(totals[a.category] for a in u[1]),
            min(_role_rank(a.role) for a in u[1]),
            u[0],
        )
    )
    leader_units_left = [0] * (len(constrained) + 1)
    for i in range(len(constrained) - 1, -1, -1):
        leader_units_left[i] = leader_units_left[i + 1] + any(a.is_leader for a in constrained[i][1])
    # Categories in which a leader is still to come: a table without a leader needs a free seat in one.
    leader_categories_left: list[frozenset] = [frozenset()] * (len(constrained) + 1)
    for i in range(len(constrained) - 1, -1, -1):
        mine = {a.category for a in constrained[i][1] if a.is_leader}
        leader_categories_left[i] = leader_categories_left[i + 1] | mine

    def hopeless(i: int) -> bool:
        leaderless = [g for g in range(n) if not leaders_at[g]]
        if len(leaderless) > leader_units_left[i]:
            return True
        wanted = leader_categories_left[i]
        return any(not any(free[g][c] for c in wanted) for g in leaderless)

    def options_for(i: int):
        """Tables for unit i, best first. Lazy: the search mostly takes the first, so only a backtrack
        pays for sorting. Identical empty tables are offered once."""
        root, members = constrained[i]
        need = list(needs[root].items())
        aparts = apart_units.get(root, ())
        lead = any(a.is_leader for a in members)
        roles = [a.role for a in members]

        def key(g):
            return (leaders_at[g] if lead else 0, sum(role_count[g][r] for r in roles), len(tables[g]), g)

        blocked = {table_of_unit[o] for o in aparts if o in table_of_unit}
        candidates = [g for g in range(n) if g not in blocked and all(free[g][c] >= k for c, k in need)]
        if not candidates:
            return
        best = min(candidates, key=key)
        seen_empty = {tuple(free[best][c] for c in CATEGORIES)} if not tables[best] else set()
        yield best
        for g in sorted(candidates, key=key):
            if g == best:
                continue
            if not tables[g]:
                signature = tuple(free[g][c] for c in CATEGORIES)
                if signature in seen_empty:
                    continue
                seen_empty.add(signature)
            yield g

    def search() -> bool:
        """Depth-first over the constrained units, iterative (no recursion limit), within the budget."""
        budget = SEARCH_BUDGET
        frames: list[list] = []  # [options (lazy), table placed at]
        i, descend = 0, True
        while True:
            if descend and not hopeless(i):
                if i == len(constrained):
                    return True
                budget -= 1
                if budget < 0:
                    return False
                frames.append([options_for(i), None])
            descend = False
            while frames:
                frame = frames[-1]
                root, members = constrained[len(frames) - 1]
                if frame[1] is not None:
                    put(root, members, frame[1], sign=-1)
                    frame[1] = None
                g = next(frame[0], None)
                if g is not None:
                    put(root, members, g)
                    frame[1] = g
                    i, descend = len(frames), True
                    break
                frames.pop()
            if not descend:
                return False

    if not search():
        return None
    by_role: dict[str, list[Attendee]] = defaultdict(list)
    for a in rest:
        by_role[a.role].append(a)
    for role in sorted(by_role, key=lambda r: (_role_rank(r), r)):
        # Each placement only changes its own table's key, so a heap stays valid.
        category = ROLE_CATEGORY.get(role, OTHER)
        heap = [(role_count[g][role], -free[g][category], len(tables[g]), g) for g in range(n) if free[g][category]]
        heapq.heapify(heap)
        for a in sorted(by_role[role], key=lambda a: a.id):
            g = heapq.heappop(heap)[3]
            put(a.id, [a], g)
            if free[g][category]:
                heapq.heappush(heap, (role_count[g][role], -free[g][category], len(tables[g]), g))
    return tables


def explain(number: int, table: list[Attendee]) -> str:
    """'groep 2: 5 ouders, 2 leerkrachten, 1 CJG — gespreksleider: Anna'."""
    counts = Counter(a.role for a in table)
    parts = ", ".join(role_label(r, counts[r]) for r in sorted(counts, key=_role_rank)) or _("niemand")
    text = _("groep %(n)d: %(parts)s") % {"n": number, "parts": parts}
    leaders = [a.label for a in sorted(table, key=lambda a: a.id) if a.is_leader]
    if leaders:
        text += " — " + _("gespreksleider: %(names)s") % {"names": ", ".join(leaders)}
    return text


def round_robin(ids: list[int], n_groups: int) -> list[list[int]]:
    """The naive baseline: deal people out in list order."""
    groups: list[list[int]] = [[] for _ in range(n_groups)]
    for i, pk in enumerate(ids):
        groups[i % n_groups].append(pk)
    return groups


def spread(groups: list[list[int]], attendees) -> dict[str, int]:
    """Largest difference between tables in size, parents and staff (0 or 1 is balanced)."""
    by_id = {a.id: a for a in attendees}

    def gap(values):
        return max(values) - min(values) if values else 0

    return {
        "size": gap([len(g) for g in groups]),
        "parents": gap([sum(by_id[i].category == PARENT for i in g) for g in groups]),
        "staff": gap([sum(by_id[i].category == STAFF for i in g) for g in groups]),
        "leaderless": sum(1 for g in groups if not any(by_id[i].is_leader for i in g)),
    }
