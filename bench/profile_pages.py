"""Profile the child page and the parent home with cProfile (issue 17; docs/performance.md).

Loads the demo school into a throw-away database, logs in a parent with the most children, asks each page
`--repeat` times under cProfile and prints per page: ms per request (without the profiler), queries, and
the functions of our own code with the largest cumulative share.
Usage: python bench/profile_pages.py [--repeat 30] [--top 12]
"""

import argparse
import cProfile
import io
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
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    from bench.harness import measure, setup_database

    setup_database()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from apps.accounts.models import User

    call_command("loaddemo", verbosity=0, stdout=io.StringIO())
    parent = (
        User.objects.filter(guardianships__isnull=False, memberships__isnull=True)
        .annotate(n=Count("guardianships"))
        .order_by("-n", "pk")
        .first()
    )
    child_id = parent.guardianships.first().child_id
    client = Client()
    client.force_login(parent)
    for name, url in [("parent home", "/"), ("child page", f"/kinderen/{child_id}/")]:
        ms, queries = measure(client, url, repeat=args.repeat)
        healthz = measure(client, "/healthz", repeat=args.repeat)[0]
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(url)
        profiler.disable()
        profiled = (time.perf_counter() - start) * 1000 / args.repeat
        print(f"\n== {name} ({url}, parent with {parent.n} children): {ms} ms, {queries} queries; "
              f"/healthz {healthz} ms; {profiled:.1f} ms under the profiler")  # fmt: skip
        stats = pstats.Stats(profiler)
        total = stats.total_tt
        rows = []
        for (filename, line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            skip = ("middleware.py", "limits.py", "views.py")  # the frame around every request, not where it goes
            if f"{ROOT}/apps/" in filename and not filename.endswith(skip):
                rows.append((ct, f"{Path(filename).relative_to(ROOT)}:{line} {func}"))
        for ct, where in sorted(rows, reverse=True)[: args.top]:
            print(f"  {100 * ct / total:5.1f} %  {1000 * ct / args.repeat:7.2f} ms  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
