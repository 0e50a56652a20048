"""Bounded load tests on loopback (never part of `make test`).

Builds a throw-away database with the demo school, starts gunicorn on 127.0.0.1 with DEBUG off (2 workers),
logs in parents and staff (a session each; staff have two-factor set up) and drives it with locust
(`bench/locustfile.py`). Two modes:

- `make load` (REL-12): a mix of people with think time for 30 s against the main parent and staff pages;
  requests, errors, p50 and p95 per page beside the bare `/healthz` view. Exit code 1 when a page has more
  than 0.1 % errors or a p95 above 500 ms.
- `--pages` (issue 17, docs/performance.md): each page alone at a fixed number of connections (10 and 50
  by default, no think time) for a few seconds, `/healthz` the same way in the same run: requests/s, the
  ratio to `/healthz`, p50, p95 and errors as one table. Runs on PostgreSQL (127.0.0.1:5432, user
  postgres) in a database of its own that it creates and drops: `python bench/load.py --pages`.

Usage: python bench/load.py [--users 20] [--seconds 30] [--workers 2]
       python bench/load.py --pages [--connections 10,50] [--seconds 8] [--sqlite]
Without --pages, set DATABASE_URL to a database of your own to run on PostgreSQL (it is migrated and
filled). Never point either at a shared or production system.
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
PAGES = ["guardian home", "child page", "timeline", "plan", "IB'er home", "inbox", "API children list"]


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
        DRIEHOEK_TESTING="1",  # plain static storage: no collectstatic into the work tree for a short run
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",  # plain HTTP on loopback
        VIRUS_SCAN="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(tmp / "media"),
        SITE_URL=f"http://127.0.0.1:{port}",
        API_USER_RATE="1000000/min",  # a handful of people ask the API list many times a second here
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
from apps.organisations.models import Role

call_command("migrate", verbosity=0)
call_command("createcachetable")
call_command("loaddemo", verbosity=0, stdout=open("/dev/null", "w"))

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value

def professional(user):
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    return session(user)

parents = User.objects.filter(guardianships__isnull=False, memberships__isnull=True).distinct().order_by("pk")[:20]
staff = User.objects.filter(memberships__school__isnull=False, memberships__active=True).distinct().order_by("pk")[:8]
ibs = User.objects.filter(memberships__role=Role.IB, memberships__active=True).distinct().order_by("pk")[:4]
targets = {name: {"weight": weight, "visits": []} for name, weight in [
    ("/healthz", 1), ("guardian home", 3), ("child page", 3), ("timeline", 2), ("plan", 2), ("access log", 1),
    ("IB'er home", 2), ("staff child page", 2), ("inbox", 1), ("conversations", 1), ("API children list", 1),
]}
targets["/healthz"]["visits"].append({"url": "/healthz"})
for user in parents:
    s = session(user)
    targets["guardian home"]["visits"].append({"session": s, "url": "/"})
    for g in user.guardianships.all():
        for name, url in [("child page", "/kinderen/{}/"), ("timeline", "/tijdlijn/kind/{}/"),
                          ("plan", "/plan/kind/{}/"), ("access log", "/kinderen/{}/logboek/")]:
            targets[name]["visits"].append({"session": s, "url": url.format(g.child_id)})
for user in staff:
    s = professional(user)
    for pk in visible_children(user).values_list("pk", flat=True)[:30]:
        targets["staff child page"]["visits"].append({"session": s, "url": f"/kinderen/{pk}/"})
    targets["conversations"]["visits"].append({"session": s, "url": "/gesprekken/"})
for user in ibs:
    s = professional(user)
    for name, url in [("IB'er home", "/"), ("inbox", "/berichten/"), ("API children list", "/api/v1/children/")]:
        targets[name]["visits"].append({"session": s, "url": url})
plan = {"cookie_name": settings.SESSION_COOKIE_NAME, "targets": {k: v for k, v in targets.items() if v["visits"]}}
json.dump(plan, open(sys.argv[1], "w"))
print(len(parents), "parents,", len(staff), "staff,", len(ibs), "IB'ers", file=sys.stderr)
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


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def _print_mixed(summary: dict, server_errors: int, locked: int) -> bool:
    rows = summary["rows"]
    baseline = next((r for r in rows if r["name"] == "/healthz"), None)
    base = f"{baseline['p50']:.0f} / {baseline['p95']:.0f}" if baseline else "-"
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
    _table(["page", "requests", "errors %", "p50 ms", "p95 ms", "/healthz p50 / p95 ms", "target"], table)
    print(f"targets: errors <= {100 * MAX_ERROR_RATE:.1f} %, p95 <= {MAX_P95_MS} ms per page")
    return ok and server_errors == 0 and locked == 0 and rate <= MAX_ERROR_RATE


def _locust(env: dict, port: int, plan: Path, result: Path, log: Path, users: int, seconds: int, **extra) -> dict:
    subprocess.run(  # noqa: S603
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(extra.pop("spawn_rate", max(1, users // 5))), "--run-time", f"{seconds}s", "--host",
         f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
        cwd=ROOT, env={**env, "LOAD_PLAN": str(plan), "LOAD_RESULT": str(result), **extra}, check=False,
        stdout=subprocess.DEVNULL, stderr=log.open("a"),
    )  # fmt: skip
    return json.loads(result.read_text())


def _run_pages(env, port, plan, result, tmp, connections: list[int], seconds: int) -> list[list[str]]:
    """Each page alone, then `/healthz`, at each number of connections; one row per page and number."""
    available = json.loads(plan.read_text())["targets"]
    rows = []
    for n in connections:
        figures = {}
        for name in ["/healthz", *[p for p in PAGES if p in available]]:
            print(f"  {name} at {n} connections …", file=sys.stderr)
            summary = _locust(env, port, plan, result, tmp / "locust.log", n, seconds, spawn_rate=n,
                              LOAD_TARGETS=name, LOAD_WAIT="none")  # fmt: skip
            figures[name] = next((r for r in summary["rows"] if r["name"] == name), None)
        base = figures["/healthz"]["rps"] if figures.get("/healthz") else 0
        for name, r in figures.items():
            if r is None:
                rows.append([name, str(n), "-", "-", "-", "-", "no answer"])
                continue
            ratio = r["rps"] / base if base else 0
            errors = f"{r['failures']} / {r['requests']}"
            rows.append([name, str(n), f"{r['rps']:.1f}", f"{ratio:.3f}", f"{r['p50']:.0f}", f"{r['p95']:.0f}", errors])
    return rows


def _postgres_database() -> tuple[str, str]:
    name = f"driehoek_bench_{secrets.token_hex(4)}"
    subprocess.run(  # noqa: S603, S607
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f'CREATE DATABASE "{name}"'], check=True
    )
    return name, f"postgres://postgres@127.0.0.1:5432/{name}"


def _drop_postgres_database(name: str) -> None:
    subprocess.run(  # noqa: S603, S607
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
        check=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", action="store_true", help="each page alone at fixed connections (issue 17)")
    parser.add_argument("--connections", default="10,50")
    parser.add_argument("--sqlite", action="store_true", help="with --pages: SQLite instead of PostgreSQL")
    args = parser.parse_args()
    seconds = args.seconds or (8 if args.pages else 30)
    tmp = Path(tempfile.mkdtemp(prefix="driehoek-load-"))
    port = _free_port()
    database = None
    if args.pages and not args.sqlite and "DATABASE_URL" not in os.environ:
        database, url = _postgres_database()
        os.environ["DATABASE_URL"] = url
    env = _server_env(tmp, port)
    plan, result, access_log, server_log = (tmp / n for n in ("plan.json", "result.json", "access.log", "server.log"))
    server = None
    try:
        print(f"preparing the demo school in {env['DATABASE_URL'].split('://')[0]} …", file=sys.stderr)
        subprocess.run([sys.executable, "-c", PREPARE, str(plan)], cwd=ROOT, env=env, check=True)  # noqa: S603
        log = server_log.open("w")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "driehoek.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
             "--access-logfile", str(access_log), "--access-logformat", "%(s)s %(U)s", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        if args.pages:
            rows = _run_pages(env, port, plan, result, tmp, [int(c) for c in args.connections.split(",")], seconds)
        else:
            print(f"locust: {args.users} users for {seconds} s …", file=sys.stderr)
            summary = _locust(env, port, plan, result, tmp / "locust.log", args.users, seconds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if database:
            _drop_postgres_database(database)
    statuses = [line.split(" ", 1)[0] for line in access_log.read_text().splitlines() if line]
    server_errors = sum(1 for s in statuses if s.startswith("5"))
    locked = server_log.read_text().count("database is locked")
    if args.pages:
        _table(["page", "connections", "req/s", "ratio to /healthz", "p50 ms", "p95 ms", "errors / requests"], rows)
        ok = server_errors == 0 and locked == 0
    else:
        ok = _print_mixed(summary, server_errors, locked)
    print(f"server log: {server_errors} responses with 5xx, {locked} 'database is locked'; {args.workers} gunicorn "
          f"workers; load average now " + " ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} cores")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
