"""Prepare a database for the load test (the plan the Locust users follow) and run Locust headless,
bounded in users and time, against a loopback server only; read back its statistics."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
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
class LoadResult:
    users: int
    seconds: int
    requests: int
    failures: int
    rps: float
    by_request: list[RequestStats]
    failures_detail: list[dict[str, str]]


def run_locust(
    base_url: str,
    plan: Path,
    users: int,
    seconds: int,
    out_prefix: Path,
    spawn_rate: float | None = None,
    fixed: tuple[int, int, int, int] | None = None,
) -> LoadResult:
    """Locust headless against `base_url` (loopback only), `users` users for `seconds` seconds;
    `fixed`: exactly this many clinicians, nurses, public users and trial managers (else weights)."""
    host = urlparse(base_url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the load test only targets this machine (loopback), not {host!r}")
    rate = spawn_rate or max(1.0, users / 10)
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--stop-timeout", "10",
        "--host", base_url, "--csv", str(out_prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "ONCOFED_LOAD_PLAN": str(plan)}
    if fixed:
        env["ONCOFED_LOAD_FIXED"] = ",".join(str(n) for n in fixed)
    subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 180, check=False)
    return read_stats(out_prefix, users, seconds)


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
