"""Run every bench/bench_*.py and print one table.

Each module defines `run() -> list[dict]` with keys: bench, case, ms (median server time), queries,
and optionally baseline_ms (a bare Django view measured in the same run) and note.
Usage: make bench   (or: python bench/run.py [name-filter])
"""

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driehoek.settings")
os.environ.setdefault("DRIEHOEK_TESTING", "1")


def main() -> int:
    from bench.harness import setup_database

    setup_database()
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    rows = []
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        if only and only not in path.stem:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, "run"):  # a bench of its own (bench_region.py: PostgreSQL, minutes)
            continue
        print(f"running {path.stem} …", file=sys.stderr)
        rows += module.run()
    headers = ["bench", "case", "ms", "baseline_ms", "queries", "note"]
    table = [[str(r.get(h, "")) for h in headers] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
