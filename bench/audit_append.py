"""The access log's append under concurrency, and its verification, on PostgreSQL (issue 17 item 4).

Run by bench_audit_chain.py in a subprocess, against a throw-away PostgreSQL database it creates and drops:

    python bench/audit_append.py [--root DIR] [--writers 50] [--seconds 6]

`--root` imports the application from another checkout (e.g. a copy of main, for the "before" figure).
Prints one JSON object: appends/s with N writers each appending to its own child, the p50/p95 of one
append (one transaction), the verification time of 5,000 entries, and /healthz through the test client.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def _entry(child_id: int, n: int) -> dict:
    return {
        "actor_id": None,
        "actor_name": "Bench",
        "actor_role": "IB'er",
        "actor_organisation": "",
        "child_id": child_id,
        "category": "basic",
        "object_type": "child",
        "object_id": str(child_id),
        "object_label": f"de kindpagina {n}",
        "action": "view",
        "allowed": True,
        "basis": "bench",
        "channel": "web",
    }


def _writers(count: int, seconds: float) -> dict:
    from django.db import connections, transaction

    from apps.audit.log import append

    latencies: list[list[float]] = [[] for _ in range(count)]
    errors = []
    start_at = time.perf_counter() + 0.5
    stop_at = start_at + seconds

    def work(i: int) -> None:
        child_id = 100_000 + i
        try:
            append([_entry(child_id, 0)])  # warm the connection
            while time.perf_counter() < start_at:
                time.sleep(0.001)
            n = 0
            while time.perf_counter() < stop_at:
                t = time.perf_counter()
                with transaction.atomic():
                    append([_entry(child_id, n)])
                latencies[i].append((time.perf_counter() - t) * 1000)
                n += 1
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append(repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = sorted(x for row in latencies for x in row)
    return {
        "writers": count,
        "appends": len(flat),
        "per_second": round(len(flat) / seconds, 1),
        "p50_ms": round(statistics.median(flat), 2) if flat else None,
        "p95_ms": round(flat[int(len(flat) * 0.95)], 2) if flat else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def _verification(entries: int = 5000) -> dict:
    from apps.audit import log
    from apps.audit.models import AccessLogEntry

    assert not AccessLogEntry.objects.exists()
    batch = [_entry(900_000 + n % 50, n) for n in range(entries)]
    for i in range(0, entries, 500):
        log.append(batch[i : i + 500])
    result = {"entries": entries}
    started = time.perf_counter()
    whole = log.verify_chain()
    result["verify_all_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["verify_all_checked"] = whole.checked
    result["verify_all_ok"] = whole.ok
    if hasattr(log, "chain_of"):  # the chain per child: one child's own chain of 5,000 entries
        one = [_entry(950_000, n) for n in range(entries)]
        for i in range(0, entries, 500):
            log.append(one[i : i + 500])
        started = time.perf_counter()
        own = log.verify_chain(chain=log.chain_of(950_000))
        result["verify_child_ms"] = round((time.perf_counter() - started) * 1000, 1)
        result["verify_child_checked"] = own.checked
        result["verify_child_ok"] = own.ok
    return result


def _healthz_ms() -> float:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from django.test import Client

    from bench.harness import bare_view_ms

    return bare_view_ms(Client())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    name = f"bench_audit_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        os.environ["DATABASE_URL"] = f"{PG}/{name}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driehoek.settings")
        os.environ.setdefault("DRIEHOEK_TESTING", "1")
        os.chdir(args.root)
        sys.path.insert(0, args.root)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        settings.ALLOWED_HOSTS = ["*"]
        settings.AUDIT_ANCHOR_DIR = f"/tmp/{name}-anchors"
        call_command("migrate", verbosity=0)
        out = {"root": args.root}
        out["healthz_ms"] = _healthz_ms()
        out.update(_verification())  # first, so the whole log is exactly these 5,000 entries
        out["one_writer"] = _writers(1, args.seconds)
        out["many_writers"] = _writers(args.writers, args.seconds)
        connections.close_all()
        print(json.dumps(out))
    finally:
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
