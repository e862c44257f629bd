"""Single requests, no load: each request type of the load mix alone, one after the other, in one
process (the FastAPI app through Starlette's TestClient, the database of the load test). Per request
type: the median CPU time of the process, the median wall time and the median time spent in SQL
statements (the database's share, PostgreSQL's own CPU included). On 2 shared cores these are the
honest unit figures; the load test shows what they add up to.

Run: .venv/bin/python -m benchmarks.load.single --database-url URL [--plan PLAN] [-n 20]
     [--json OUT] [--before OUT_OF_AN_EARLIER_RUN]

Before/after side by side: run it once from a worktree of the earlier commit
(`git worktree add /tmp/wt-before COMMIT`; `PYTHONPATH=/tmp/wt-before/src python -m
benchmarks.load.single ... --json before.json`), then from this tree with `--before before.json`.
Feasibility is counted by an internal job (no privacy budget spent, nothing disclosed): the cost of
counting one question over every centre, which a trial manager's first question pays.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from oncofed.domain import Actor
from oncofed.store.db import Database

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
NEXT = {"new": "pending", "pending": "flagged", "flagged": "pending"}


class SqlClock:
    """Wall time spent between a statement's start and end, summed (all connections)."""

    def __init__(self, db: Database) -> None:
        self.total = 0.0
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, *_: Any) -> None:
        conn.info.setdefault("_t0", []).append(time.perf_counter())

    def _after(self, conn: Any, *_: Any) -> None:
        self.total += time.perf_counter() - conn.info["_t0"].pop()


def _login(app: Any, username: str, password: str) -> TestClient:
    client = TestClient(app, base_url="http://127.0.0.1")
    token = CSRF_INPUT.search(client.get("/login").text)
    form = {"username": username, "password": password, "csrf_token": token.group(1) if token else ""}
    response = client.post("/login", data=form, follow_redirects=False)
    if response.status_code not in (302, 303):
        raise RuntimeError(f"login of {username} failed: {response.status_code}")
    meta = CSRF_META.search(client.get("/patients").text)
    client.headers["X-CSRF-Token"] = meta.group(1) if meta else ""
    return client


def requests_of(db: Database, plan: dict[str, Any], seed: int = 7) -> dict[str, Callable[[], Any]]:
    """One callable per request type (the names of the load test's mix)."""
    from oncofed.services.feasibility.counts import run_feasibility, trial_question
    from oncofed.web.app import create_app

    app = create_app(db)
    rng = random.Random(seed)
    pair = plan["prescreen"][0]
    trial, centre = pair["trial_id"], pair["centre_id"]
    patients = plan["patients"][centre]
    clinician = _login(app, f"clin-{centre}", plan["password"])
    nurse = _login(app, f"arc-{centre}", plan["password"])
    public = TestClient(app, base_url="http://127.0.0.1")
    base = f"/api/prescreen/{trial}/{centre}"

    def status_change() -> Any:
        listing = nurse.get(base).json()["candidates"]
        c = rng.choice([c for c in listing if c.get("status") in NEXT])
        body = {"candidates": [{"patient_id": c["patient_id"], "version": c["version"]}]}
        return nurse.post(base + "/status", json={**body, "status": NEXT[c["status"]]})

    def feasibility() -> Any:
        return run_feasibility(
            db, Actor.system("single-request benchmark"), trial_question(db, plan["trials"][0])
        )

    return {
        "GET /": lambda: public.get("/"),
        "GET /patients/{patient_id}/matches (match page)": lambda: clinician.get(
            f"/patients/{rng.choice(patients)}/matches"
        ),
        "GET /api/patients/{patient_id}/matches": lambda: clinician.get(
            f"/api/patients/{rng.choice(patients)}/matches"
        ),
        "GET /patients/{patient_id}": lambda: clinician.get(f"/patients/{rng.choice(patients)}"),
        "GET /patients": lambda: clinician.get("/patients"),
        "GET /prescreen/{trial_id}/{centre_id}": lambda: nurse.get(f"/prescreen/{trial}/{centre}"),
        "GET /api/prescreen/{trial_id}/{centre_id}": lambda: nurse.get(base),
        "GET + POST /api/prescreen/{trial_id}/{centre_id}/status": status_change,
        "GET /trials?q=": lambda: public.get("/trials", params={"q": rng.choice(plan["queries"])}),
        "GET /api/trials?q=": lambda: public.get("/api/trials", params={"q": rng.choice(plan["queries"])}),
        "GET /trials/{trial_id}": lambda: public.get(f"/trials/{rng.choice(plan['trials'])}"),
        "feasibility: counting one question (every centre)": feasibility,
    }


def measure(db: Database, plan: dict[str, Any], n: int) -> dict[str, dict[str, float]]:
    clock = SqlClock(db)
    out: dict[str, dict[str, float]] = {}
    for name, call in requests_of(db, plan).items():
        first = call()  # warm: the worker's first use of an engine is not what we measure
        if getattr(first, "status_code", 200) >= 400:
            raise RuntimeError(f"{name}: {first.status_code} {first.text[:200]}")
        k = n if name.startswith(("GET", "POST")) else max(3, n // 5)
        cpu, wall, sql = [], [], []
        for _ in range(k):
            clock.total = 0.0
            c0, w0 = time.process_time(), time.perf_counter()
            call()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            sql.append(clock.total)
        out[name] = {
            "n": k,
            "cpu_ms": 1000 * statistics.median(cpu),
            "wall_ms": 1000 * statistics.median(wall),
            "sql_ms": 1000 * statistics.median(sql),
        }
        print(f"{name}: {out[name]}", flush=True)
    return out


def markdown(after: dict[str, dict[str, float]], before: dict[str, dict[str, float]] | None) -> str:
    if before is None:
        lines = ["| request type | CPU (ms) | wall (ms) | SQL (ms) |", "|---|---:|---:|---:|"]
        for name, a in after.items():
            lines.append(f"| `{name}` | {a['cpu_ms']:.0f} | {a['wall_ms']:.0f} | {a['sql_ms']:.0f} |")
        return "\n".join(lines)
    lines = [
        "| request type | CPU before (ms) | CPU after (ms) | wall before (ms) | wall after (ms) "
        "| SQL before (ms) | SQL after (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, a in after.items():
        b = before.get(name)
        if b is None:
            continue
        lines.append(
            f"| `{name}` | {b['cpu_ms']:.0f} | {a['cpu_ms']:.0f} | {b['wall_ms']:.0f} | {a['wall_ms']:.0f} "
            f"| {b['sql_ms']:.0f} | {a['sql_ms']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--plan", default="", help="The load test's plan (made here when not given).")
    parser.add_argument("-n", type=int, default=20, help="Requests per type (a fifth for feasibility).")
    parser.add_argument("--json", default="", help="Write the figures here.")
    parser.add_argument("--before", default="", help="Figures of an earlier run, shown side by side.")
    args = parser.parse_args()
    db = Database(args.database_url)
    if args.plan:
        plan = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    else:
        from benchmarks.load.runner import prepare_plan

        with tempfile.TemporaryDirectory() as tmp:
            plan = prepare_plan(db, Path(tmp) / "plan.json")
    figures = measure(db, plan, args.n)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    before = json.loads(Path(args.before).read_text(encoding="utf-8")) if args.before else None
    print(markdown(figures, before))


if __name__ == "__main__":
    main()
