"""`oncofed match-index` warms the stored match features after a deploy (SQLite and PostgreSQL).

A deploy that changes the matching code changes `FEATURE_VERSION`, so every stored row is stale: the
command counts them (`--check`, exit code 1), recomputes them per centre or all with a progress bar,
reports the counts, and a second run does nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from oncofed import cli
from oncofed.store.db import Database
from oncofed.store.models_matchindex import PatientMatchFeaturesRow
from tests.prescreen_fixtures import build_network


def _run(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli.app, ["match-index", *args, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def _centres(out: dict[str, object]) -> dict[str, tuple[int, int, int]]:
    rows = out["centres"]
    assert isinstance(rows, list)
    return {r["centre_id"]: (r["patients"], r["stale_before"], r["stale_now"]) for r in rows}


def test_after_a_deploy_every_row_is_stale_warmed_per_centre_then_all_and_a_second_run_does_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.services.matching import match_index

    a, b = build_network(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    code, first = _run()  # never built: every living patient (A: 6 of 7, one deceased; B: 2)
    assert code == 0 and first["recomputed"] == 8 and first["stale_now"] == 0
    assert _centres(first) == {a: (6, 6, 0), b: (2, 2, 0)}
    code, fresh = _run("--check")
    assert code == 0 and fresh["stale_before"] == 0 and fresh["recomputed"] == 0

    monkeypatch.setattr(match_index, "FEATURE_VERSION", "next-deploy")  # the matching code changed
    code, check = _run("--check")
    assert code == 1 and check["stale_before"] == 8 and check["recomputed"] == 0  # counted, not rebuilt
    code, one = _run("--centre", a)
    assert code == 0 and one["recomputed"] == 6 and _centres(one) == {a: (6, 6, 0)}
    code, rest = _run()
    assert code == 0 and rest["recomputed"] == 2 and _centres(rest) == {a: (6, 0, 0), b: (2, 2, 0)}
    code, again = _run()
    assert code == 0 and again["recomputed"] == 0 and again["stale_before"] == 0
    with db.session() as s:
        versions = set(s.scalars(select(PatientMatchFeaturesRow.version)))
    assert versions == {"next-deploy"}


def test_the_text_output_names_the_counts(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    build_network(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    result = CliRunner().invoke(cli.app, ["match-index", "--check"])
    assert result.exit_code == 1 and "8 of 8 records are out of date (nothing recomputed)" in result.stdout
    result = CliRunner().invoke(cli.app, ["match-index"])
    assert result.exit_code == 0 and "8 records recomputed" in result.stdout
    bad = CliRunner().invoke(cli.app, ["match-index", "--centre", "Atlantis"])
    assert bad.exit_code != 0 and "Atlantis" in str(bad.exception or bad.output)
