"""The access log's append with 50 concurrent writers to different children, and its verification (issue 17 item 4).

Runs bench/audit_append.py in a subprocess against its own throw-away PostgreSQL database (BENCH_PG, default
postgres://postgres@127.0.0.1:5432); skipped when PostgreSQL is not reachable. `ms` is the p50 of one append
(its own transaction), beside /healthz measured in the same subprocess. The "before" figures (one global chain
and lock, main before this change) come from the same script run with `--root` on a copy of that code; set
BENCH_BEFORE_ROOT to measure them in the same run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _measure(root: str | None) -> dict | None:
    command = [sys.executable, str(HERE / "audit_append.py")] + (["--root", root] if root else [])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rows(label: str, out: dict) -> list[dict]:
    rows = []
    for key in ("one_writer", "many_writers"):
        w = out[key]
        rows.append(
            {
                "bench": "audit chain",
                "case": f"{label}: append, {w['writers']} writer(s), own child each",
                "ms": w["p50_ms"],
                "baseline_ms": out["healthz_ms"],
                "queries": "",
                "note": f"{w['per_second']}/s, p95 {w['p95_ms']} ms, {w['errors']} errors",
            }
        )
    rows.append(
        {
            "bench": "audit chain",
            "case": f"{label}: verify whole log, {out['entries']} entries",
            "ms": out["verify_all_ms"],
            "baseline_ms": out["healthz_ms"],
            "queries": "",
            "note": f"ok={out['verify_all_ok']}",
        }
    )
    if "verify_child_ms" in out:
        rows.append(
            {
                "bench": "audit chain",
                "case": f"{label}: verify one child's chain, {out['verify_child_checked']} entries",
                "ms": out["verify_child_ms"],
                "baseline_ms": out["healthz_ms"],
                "queries": "",
                "note": f"ok={out['verify_child_ok']}",
            }
        )
    return rows


def run() -> list[dict]:
    rows = []
    before = os.environ.get("BENCH_BEFORE_ROOT")
    if before:
        out = _measure(before)
        if out:
            rows += _rows("before (global chain)", out)
    out = _measure(None)
    if out is None:
        return [{"bench": "audit chain", "case": "skipped", "note": "PostgreSQL not reachable (BENCH_PG)"}]
    return rows + _rows("chain per child", out)
