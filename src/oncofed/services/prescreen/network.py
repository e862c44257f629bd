"""Network-wide pre-screening, partition by partition: the batch matcher's vectorised evaluation
(`matching/vectorised.py`, the same public functions pre-screening calls) run on each partition
of patients, locally or on Spark (`mapInArrow`), for every trial asked.

Patients come as Parquet in the layout of the `patients` table (facts as JSON, `PATIENT_SCHEMA`):
`export_patients` writes it from the store (research use: objectors and deceased patients are
never exported, through the actor-scoped repository); a network's warehouse can hold the same
layout. The result is one row per (trial, patient): eligible / possible / not eligible, the score
and the criterion counts (`RESULT_SCHEMA`). Partitions are by centre, which is how a network's
data is laid out (each centre's partition), so a partition is also a unit of isolation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from oncofed.domain import Actor, Criterion, PatientProfile
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.prescreen.access import research_actor
from oncofed.services.trials.criteria import trial_criteria
from oncofed.store.db import Database
from oncofed.store.mapping import fact_from_json, fact_to_json
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository

PATIENT_SCHEMA = pa.schema(
    [
        ("patient_id", pa.string()),
        ("centre_id", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.date32()),
        ("age_years", pa.float64()),
        ("primary_cancer", pa.string()),
        ("stage", pa.string()),
        ("ecog", pa.int32()),
        ("facts", pa.string()),
    ]
)
RESULT_SCHEMA = pa.schema(
    [
        ("trial_id", pa.string()),
        ("patient_id", pa.string()),
        ("centre_id", pa.string()),
        ("eligibility", pa.string()),
        ("score", pa.float64()),
        ("n_met", pa.int32()),
        ("n_unknown", pa.int32()),
        ("n_not_met", pa.int32()),
    ]
)
SPARK_RESULT_DDL = (
    "trial_id string, patient_id string, centre_id string, eligibility string, score double, "
    "n_met int, n_unknown int, n_not_met int"
)
TrialCriteria = tuple[str, tuple[Criterion, ...]]


@dataclass
class NetworkRun:
    engine: str
    trials: int
    patients: int
    partitions: int
    results: pa.Table

    def counts(self) -> list[dict[str, Any]]:
        """Per (trial, centre): eligible / possible / probably not (`unlikely`) / not eligible (a table for
        people)."""
        grouped = self.results.group_by(["trial_id", "centre_id", "eligibility"]).aggregate(
            [("patient_id", "count")]
        )
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for r in grouped.to_pylist():
            row = out.setdefault(
                (r["trial_id"], r["centre_id"]),
                {
                    "trial_id": r["trial_id"],
                    "centre_id": r["centre_id"],
                    "eligible": 0,
                    "possible": 0,
                    "unlikely": 0,
                    "not_eligible": 0,
                },
            )
            row[r["eligibility"]] = r["patient_id_count"]
        return [out[k] for k in sorted(out)]


def export_patients(db: Database, actor: Actor, path: Path, centre_ids: Sequence[str] | None = None) -> int:
    """Write the living, non-objecting patients the actor may read (for research) to Parquet."""
    ractor = research_actor(actor)
    writer: pq.ParquetWriter | None = None
    n = 0
    with db.session() as s:
        centres = list(centre_ids) if centre_ids else [c.id for c in CentreRepository(s).list()]
        repo = PatientRepository(s, ractor)
        try:
            writer = pq.ParquetWriter(str(path), PATIENT_SCHEMA)
            for centre in centres:
                profiles = [p for p in repo.list(centre_id=centre, limit=None) if not p.deceased]
                if profiles:
                    writer.write_table(profiles_to_arrow(profiles))
                    n += len(profiles)
        finally:
            if writer is not None:
                writer.close()
    return n


def profiles_to_arrow(profiles: Sequence[PatientProfile]) -> pa.Table:
    return pa.table(
        {
            "patient_id": [p.id for p in profiles],
            "centre_id": [p.centre_id for p in profiles],
            "sex": [p.sex for p in profiles],
            "birth_date": [p.birth_date for p in profiles],
            "age_years": [None if p.age_years is None else float(p.age_years) for p in profiles],
            "primary_cancer": [p.primary_cancer for p in profiles],
            "stage": [p.stage for p in profiles],
            "ecog": [p.ecog for p in profiles],
            "facts": [json.dumps([fact_to_json(f) for f in p.facts], ensure_ascii=False) for p in profiles],
        },
        schema=PATIENT_SCHEMA,
    )


def profiles_from_arrow(table: pa.Table | pa.RecordBatch) -> list[PatientProfile]:
    cols = {name: table.column(name).to_pylist() for name in PATIENT_SCHEMA.names}
    return [
        PatientProfile(
            id=cols["patient_id"][i],
            centre_id=cols["centre_id"][i],
            sex=cols["sex"][i],
            birth_date=cols["birth_date"][i],
            age_years=cols["age_years"][i],
            primary_cancer=cols["primary_cancer"][i],
            stage=cols["stage"][i],
            ecog=cols["ecog"][i],
            facts=[fact_from_json(f) for f in json.loads(cols["facts"][i] or "[]")],
        )
        for i in range(table.num_rows)
    ]


def network_trials(db: Database, trial_ids: Sequence[str]) -> list[TrialCriteria]:
    """(trial id, criteria) for each trial: what the evaluator receives (parsed at import)."""
    with db.session() as s:
        trials = [TrialRepository(s).get(t) for t in trial_ids]
    return [(t.id, tuple(trial_criteria(t, db))) for t in trials]


def evaluate_partition(patients: pa.Table, trials: Sequence[TrialCriteria], day: date) -> pa.Table:
    """Every trial over one partition of patients: one vectorised batch, shared by the trials
    (atom columns computed for one trial serve the next)."""
    if patients.num_rows == 0:
        return RESULT_SCHEMA.empty_table()
    profiles = profiles_from_arrow(patients)
    batch = PatientBatch.from_profiles(profiles, day)
    ids = [p.id for p in profiles]
    centres = [p.centre_id for p in profiles]
    parts = []
    for trial_id, criteria in trials:
        res = evaluate_trial_over_patients(criteria, batch)
        # eligible / possible (plausible candidates) / unlikely (probably not: a held-back reading) / not eligible
        labels = np.where(
            res.eligible,
            "eligible",
            np.where(res.possible, "possible", np.where(res.probably_not, "unlikely", "not_eligible")),
        )
        parts.append(
            pa.table(
                {
                    "trial_id": [trial_id] * len(ids),
                    "patient_id": ids,
                    "centre_id": centres,
                    "eligibility": labels.tolist(),
                    "score": np.asarray(res.score, dtype=float),
                    "n_met": np.asarray(res.met, dtype=np.int32),
                    "n_unknown": np.asarray(res.unknown, dtype=np.int32),
                    "n_not_met": np.asarray(res.not_met, dtype=np.int32),
                },
                schema=RESULT_SCHEMA,
            )
        )
    return pa.concat_tables(parts)


def partition_function(
    trials: Sequence[TrialCriteria], day: date
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """The function Spark runs on each partition (`mapInArrow`): the partition's record batches
    gathered into one patient batch, evaluated for every trial."""
    trials = list(trials)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        collected = list(batches)
        if not collected:
            return
        table = pa.Table.from_batches(collected).select(PATIENT_SCHEMA.names).cast(PATIENT_SCHEMA)
        yield from evaluate_partition(table, trials, day).to_batches()

    return run


def run_local(patients: Path, trials: Sequence[TrialCriteria], day: date) -> NetworkRun:
    """The same partitions (one per centre) evaluated in this process, one after the other."""
    table = pq.read_table(str(patients)).select(PATIENT_SCHEMA.names).cast(PATIENT_SCHEMA)
    centres = sorted(set(table.column("centre_id").to_pylist()))
    parts = [evaluate_partition(table.filter(pc.equal(table["centre_id"], c)), trials, day) for c in centres]
    results = pa.concat_tables(parts) if parts else RESULT_SCHEMA.empty_table()
    return NetworkRun("local", len(trials), table.num_rows, len(centres), _sorted(results))


def run_on_spark(
    spark: Any,
    patients: Path | str,
    trials: Sequence[TrialCriteria],
    day: date,
    partitions: int | None = None,
) -> NetworkRun:
    """Spark: the patients' Parquet partitioned by centre (`partitions` of them, default one per
    centre), each partition evaluated by `evaluate_partition` on an executor."""
    df = spark.read.parquet(str(patients))
    n_centres = df.select("centre_id").distinct().count()
    n = partitions or max(1, n_centres)
    out = df.repartition(n, "centre_id").mapInArrow(partition_function(trials, day), SPARK_RESULT_DDL)
    results = out.toArrow().cast(RESULT_SCHEMA)
    return NetworkRun("spark", len(trials), df.count(), n, _sorted(results))


def _sorted(results: pa.Table) -> pa.Table:
    return results.sort_by([("trial_id", "ascending"), ("patient_id", "ascending")])
