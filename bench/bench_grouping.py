"""Balanced group division (apps/meetings/grouping.py) for 60, 300 and 3,000 attendees with
keep-together and keep-apart wishes, beside a plain round-robin split of the sign-up list.

ms is the median time of divide(); baseline_ms the round-robin. The note gives the balance reached as
the largest difference between tables (size/parents/staff) and the number of tables without a
conversation leader. Sizes through BENCH_GROUPING_SIZES (default "60,300,3000"); ~8 people per table.
"""

import os
import random
import statistics
import time


def crowd(size: int, seed: int = 6):
    from apps.meetings.grouping import Attendee

    rnd = random.Random(seed)
    people = []
    for i in range(size):
        role = rnd.choice(["parent"] * 7 + ["teacher", "teacher", "ib", "cjg"])
        people.append(Attendee(i, role, is_leader=role != "parent" and rnd.random() < 0.5))
    # Wishes for about 10% of the people: two parents of one child together, some pairs apart.
    parents = [a.id for a in people if a.role == "parent"]
    together = [(parents[i], parents[i + 1]) for i in range(0, min(len(parents) - 1, size // 10), 2)]
    others = [a.id for a in people if a.role != "parent"]
    apart = [(others[i], others[i + 1]) for i in range(0, min(len(others) - 1, size // 10), 2)]
    return people, together, apart


def _median_ms(repeat, fn, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2), result


def _balance(gaps):
    return f"size±{gaps['size']} parents±{gaps['parents']} staff±{gaps['staff']} leaderless={gaps['leaderless']}"


def run() -> list[dict]:
    from apps.meetings.grouping import divide, round_robin, spread

    sizes = [int(s) for s in os.environ.get("BENCH_GROUPING_SIZES", "60,300,3000").split(",")]
    rows = []
    for size in sizes:
        people, together, apart = crowd(size)
        n_groups = max(1, size // 8)
        repeat = 5 if size <= 300 else 3
        ms, division = _median_ms(repeat, divide, people, n_groups, together, apart)
        # The sign-up list order: parents sign up through the class, staff are added afterwards.
        signup = [a.id for a in sorted(people, key=lambda a: (a.category != "parent", a.id))]
        base_ms, naive = _median_ms(repeat, round_robin, signup, n_groups)
        if division.ok:
            note = f"divide: {_balance(spread(division.groups, people))}"
        else:
            note = f"divide reported: {division.problems[0][:60]}"
        note += f"; round-robin: {_balance(spread(naive, people))}"
        rows.append(
            {
                "bench": "grouping",
                "case": f"{size} attendees, {n_groups} tables, {len(together)} together + {len(apart)} apart",
                "ms": ms,
                "baseline_ms": base_ms,
                "queries": 0,
                "note": note,
            }
        )
    return rows
