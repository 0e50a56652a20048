"""Profile the youth-care worker's home ("Mijn kinderen") with many children (issue 17; docs/performance.md).

Builds, in a throw-away database, a youth worker with `--children` children (300 by default) over 40 schools
(half through a consent by name, half through an organisation consent plus an assignment:
`bench/bench_youthcare.build_caseload`), asks the home `--repeat` times under cProfile and prints: ms per
request (without the profiler) beside /healthz, queries, and the functions of our own code with the largest
cumulative share. `--small 3` first measures the same home with that many children, to compare.
Usage: python bench/profile_worker_home.py [--children 300] [--repeat 10] [--top 15]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driehoek.settings")
os.environ.setdefault("DRIEHOEK_TESTING", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--small", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    args = parser.parse_args()
    from bench.harness import measure, setup_database

    setup_database()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.bench_youthcare import build_caseload, make_worker

    worker, organisation = make_worker()
    client = Client()
    client.force_login(worker)
    build_caseload(worker, organisation, args.small, schools=min(args.small, 40))
    ms, queries = measure(client, "/", repeat=args.repeat)
    healthz = measure(client, "/healthz", repeat=args.repeat)[0]
    print(f"== youth worker home, {args.small} children: {ms} ms, {queries} queries; /healthz {healthz} ms")
    build_caseload(worker, organisation, args.children - args.small, schools=40, offset=args.small)
    ms, queries = measure(client, "/", repeat=args.repeat)
    healthz = measure(client, "/healthz", repeat=args.repeat)[0]
    if args.sql:
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        for q in ctx.captured_queries:
            print(f"  {q['time']}  {q['sql'][:300]}")
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        client.get("/")
    profiler.disable()
    profiled = (time.perf_counter() - start) * 1000 / args.repeat
    print(f"== youth worker home, {args.children} children: {ms} ms, {queries} queries; /healthz {healthz} ms; "
          f"{profiled:.1f} ms under the profiler")  # fmt: skip
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        skip = ("middleware.py", "limits.py")  # the frame around every request, not where it goes
        if f"{ROOT}/apps/" in filename and not filename.endswith(skip):
            rows.append((ct, f"{Path(filename).relative_to(ROOT)}:{line} {func}"))
    for ct, where in sorted(rows, reverse=True)[: args.top]:
        print(f"  {100 * ct / total:5.1f} %  {1000 * ct / args.repeat:7.2f} ms  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
