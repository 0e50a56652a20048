"""Lighthouse mobile scores and first-load page weight of the main pages (issue 15; not part of `make test`).

Builds a throw-away SQLite database with the demo school, collects the static files as production does
(WhiteNoise, compressed and hashed, into the ignored staticfiles/), starts gunicorn on 127.0.0.1 with
DEBUG off, logs in a demo parent and runs npm `lighthouse` (package.json) with Debian's Chromium on
each page, the bare offline page in the same run as the baseline (Lighthouse needs HTML; `/healthz` is
plain text). Prints one table: performance, accessibility and best-practices scores and the bytes
transferred on first load (compressed, fonts included).
Goals (docs/web-app.md): >= 95 performance and accessibility, 100 best practices, < 100 KB.

Usage: python bench/lighthouse.py   (needs `npm install` and /usr/bin/chromium)
"""

import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import BIN, ROOT, _free_port, _server_env, _table, _wait_for  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
GOALS = {"performance": 95, "accessibility": 95, "best-practices": 100}
MAX_KB = 100

PREPARE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from apps.accounts.models import User

call_command("migrate", verbosity=0)
call_command("createcachetable")
call_command("loaddemo", verbosity=0, stdout=open("/dev/null", "w"))
parent = User.objects.filter(guardianships__isnull=False, memberships__isnull=True).distinct().order_by("pk").first()
child_id = parent.guardianships.order_by("child_id").first().child_id
client = Client()
client.force_login(parent)
json.dump({"cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
           "child": child_id}, open(sys.argv[1], "w"))
"""


def _pages(child: int) -> list[tuple[str, str, bool]]:
    """(name, path, signed in)."""
    return [
        ("/offline/ (baseline)", "/offline/", False),
        ("log-in", "/accounts/login/", False),
        ("parent home", "/", True),
        ("child page", f"/kinderen/{child}/", True),
        ("timeline", f"/tijdlijn/kind/{child}/", True),
        ("plan", f"/plan/kind/{child}/", True),
        ("messages", "/berichten/", True),
        ("help guide", "/hulpwijzer/", True),
    ]


def _lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url, f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        "--only-categories=performance,accessibility,best-practices", "--output=json",
        f"--output-path={out}", "--quiet",
    ]  # fmt: skip
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, cwd=ROOT, check=True, timeout=300)  # noqa: S603 - fixed arguments
    return json.loads(out.read_text())


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("node_modules/.bin/lighthouse is missing: run `npm install`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        port = _free_port()
        env = _server_env(tmp, port)
        env.pop("DRIEHOEK_TESTING", None)  # production static storage: compressed, hashed files
        env.setdefault("AUDIT_HMAC_KEY", secrets.token_urlsafe(40))  # production settings ask for one
        prepared = tmp / "session.json"
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip  # noqa: S603
        subprocess.run([sys.executable, "-c", PREPARE, str(prepared)], cwd=ROOT, env=env, check=True)  # noqa: S603
        session = json.loads(prepared.read_text())
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "driehoek.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        rows, ok = [], True
        try:
            _wait_for(f"http://127.0.0.1:{port}/healthz")
            for name, path, signed_in in _pages(session["child"]):
                print(f"  {name} …", file=sys.stderr)
                report = _lighthouse(f"http://127.0.0.1:{port}{path}", session["cookie"] if signed_in else None,
                                     tmp / "report.json")  # fmt: skip
                scores = {k: round(100 * (report["categories"][k]["score"] or 0)) for k in GOALS}
                kb = report["audits"]["total-byte-weight"]["numericValue"] / 1024
                meets = name.endswith("(baseline)") or (all(scores[k] >= g for k, g in GOALS.items()) and kb < MAX_KB)
                ok &= meets
                final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
                note = "" if final.endswith(path) else f" (ended at {final.split(str(port))[-1]})"
                missed = [
                    ref["id"]
                    for key in GOALS
                    for ref in report["categories"][key]["auditRefs"]
                    if ref.get("weight")
                    and (report["audits"][ref["id"]].get("score") or 0) < 1
                    and key != "performance"
                ]
                note += f" [{', '.join(missed)}]" if missed else ""
                rows.append([name, *(str(scores[k]) for k in GOALS), f"{kb:.1f}", ("ok" if meets else "MISSED") + note])
        finally:
            server.terminate()
            server.wait(timeout=10)
    _table(["page", "performance", "accessibility", "best practices", "KB first load", "goal"], rows)
    print(f"goals: performance and accessibility >= 95, best practices 100, first load < {MAX_KB} KB (mobile)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
