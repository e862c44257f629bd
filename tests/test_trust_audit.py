"""Audit gaps found by the outside probe (issue 17): screening-log reads, command-line reads and
refused cross-centre attempts. Each test fails on the code of commit bef02d6, where the screening log
wrote no audit row, `oncofed match` / `oncofed prescreen` ran as the unaudited system actor, and a
refused read of another centre's patient left no trace."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.domain import Actor, Role
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, change_status
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from tests.conftest import copy_sqlite
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse


def actions(db: Database, **filters: str) -> list[str]:
    return [r["action"] for r in audit.search(db.engine, **filters)]


@pytest.fixture
def screened(db: Database) -> tuple[Database, str, str]:
    a, b = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 0)], "pending", note='=HYPERLINK("x")')
    return db, a, b


def test_every_read_of_the_screening_log_is_audited_json_csv_and_page(
    screened: tuple[Database, str, str], client_as
) -> None:  # type: ignore[no-untyped-def]
    db, a, _ = screened
    client = client_as(db, nurse(a, "rose"))
    for url, headers in (
        (f"/api/prescreen/{TRIAL_ID}/{a}/log", {}),
        (f"/api/prescreen/{TRIAL_ID}/{a}/log?format=csv", {}),
        (f"/prescreen/{TRIAL_ID}/{a}/log", {"accept": "text/html"}),
    ):
        before = len(actions(db, user="rose", action="prescreen.log"))
        assert client.get(url, headers=headers).status_code == 200
        rows = audit.search(db.engine, user="rose", action="prescreen.log")
        assert len(rows) == before + 1, url
        assert rows[0]["patient_ids"] == "A-1" and rows[0]["centre_ids"] == a


def test_refused_cross_centre_reads_are_security_events_the_dpo_lists(
    screened: tuple[Database, str, str], client_as
) -> None:  # type: ignore[no-untyped-def]
    db, a, b = screened
    client = client_as(db, nurse(a, "rose"))
    assert client.get("/api/patients/B-1").status_code == 404
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{b}/log").status_code == 404
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{b}").status_code == 404
    status = client.post(
        f"/api/prescreen/{TRIAL_ID}/{a}/status",
        json={"status": "pending", "candidates": [{"patient_id": "B-1", "version": 0}]},
    )
    assert status.status_code == 404
    assert client.get("/api/patients/nobody-0001").status_code == 404  # exists nowhere: no event
    events = audit.search(db.engine, user="rose", security=True)
    assert [e["action"] for e in events] == ["security.refused"] * 4
    details = " | ".join(e["detail"] for e in events)
    assert "patient.read" in details and "screening log" in details and "pre-screening" in details
    assert {e["patient_ids"] for e in events} >= {"B-1"} and all(e["n_records"] == 0 for e in events)
    dpo = client_as(db, Actor("dora", Role.DPO, purpose="audit"))
    listed = dpo.get("/api/audit", params={"security": "1", "user": "rose"}).json()
    assert listed["count"] == 4
    csv = dpo.get("/api/audit", params={"security": "1", "format": "csv"}).text
    assert "security.refused" in csv and "B-1" in csv


def test_the_status_route_refuses_a_body_that_disagrees_with_its_path(
    screened: tuple[Database, str, str], client_as
) -> None:  # type: ignore[no-untyped-def]
    """On bef02d6 the `{centre_id}` of the path was ignored: a candidate of centre A could be changed
    through B's list. Now the candidate must belong to the centre the path names."""
    db, a, b = screened
    both = Actor("nina", Role.RESEARCH_STAFF, frozenset({a, b}))
    client = client_as(db, both)
    wrong = client.post(
        f"/api/prescreen/{TRIAL_ID}/{b}/status",
        json={"status": "eligible", "candidates": [{"patient_id": "A-1", "version": 1}]},
    )
    assert wrong.status_code == 404
    right = client.post(
        f"/api/prescreen/{TRIAL_ID}/{a}/status",
        json={"status": "eligible", "candidates": [{"patient_id": "A-1", "version": 1}]},
    )
    assert right.status_code == 200


def test_opening_a_prescreening_list_with_get_changes_nothing(
    screened: tuple[Database, str, str], client_as
) -> None:  # type: ignore[no-untyped-def]
    """On bef02d6 a GET of the list re-evaluated, created notifications, marked them read and
    recorded the visit. Now GETs are read-only; the refresh is a POST (CSRF-protected)."""
    from sqlalchemy import func, select

    from oncofed.store.models_prescreen import NotificationRow, PrescreenRunRow, PrescreenVisitRow

    db, a, _ = screened
    client = client_as(db, nurse(a))
    client.app.state.prescreen_engine = FAKE_ENGINE

    def state() -> tuple[object, ...]:
        with db.session() as s:
            return (
                s.scalar(select(PrescreenRunRow.computed_at)),
                s.scalar(select(func.count()).select_from(PrescreenVisitRow)),
                [tuple(r.read_by or []) for r in s.scalars(select(NotificationRow))],
            )

    before = state()
    assert client.get(f"/prescreen/{TRIAL_ID}/{a}", headers={"accept": "text/html"}).status_code == 200
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{a}").status_code == 200
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{a}?format=csv").status_code == 200
    assert state() == before
    assert client.post(f"/api/prescreen/{TRIAL_ID}/{a}/refresh").status_code == 200
    after = state()
    assert after[0] != before[0] and after[1] == 1 and after[2] != before[2]


@pytest.fixture
def cli_db(demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    copy_sqlite(demo_db, tmp_path / "oncofed.sqlite3")
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")


def test_command_line_reads_are_audited_as_the_os_user(cli_db: Database) -> None:
    from sqlalchemy import select

    from oncofed.cli import app
    from oncofed.store.models import TrialSiteRow

    with cli_db.session() as s:
        pid = s.scalar(select(PatientRow.id).where(PatientRow.centre_id == "curie").order_by(PatientRow.id))
        trial = s.scalar(select(TrialSiteRow.trial_id).where(TrialSiteRow.centre_id == "curie"))
    me = f"cli:{getpass.getuser()}"
    runner = CliRunner()
    out = runner.invoke(app, ["match", str(pid), "--json", "--limit", "3"])
    assert out.exit_code == 0, out.output
    reads = audit.search(cli_db.engine, user=me, action="patient.read")
    assert len(reads) == 1 and reads[0]["patient_ids"] == pid and reads[0]["role"] == "system"
    assert reads[0]["detail"].startswith("cli: oncofed match")
    out = runner.invoke(app, ["prescreen", str(trial), "--centre", "curie", "--csv"])
    assert out.exit_code == 0, out.output
    listed = audit.search(cli_db.engine, user=me, action="prescreen.list")
    assert len(listed) == 1 and listed[0]["n_records"] > 0 and listed[0]["purpose"] == "research"
    out = runner.invoke(app, ["audit", "list", "--security", "--csv"])
    assert out.exit_code == 0 and out.output.startswith("seq,")
