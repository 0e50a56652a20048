"""REL-12: the users of the bounded load test (`make load` starts the server and runs this file).

Parents read their child's pages, staff their class and the child pages, and a third kind of user asks
the bare `/healthz` view under the same load, so each figure stands beside that baseline. `bench/load.py`
writes the plan (session cookies and child ids) to the file named by LOAD_PLAN and reads the summary this
file writes to LOAD_RESULT.
"""

import json
import os
import random

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read()) if os.environ.get("LOAD_PLAN") else {}  # noqa: SIM115


class _Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    role = ""

    def on_start(self):
        person = random.choice(PLAN[self.role])
        self.client.cookies.set(PLAN["cookie_name"], person["session"])
        self.children = person["children"]

    def page(self, url: str, name: str):
        with self.client.get(url, name=f"{self.role}: {name}", allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:  # a redirect to the log-in page or a refusal counts as an error here
                r.failure(f"status {r.status_code}")


class Parent(_Person):
    weight = 6
    role = "parent"

    @task(3)
    def home(self):
        self.page("/", "home")

    @task(3)
    def child(self):
        self.page(f"/kinderen/{random.choice(self.children)}/", "child page")

    @task(2)
    def timeline(self):
        self.page(f"/tijdlijn/kind/{random.choice(self.children)}/", "timeline")

    @task(2)
    def plan(self):
        self.page(f"/plan/kind/{random.choice(self.children)}/", "plan")

    @task(1)
    def messages(self):
        self.page("/berichten/", "messages")

    @task(1)
    def access_log(self):
        self.page(f"/kinderen/{random.choice(self.children)}/logboek/", "access log")


class Staff(_Person):
    weight = 3
    role = "staff"

    @task(3)
    def home(self):
        self.page("/", "home (class list)")

    @task(3)
    def child(self):
        self.page(f"/kinderen/{random.choice(self.children)}/", "child page")

    @task(2)
    def timeline(self):
        self.page(f"/tijdlijn/kind/{random.choice(self.children)}/", "timeline")

    @task(1)
    def conversations(self):
        self.page("/gesprekken/", "conversations")

    @task(1)
    def messages(self):
        self.page("/berichten/", "messages")


class Baseline(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    @task
    def healthz(self):
        self.client.get("/healthz", name="baseline: /healthz")


@events.quitting.add_listener
def _summarise(environment, **kwargs):
    rows = []
    for entry in sorted(environment.stats.entries.values(), key=lambda e: e.name):
        rows.append(
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
            }
        )
    total = environment.stats.total
    summary = {
        "rows": rows,
        "total": {
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p95": total.get_response_time_percentile(0.95),
            "rps": total.total_rps,
        },
    }
    if os.environ.get("LOAD_RESULT"):
        with open(os.environ["LOAD_RESULT"], "w") as f:
            json.dump(summary, f)
