"""`oncofed prescreen TRIAL --centre C` and `oncofed recruitment TRIAL`: output formats and errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from oncofed import cli
from oncofed.services.prescreen import lists as prescreen
from oncofed.store.db import Database
from oncofed.store.models_prescreen import EnrolmentRow
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network
from tests.test_cli import run


def test_prescreen_and_recruitment_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = Database(url)
    a, b = build_network(db)
    with db.session() as s:
        s.execute(
            insert(EnrolmentRow),
            [
                {
                    "trial_id": TRIAL_ID,
                    "site_key": a,
                    "centre_id": a,
                    "enrolled_on": date.today() - timedelta(days=d),
                }
                for d in (5, 50, 120)
            ],
        )
    db.dispose()
    env = {"DATABASE_URL": url}
    # in process, with the stand-in engine (the real one is exercised in test_prescreen.py)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(prescreen, "DEFAULT_ENGINE", FAKE_ENGINE)
    runner = CliRunner()
    out = runner.invoke(cli.app, ["prescreen", TRIAL_ID, "--centre", a, "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert {c["patient_id"] for c in payload["candidates"]} == {"A-1", "A-2", "A-3", "A-4", "A-5"}
    assert payload["refresh"]["evaluated"] == 5 and payload["counts"]["eligible"] == 1
    csv_out = runner.invoke(cli.app, ["prescreen", TRIAL_ID, "--centre", a, "--csv"])
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert len(rows) == 5 and rows[0]["rank"] == "1" and rows[0]["patient_id"] == "A-1"
    table = runner.invoke(cli.app, ["prescreen", TRIAL_ID, "--centre", a, "--candidates-only"])
    assert table.exit_code == 0 and "A-3" not in table.stdout and "A-1" in table.stdout
    wrong = run(["prescreen", TRIAL_ID, "--centre", "nowhere"], env=env, cwd=tmp_path)
    assert wrong.returncode == 2 and "no centre named 'nowhere'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    rec = run(["recruitment", TRIAL_ID, "--json"], env=env, cwd=tmp_path)
    data = json.loads(rec.stdout)
    assert data["enrolled"] == 3 and data["target"] == 100 and data["projected_completion"]
    assert data["model"].startswith("Poisson accrual")
    text = runner.invoke(cli.app, ["recruitment", TRIAL_ID])
    assert text.exit_code == 0 and "projected completion" in text.stdout.lower()
    sites = runner.invoke(cli.app, ["recruitment", TRIAL_ID, "--csv"])
    assert sites.stdout.splitlines()[0].startswith("site,centre_id,status,target,enrolled")
    bad = runner.invoke(cli.app, ["recruitment", TRIAL_ID, "--as-of", "soon"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in str(bad.exception)


def test_match_index_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'idx.sqlite3'}"
    db = Database(url)
    a, _ = build_network(db)
    db.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    first = runner.invoke(cli.app, ["match-index", "--centre", a, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["recomputed"] == 6  # centre A: 7 patients, one deceased
    again = runner.invoke(cli.app, ["match-index"])
    assert again.exit_code == 0 and "2 records recomputed" in again.stdout  # centre B's two
