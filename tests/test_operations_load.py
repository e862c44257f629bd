"""The load test in CI (issue 22), small and bounded: every request type of the Locust mix served
by `oncofed serve --workers 2` on loopback, on SQLite and PostgreSQL, without one error.
The figures at 50 and 200 users on the 50,000-patient demo come from benchmarks/bench_load.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.load.runner import prepare_plan, run_locust

from oncofed.store.db import Database
from oncofed.synthetic.demo import build_demo
from tests.server_process import ServerProcess

REQUEST_TYPES = {
    "GET /patients/{patient_id}/matches (match page)",
    "GET /api/patients/{patient_id}/matches",
    "GET /patients/{patient_id}",
    "GET /prescreen/{trial_id}/{centre_id}",
    "GET /api/prescreen/{trial_id}/{centre_id}",
    "POST /api/prescreen/{trial_id}/{centre_id}/status",
    "GET /trials?q=",
    "GET /api/trials?q=",
    "GET /trials/{trial_id}",
    "POST /api/feasibility",
    "POST /login",
}


def test_a_small_bounded_load_run_serves_every_request_type_without_error(
    db: Database, tmp_path: Path
) -> None:
    build_demo(db, patients=200, seed=3)
    plan = tmp_path / "plan.json"
    prepare_plan(db, plan, lists_per_centre=1)
    db.dispose()
    with ServerProcess(db.url, workers=2) as server:
        result = run_locust(
            server.base_url, plan, users=12, seconds=25, out_prefix=tmp_path / "load", spawn_rate=6
        )
    seen = {s.name for s in result.by_request if s.requests}
    assert seen >= REQUEST_TYPES, REQUEST_TYPES - seen
    assert result.failures == 0, result.failures_detail[:5]
    assert result.requests > 100 and result.rps > 0
    for s in result.by_request:
        assert s.p50 <= s.p95 <= s.p99


def test_the_load_test_refuses_any_host_but_this_machine(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_locust("http://10.0.0.8:8000", tmp_path / "plan.json", 1, 1, tmp_path / "x")
