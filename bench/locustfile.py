"""The one kind of user of the load benches (`bench/load.py` starts the server and runs this file).

`bench/load.py` writes a plan (session cookies and URLs per page) to the file named by LOAD_PLAN; every
simulated user picks one of the pages named in LOAD_TARGETS (by their weight in the plan), as one of the
people the plan holds for that page, and asks it. With LOAD_WAIT=none each user asks its next page as soon
as the previous answer is in (a fixed number of connections, for requests per second); otherwise it waits
0.5–1.5 s like a person. The bare `/healthz` view is a target like any other (no cookie), so each figure
stands beside it. The summary goes to the file named by LOAD_RESULT.
"""

import json
import os
import random

from locust import FastHttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read()) if os.environ.get("LOAD_PLAN") else {"targets": {}}  # noqa: SIM115
TARGETS = [t for t in os.environ.get("LOAD_TARGETS", "").split(",") if t] or list(PLAN["targets"])
WEIGHTS = [PLAN["targets"][t]["weight"] for t in TARGETS] if TARGETS else []


class Visitor(FastHttpUser):
    wait_time = constant(0) if os.environ.get("LOAD_WAIT") == "none" else between(0.5, 1.5)

    @task
    def page(self):
        name = random.choices(TARGETS, WEIGHTS)[0]
        visit = random.choice(PLAN["targets"][name]["visits"])
        headers = {"Cookie": f"{PLAN['cookie_name']}={visit['session']}"} if visit.get("session") else {}
        with self.client.get(visit["url"], name=name, headers=headers, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:  # a redirect to the log-in page or a refusal counts as an error here
                r.failure(f"status {r.status_code}")


@events.quitting.add_listener
def _summarise(environment, **kwargs):
    rows = []
    for entry in sorted(environment.stats.entries.values(), key=lambda e: e.name):
        rows.append(
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": entry.total_rps,
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
