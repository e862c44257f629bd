"""Locust users for oncofed (issue 22): a realistic mix on loopback only.

- clinicians open their own patients' match pages (HTML and JSON) and the patient list;
- research staff work a pre-screening list (page, JSON) and change candidates' statuses
  (new -> pending <-> flagged, each nurse on her own candidates, with the version she saw);
- the public searches the trial registry and opens trials;
- trial managers ask feasibility questions.

Run by `benchmarks/bench_load.py` (which builds the plan: accounts, patients and lists to use) and by
`tests/test_operations_load.py` (small, bounded). The plan is a JSON file named by ONCOFED_LOAD_PLAN.
Request names are route templates (no patient id), so statistics group by request type.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["ONCOFED_LOAD_PLAN"]).read_text(encoding="utf-8"))
PASSWORD = PLAN["password"]
NEXT = {"new": "pending", "pending": "flagged", "flagged": "pending"}
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_counter = itertools.count()
FEASIBILITY_REPEAT = "POST /api/feasibility (repeat: today's recorded answer)"


class Staff(HttpUser):
    """A member of staff who logs in through the login form (session cookie + CSRF token)."""

    abstract = True
    wait_time = between(1, 3)
    csrf = ""

    def login(self, username: str) -> None:
        page = self.client.get("/login", name="GET /login")
        token = _CSRF_INPUT.search(page.text)
        form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        with self.client.post(
            "/login", data=form, name="POST /login", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code not in (302, 303):
                r.failure(f"login failed: {r.status_code}")
        me = self.client.get("/patients", name="GET /patients")
        meta = _CSRF_META.search(me.text)
        self.csrf = meta.group(1) if meta else ""


class Clinician(Staff):
    weight = 4

    def on_start(self) -> None:
        self.centre = random.choice(PLAN["centres"])
        self.patients = PLAN["patients"][self.centre]
        self.login(f"clin-{self.centre}")
        self.patient_page()  # a consultation: the record first, then its matching trials
        self.match_page()

    @task(5)
    def match_page(self) -> None:
        pid = random.choice(self.patients)
        self.client.get(f"/patients/{pid}/matches", name="GET /patients/{patient_id}/matches (match page)")

    @task(2)
    def match_json(self) -> None:
        pid = random.choice(self.patients)
        self.client.get(f"/api/patients/{pid}/matches", name="GET /api/patients/{patient_id}/matches")

    @task(2)
    def patient_page(self) -> None:
        pid = random.choice(self.patients)
        self.client.get(f"/patients/{pid}", name="GET /patients/{patient_id}")

    @task(1)
    def patient_list(self) -> None:
        self.client.get("/patients", name="GET /patients")


class ResearchNurse(Staff):
    weight = 3

    def on_start(self) -> None:
        self.number = next(_counter)
        pair = PLAN["prescreen"][self.number % len(PLAN["prescreen"])]
        self.trial, self.centre = pair["trial_id"], pair["centre_id"]
        self.login(f"arc-{self.centre}")
        self.base = f"/api/prescreen/{self.trial}/{self.centre}"
        self.list_page()  # the list first, then work on its candidates
        self.change_status()

    @task(3)
    def list_page(self) -> None:
        self.client.get(
            f"/prescreen/{self.trial}/{self.centre}", name="GET /prescreen/{trial_id}/{centre_id}"
        )

    @task(3)
    def change_status(self) -> None:
        listing = self.client.get(self.base, name="GET /api/prescreen/{trial_id}/{centre_id}")
        if listing.status_code != 200:
            return
        mine = [
            c
            for k, c in enumerate(listing.json().get("candidates", []))
            if k % PLAN["nurses_per_list"] == self.number // len(PLAN["prescreen"]) % PLAN["nurses_per_list"]
            and c.get("status") in NEXT
        ]
        if not mine:
            return
        c = random.choice(mine)
        body = {
            "candidates": [{"patient_id": c["patient_id"], "version": c["version"]}],
            "status": NEXT[c["status"]],
        }
        with self.client.post(
            self.base + "/status",
            json=body,
            headers={"X-CSRF-Token": self.csrf},
            name="POST /api/prescreen/{trial_id}/{centre_id}/status",
            catch_response=True,
        ) as r:
            if r.status_code == 409:  # someone else changed it since the list was read: a normal outcome
                r.success()


class Public(HttpUser):
    weight = 4
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.search_page()

    @task(3)
    def search_page(self) -> None:
        self.client.get("/trials", params={"q": random.choice(PLAN["queries"])}, name="GET /trials?q=")

    @task(2)
    def search_api(self) -> None:
        self.client.get(
            "/api/trials", params={"q": random.choice(PLAN["queries"])}, name="GET /api/trials?q="
        )

    @task(2)
    def trial_page(self) -> None:
        self.client.get(f"/trials/{random.choice(PLAN['trials'])}", name="GET /trials/{trial_id}")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="GET /")


class TrialManager(Staff):
    weight = 1

    def on_start(self) -> None:
        self.login(PLAN["trial_manager"])

    @task
    def feasibility(self) -> None:
        trial = random.choice(PLAN["trials"])
        with self.client.post(
            "/api/feasibility",
            json={"trial_id": trial},
            headers={"X-CSRF-Token": self.csrf},
            name="POST /api/feasibility",
            catch_response=True,
        ) as r:
            if r.status_code == 429:
                r.failure("feasibility budget spent")
            elif r.status_code == 200 and r.json().get("repeat"):
                # today's question again: its recorded answer, nothing counted (a row of its own)
                r.request_meta["name"] = FEASIBILITY_REPEAT


# A fixed number of users per class instead of weights (the small CI run: every class present):
# ONCOFED_LOAD_FIXED="clinicians,nurses,public,trial managers", e.g. "3,3,3,1". In a function: Locust
# takes every module-level name bound to a user class for a user class of its own.
def _fix_counts(spec: str) -> None:
    counts = [int(x) for x in spec.split(",")]
    for cls, n in zip((Clinician, ResearchNurse, Public, TrialManager), counts, strict=True):
        cls.fixed_count = n


if os.environ.get("ONCOFED_LOAD_FIXED"):
    _fix_counts(os.environ["ONCOFED_LOAD_FIXED"])


# Every request's own time (ONCOFED_LOAD_SAMPLES names the file): exact percentiles instead of
# Locust's buckets, and the figures once every user is spawned (the ramp-up's logins done) apart from
# those of the whole run (benchmarks/load/runner.py reads it). One line per request:
# epoch seconds, name, milliseconds, 1 ok / 0 failed; "#spawned" marks the end of the ramp-up.
def _record_samples(path: str) -> None:
    out = open(path, "w", encoding="utf-8")  # noqa: SIM115 - open for the whole run, closed at quit

    @events.request.add_listener
    def _sample(name: str, response_time: float, exception: Any = None, **_: Any) -> None:
        out.write(f"{time.time():.3f}\t{name}\t{response_time:.1f}\t{0 if exception else 1}\n")

    @events.spawning_complete.add_listener
    def _spawned(user_count: int, **_: Any) -> None:
        out.write(f"{time.time():.3f}\t#spawned\t{user_count}\t1\n")

    @events.quitting.add_listener
    def _close(**_: Any) -> None:
        out.close()


if os.environ.get("ONCOFED_LOAD_SAMPLES"):
    _record_samples(os.environ["ONCOFED_LOAD_SAMPLES"])
