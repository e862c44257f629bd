"""Network-wide pre-screening per partition of patients (issue 22): the batch matcher's vectorised
evaluation run per centre partition, locally and on Spark (mapInArrow), gives exactly what one
batch over the whole network gives; objectors and deceased patients are never exported."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from oncofed.domain import Actor
from oncofed.matching import trust
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.operations.spark import spark_available
from oncofed.services.prescreen.network import (
    export_patients,
    network_trials,
    profiles_from_arrow,
    run_local,
    run_on_spark,
)
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.repositories import TrialRepository

DAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def exported(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    path = tmp_path_factory.mktemp("network") / "patients.parquet"
    export_patients(demo_db, Actor.system("network pre-screening"), path)
    with demo_db.session() as s:
        ids = [t.id for t in TrialRepository(s).list()][:6]
    return path, network_trials(demo_db, ids)


def expected_rows(path: Path, trials: list[Any]) -> list[tuple[Any, ...]]:
    """One batch over the whole network, straight through the vectorised evaluator."""
    profiles = profiles_from_arrow(pq.read_table(path))
    batch = PatientBatch.from_profiles(profiles, DAY)
    rows = []
    for trial_id, criteria in trials:
        res = evaluate_trial_over_patients(criteria, batch)
        held = np.where(res.probably_not, "unlikely", "not_eligible")
        label = np.where(res.eligible, "eligible", np.where(res.possible, "possible", held))
        for j, p in enumerate(profiles):
            rows.append(
                (
                    trial_id,
                    p.id,
                    p.centre_id,
                    str(label[j]),
                    float(res.score[j]),
                    int(res.met[j]),
                    int(res.unknown[j]),
                    int(res.not_met[j]),
                )
            )
    return sorted(rows)


def as_rows(table: Any) -> list[tuple[Any, ...]]:
    return sorted(tuple(r.values()) for r in table.to_pylist())


def test_export_leaves_out_objectors_and_the_deceased(
    demo_db: Database, exported: tuple[Path, list[Any]]
) -> None:
    path, _ = exported
    ids = set(pq.read_table(path).column("patient_id").to_pylist())
    with demo_db.session() as s:
        rows = s.query(PatientRow.id, PatientRow.research_objection, PatientRow.deceased).all()
    hidden = {r[0] for r in rows if r[1] or r[2]}
    assert hidden and not (ids & hidden)
    assert ids == {r[0] for r in rows} - hidden


def test_partitions_by_centre_give_what_one_network_batch_gives(exported: tuple[Path, list[Any]]) -> None:
    path, trials = exported
    # the shipped decision policy (it may trust no reading: nobody excluded), then the strict engine, where
    # the trials must separate patients (the comparison is not vacuous)
    assert as_rows(run_local(path, trials, DAY).results) == expected_rows(path, trials)
    with trust.using(None):
        run = run_local(path, trials, DAY)
        assert run.partitions > 10 and run.results.num_rows == run.patients * len(trials)
        got = as_rows(run.results)
        assert got == expected_rows(path, trials)
    assert {r[3] for r in got} >= {"not_eligible", "possible"}  # the trials separate patients
    counts = run.counts()
    assert sum(c["eligible"] + c["possible"] + c["not_eligible"] for c in counts) == run.results.num_rows


@pytest.mark.skipif(
    not spark_available(), reason="pyspark not installed: pip install -e '.[spark]' (needs Java 17)"
)
def test_spark_partitions_give_the_same_rows(exported: tuple[Path, list[Any]]) -> None:
    from oncofed.services.operations.spark import spark_session

    path, trials = exported
    spark = spark_session("local[2]", "oncofed-tests")
    run = run_on_spark(spark, path, trials, DAY, partitions=4)
    assert run.engine == "spark" and run.partitions == 4
    assert as_rows(run.results) == expected_rows(path, trials)


def test_cli_writes_every_row(demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app

    with demo_db.session() as s:
        trial = TrialRepository(s).list()[0].id
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    out = tmp_path / "rows.csv"
    result = CliRunner().invoke(app, ["prescreen-network", trial, "--out", str(out), "--on", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert (
        lines[0].replace('"', "")
        == "trial_id,patient_id,centre_id,eligibility,score,n_met,n_unknown,n_not_met"
    )
    assert len(lines) > 200 and "partitions (local)" in result.output
