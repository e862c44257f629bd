"""Prepare a database for the load test (the plan the Locust users follow) and run Locust headless,
bounded in users and time, against a loopback server only; read back its statistics."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.services.accounts.users import DEMO_CENTRES, DEMO_PASSWORD, ensure_demo_accounts
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.repositories import TrialRepository

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
QUERIES = ["breast", "lung cancer", "EGFR", "melanoma", "HER2", "immunotherapy", "colorectal", "prostate"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def prepare_plan(db: Database, path: Path, lists_per_centre: int = 2, seed: int = 1) -> dict[str, Any]:
    """Demo accounts, a few pre-screening lists computed, and the ids the users pick from."""
    rng = random.Random(seed)
    ensure_demo_accounts(db)
    prescreen = []
    patients: dict[str, list[str]] = {}
    with db.session() as s:
        all_trials = [t.id for t in TrialRepository(s).list()]
        by_centre = {c: [t.id for t in TrialRepository(s).for_centre(c)] for c in DEMO_CENTRES}
        for c in DEMO_CENTRES:
            ids = list(
                s.scalars(
                    select(PatientRow.id).where(PatientRow.centre_id == c, PatientRow.deceased.is_(False))
                )
            )
            patients[c] = sorted(rng.sample(ids, min(300, len(ids))))
    for c in DEMO_CENTRES:
        for trial in by_centre[c][:lists_per_centre]:
            refresh_prescreen(db, trial, c, Actor.system("load test"))
            prescreen.append({"trial_id": trial, "centre_id": c})
    plan = {
        "password": DEMO_PASSWORD,
        "centres": list(DEMO_CENTRES),
        "patients": patients,
        "prescreen": prescreen,
        "nurses_per_list": 50,
        "trials": sorted(rng.sample(all_trials, min(8, len(all_trials)))),
        "queries": QUERIES,
        "trial_manager": "trials",
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return plan


@dataclass
class RequestStats:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    mean: float
    rps: float


@dataclass
class Window:
    """Exact statistics of the requests sent in a part of the run (from the samples file)."""

    seconds: float
    requests: int
    failures: int
    by_request: list[RequestStats]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


@dataclass
class LoadResult:
    users: int
    seconds: int
    requests: int
    failures: int
    rps: float
    by_request: list[RequestStats]
    failures_detail: list[dict[str, str]]
    whole: Window | None = None  # exact figures of the whole run (Locust's are bucketed)
    steady: Window | None = None  # once every user was spawned and had logged in
    spawned_after: float = 0.0  # seconds from the first request to the end of the ramp-up
    settle: float = 0.0  # seconds after the ramp-up also left out of the steady state
    samples: dict[str, list[float]] = field(default_factory=dict)  # name -> ms, whole run


def run_locust(
    base_url: str,
    plan: Path,
    users: int,
    seconds: int,
    out_prefix: Path,
    spawn_rate: float | None = None,
    fixed: tuple[int, int, int, int] | None = None,
    settle: float = 0.0,
) -> LoadResult:
    """Locust headless against `base_url` (loopback only), `users` users for `seconds` seconds;
    `fixed`: exactly this many clinicians, nurses, public users and trial managers (else weights);
    `settle`: seconds after the ramp-up left out of the steady state too (its queue draining)."""
    host = urlparse(base_url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the load test only targets this machine (loopback), not {host!r}")
    rate = spawn_rate or max(1.0, users / 10)
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--stop-timeout", "10",
        "--host", base_url, "--csv", str(out_prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    samples = Path(f"{out_prefix}_samples.tsv")
    env = {**os.environ, "ONCOFED_LOAD_PLAN": str(plan), "ONCOFED_LOAD_SAMPLES": str(samples)}
    if fixed:
        env["ONCOFED_LOAD_FIXED"] = ",".join(str(n) for n in fixed)
    subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 180, check=False)
    result = read_stats(out_prefix, users, seconds)
    if samples.exists():
        read_samples(samples, result, settle)
    return result


def _percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile (the smallest value with at least q % of the values at or below it)."""
    if not sorted_ms:
        return 0.0
    rank = max(1, -(-len(sorted_ms) * q // 100))
    return sorted_ms[int(rank) - 1]


def _window(rows: list[tuple[float, str, float, bool]], seconds: float) -> Window:
    by: dict[str, list[float]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    for _, name, ms, ok in rows:
        by[name].append(ms)
        failed[name] += 0 if ok else 1
    stats = []
    for name, values in sorted(by.items()):
        values.sort()
        stats.append(
            RequestStats(
                name, len(values), failed[name], _percentile(values, 50), _percentile(values, 95),
                _percentile(values, 99), sum(values) / len(values), len(values) / seconds if seconds else 0.0,
            )
        )  # fmt: skip
    return Window(seconds, len(rows), sum(failed.values()), stats)


def read_samples(path: Path, result: LoadResult, settle: float = 0.0) -> None:
    """Exact per-request statistics from the samples file (benchmarks/load/locustfile.py): the whole
    run, and the requests sent after the ramp-up (every user spawned and logged in: the logins, 0.2 s
    of argon2 CPU each, fall in the first part) and `settle` seconds more."""
    rows: list[tuple[float, str, float, bool]] = []
    spawned = None
    for line in path.read_text(encoding="utf-8").splitlines():
        at, name, ms, ok = line.split("\t")
        if name == "#spawned":
            spawned = float(at)
            continue
        rows.append((float(at), name, float(ms), ok == "1"))
    if not rows:
        return
    start, end = min(r[0] for r in rows), max(r[0] for r in rows)
    result.whole = _window(rows, max(end - start, 1e-9))
    result.samples = {s.name: [] for s in result.whole.by_request}
    for row in rows:
        result.samples[row[1]].append(row[2])
    if spawned is not None:
        # the ramp-up ends when every user is spawned and the last one has logged in (users log in
        # once, in on_start); a line is written when its request ends: those sent earlier are left out
        ramp_end = max([spawned, *(r[0] for r in rows if r[1] == "POST /login")])
        steady_from = ramp_end + settle
        after = [r for r in rows if r[0] - r[2] / 1000 >= steady_from]
        result.spawned_after = ramp_end - start
        result.settle = settle
        if after:
            result.steady = _window(after, max(end - steady_from, 1e-9))


def read_stats(prefix: Path, users: int, seconds: int) -> LoadResult:
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise RuntimeError(f"locust wrote no statistics ({stats_file})")
    rows = list(csv.DictReader(stats_file.open(encoding="utf-8")))
    per = [
        RequestStats(
            r["Name"],
            int(r["Request Count"]),
            int(r["Failure Count"]),
            float(r["50%"] or 0),
            float(r["95%"] or 0),
            float(r["99%"] or 0),
            float(r["Average Response Time"] or 0),
            float(r["Requests/s"] or 0),
        )
        for r in rows
        if r["Name"] != "Aggregated"
    ]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures_file = Path(f"{prefix}_failures.csv")
    failures = list(csv.DictReader(failures_file.open(encoding="utf-8"))) if failures_file.exists() else []
    return LoadResult(
        users,
        seconds,
        int(total["Request Count"]),
        int(total["Failure Count"]),
        float(total["Requests/s"] or 0),
        sorted(per, key=lambda s: s.name),
        failures,
    )
