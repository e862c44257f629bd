"""The load test in CI (issue 22), small and bounded: every request type of the Locust mix served
by `oncofed serve --workers 2` on loopback, on PostgreSQL, without one error.
The figures at 50 and 200 users on the 50,000-patient demo come from benchmarks/bench_load.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from benchmarks.load.runner import prepare_plan, run_locust

from oncofed.domain.actor import Actor as _SetupActor
from oncofed.services.accounts.users import issue_token
from oncofed.store.db import Database
from oncofed.synthetic.demo import build_demo
from tests.server_process import ServerProcess

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

# what every user of each class does first (login, then its first steps): present in any run
REQUEST_TYPES = {
    "POST /login",
    "GET /patients/{patient_id}",
    "GET /patients/{patient_id}/matches (match page)",
    "GET /prescreen/{trial_id}/{centre_id}",
    "GET /api/prescreen/{trial_id}/{centre_id}",
    "POST /api/prescreen/{trial_id}/{centre_id}/status",
    "GET /trials?q=",
    "POST /api/feasibility",
}


@pytest.fixture
def pg_db(pg_admin_url: str) -> Iterator[Database]:
    """The production database only (the suite's time is counted): an empty migrated PostgreSQL."""
    from tests.conftest import _drop_pg_database, _new_pg_database

    url = _new_pg_database(pg_admin_url)
    database = Database(url)
    yield database
    database.dispose()
    _drop_pg_database(pg_admin_url, url)


def warm_up(base: str, token: str, plan: dict[str, Any]) -> None:
    """Not measured: each worker loads the matching engine on its first pre-screening page (10-15 s
    on a busy machine). New connections, so both workers get some."""
    pair = next(p for p in plan["prescreen"] if p["centre_id"] == "curie")
    for _ in range(6):
        httpx.get(
            f"{base}/prescreen/{pair['trial_id']}/curie",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )


def test_a_small_bounded_load_run_serves_every_request_type_without_error(
    pg_db: Database, tmp_path: Path
) -> None:
    db = pg_db
    build_demo(db, patients=200, seed=3)
    plan = tmp_path / "plan.json"
    prepare_plan(db, plan, lists_per_centre=1)
    nurse = issue_token(db, "arc-curie", name="load warm-up", actor=SETUP)
    db.dispose()
    with ServerProcess(db.url, workers=2) as server:
        warm_up(server.base_url, nurse, json.loads(plan.read_text()))
        result = run_locust(
            server.base_url,
            plan,
            users=10,
            seconds=30,
            out_prefix=tmp_path / "load",
            spawn_rate=5,
            fixed=(3, 3, 3, 1),
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
