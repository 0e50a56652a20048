"""REL-12: a bounded load test on loopback (`make load`; not part of the test suite).

Builds a throw-away database with the demo school, starts gunicorn on 127.0.0.1 with DEBUG off, logs in a
set of parents and staff (a session each; staff have two-factor set up), and runs locust headless for
30 seconds against the main parent and staff pages (`bench/locustfile.py`). Prints one table: requests,
error rate, median and p95 per page, each beside the bare `/healthz` view measured in the same run, and
afterwards checks the server's own log: no 5xx and no "database is locked".

Targets (exit code 1 when missed): at most 0.1 % errors and a p95 of at most 500 ms for every page.
Usage: make load   (or: python bench/load.py [--users 20] [--seconds 30] [--workers 2])
Set DATABASE_URL to a database of your own to run it on PostgreSQL; it is migrated and filled with the demo.
Never point it at a shared or production system.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAX_ERROR_RATE = 0.001
MAX_P95_MS = 500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(tmp: Path, port: int) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/load.sqlite3")
    env.update(
        DJANGO_SETTINGS_MODULE="driehoek.settings",
        DEBUG="0",
        DRIEHOEK_TESTING="1",  # plain static storage: no collectstatic into the work tree for a 30 s run
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",  # plain HTTP on loopback
        VIRUS_SCAN="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(tmp / "media"),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


PREPARE = """
import json, sys
import django
django.setup()
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from apps.accounts.models import User
from apps.access.policy import visible_children

call_command("migrate", verbosity=0)
call_command("createcachetable")
call_command("loaddemo", verbosity=0, stdout=open("/dev/null", "w"))

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value

parents = User.objects.filter(guardianships__isnull=False, memberships__isnull=True).distinct().order_by("pk")[:20]
staff = User.objects.filter(memberships__school__isnull=False, memberships__active=True).distinct().order_by("pk")[:8]
plan = {"cookie_name": settings.SESSION_COOKIE_NAME, "parent": [], "staff": []}
for user in parents:
    children = [g.child_id for g in user.guardianships.all()]
    plan["parent"].append({"session": session(user), "children": children})
for user in staff:
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    children = list(visible_children(user).values_list("pk", flat=True)[:30])
    if children:
        plan["staff"].append({"session": session(user), "children": children})
json.dump(plan, open(sys.argv[1], "w"))
print(len(plan["parent"]), "parents,", len(plan["staff"]), "staff")
"""


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url}")


def _print_table(summary: dict, server_errors: int, locked: int) -> bool:
    rows = summary["rows"]
    baseline = next((r for r in rows if r["name"].startswith("baseline")), None)
    base = f"{baseline['p50']:.0f} / {baseline['p95']:.0f}" if baseline else "-"
    headers = ["page", "requests", "errors %", "p50 ms", "p95 ms", "/healthz p50 / p95 ms", "target"]
    table, ok = [], True
    for r in rows:
        rate = r["failures"] / r["requests"] if r["requests"] else 0
        meets = rate <= MAX_ERROR_RATE and r["p95"] <= MAX_P95_MS
        ok &= meets
        table.append(
            [r["name"], str(r["requests"]), f"{100 * rate:.2f}", f"{r['p50']:.0f}", f"{r['p95']:.0f}", base,
             "ok" if meets else "MISSED"]
        )  # fmt: skip
    total = summary["total"]
    rate = total["failures"] / total["requests"] if total["requests"] else 1
    table.append(
        ["all", str(total["requests"]), f"{100 * rate:.2f}", "", f"{total['p95']:.0f}", base,
         f"{total['rps']:.1f} req/s"]
    )  # fmt: skip
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(f"server log: {server_errors} responses with 5xx, {locked} 'database is locked'")
    print(f"targets: errors <= {100 * MAX_ERROR_RATE:.1f} %, p95 <= {MAX_P95_MS} ms per page; load average now "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")  # fmt: skip
    return ok and server_errors == 0 and locked == 0 and rate <= MAX_ERROR_RATE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="driehoek-load-"))
    port = _free_port()
    env = _server_env(tmp, port)
    plan, result, access_log, server_log = (tmp / n for n in ("plan.json", "result.json", "access.log", "server.log"))
    print("preparing the demo school …", file=sys.stderr)
    subprocess.run([sys.executable, "-c", PREPARE, str(plan)], cwd=ROOT, env=env, check=True)  # noqa: S603
    log = server_log.open("w")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "driehoek.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--access-logfile", str(access_log), "--access-logformat", "%(s)s %(U)s", "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        print(f"locust: {args.users} users for {args.seconds} s …", file=sys.stderr)
        subprocess.run(  # noqa: S603
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(args.users),
             "-r", str(max(1, args.users // 5)), "--run-time", f"{args.seconds}s", "--host",
             f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOAD_PLAN": str(plan), "LOAD_RESULT": str(result)}, check=False,
            stdout=subprocess.DEVNULL, stderr=(tmp / "locust.log").open("w"),
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    statuses = [line.split(" ", 1)[0] for line in access_log.read_text().splitlines() if line]
    server_errors = sum(1 for s in statuses if s.startswith("5"))
    locked = server_log.read_text().count("database is locked")
    ok = _print_table(json.loads(result.read_text()), server_errors, locked)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
