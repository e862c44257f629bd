"""Serving in production (issue 22): pools sized from the number of workers, liveness and readiness,
access logs without patient data, and `oncofed serve --workers N` as real processes."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from oncofed.domain import Actor
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.services.accounts.users import issue_token
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from oncofed.web.access_log import AccessLog, JsonLineFormatter
from oncofed.web.app import create_app
from oncofed.web.server import pool_for
from tests.conftest import free_port

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize("workers", [1, 2, 4, 8, 16, 40])
def test_pools_of_all_workers_stay_within_the_connection_budget(backend: str, workers: int) -> None:
    pool = pool_for(workers, backend, budget=80)
    per_worker = pool["pool_size"] + pool["max_overflow"]
    assert pool["pool_size"] >= 1 and per_worker >= 2
    assert workers * per_worker <= max(80, 2 * workers)  # never past the budget (2 each at the very least)
    assert per_worker >= 80 // workers  # and the whole budget is handed out
    assert pool_for(workers, backend)["pool_timeout"] > 0


def test_pool_sizes_reach_the_engine(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.sqlite3'}", pool=pool_for(4, "sqlite", budget=20))
    assert db.engine.pool.size() == 2 and db.engine.pool._max_overflow == 3  # type: ignore[attr-defined]
    db.dispose()


def test_liveness_and_readiness(demo_db: Database) -> None:
    client = TestClient(create_app(demo_db))
    live = client.get("/api/health/live")
    assert live.status_code == 200 and live.json()["pid"] == os.getpid()
    ready = client.get("/api/health/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready" and body["database"] == "sqlite"
    assert body["pool"]["size"] >= 1


def test_not_ready_when_the_schema_is_behind_or_the_database_is_down(sqlite_db: Database) -> None:
    client = TestClient(create_app(sqlite_db))
    assert client.get("/api/health/ready").status_code == 200
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    behind = client.get("/api/health/ready")
    assert behind.status_code == 503 and "oncofed db upgrade" in behind.json()["problem"]
    down = Database(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    response = TestClient(create_app(down)).get("/api/health/ready")
    assert response.status_code == 503 and response.json()["problem"].startswith("database:")
    assert TestClient(create_app(down)).get("/api/health/live").status_code == 200  # alive, not ready


def test_access_log_names_the_route_not_the_patient(demo_db: Database) -> None:
    stream = io.StringIO()
    logger = logging.getLogger("oncofed.access.test")
    logger.handlers[:] = []
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    with demo_db.session() as s:
        patient = PatientRepository(s, Actor.system("test")).list(centre_id="curie", limit=1)[0]
    token = issue_token(demo_db, "clin-curie", name="access-log test", actor=SETUP)
    client = TestClient(AccessLog(create_app(demo_db), logger))
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "proxy-req-12345678"}
    r = client.get(f"/api/patients/{patient.id}?q={patient.display_name}", headers=headers)
    assert r.status_code == 200 and r.headers["x-request-id"] == "proxy-req-12345678"
    client.get("/api/trials?q=breast")
    client.get("/no/such/page")
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert [x["route"] for x in lines] == ["/api/patients/{patient_id}", "/api/trials", "(unmatched)"]
    first = lines[0]
    assert first["status"] == 200 and first["role"] == "clinician" and first["method"] == "GET"
    assert first["bytes"] > 0 and first["ms"] >= 0 and first["request_id"] == "proxy-req-12345678"
    raw = stream.getvalue()
    assert patient.id not in raw and patient.display_name not in raw and "breast" not in raw
    assert lines[2]["status"] == 404 and len(lines[1]["request_id"]) == 16


def test_serve_with_two_workers_answers_from_both_and_stops_on_sigterm(
    demo_db: Database, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "DATABASE_URL": demo_db.url, "ONCOFED_LOG_TEST": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oncofed.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--access-log",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        pids: set[int] = set()
        deadline = time.monotonic() + 90
        base = f"http://127.0.0.1:{port}"
        while len(pids) < 2 and time.monotonic() < deadline:
            try:  # a new connection each time (a kept-alive one stays with one worker)
                pids.add(httpx.get(base + "/api/health/live", timeout=5).json()["pid"])
                assert httpx.get(base + "/api/health/ready", timeout=5).status_code == 200
            except httpx.TransportError:
                time.sleep(0.2)
        assert len(pids) == 2, "two worker processes should answer"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert {x["pid"] for x in lines} == pids
    assert {x["route"] for x in lines} == {"/api/health/live", "/api/health/ready"}
