"""Every indicator recomputed independently (plain Python) on a small hand-built dataset,
and the importer's rejected rows (reasons, counts, transactional) on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from oncofed.errors import InputError
from oncofed.quality.events import COLUMNS
from oncofed.services.quality.indicators import compute_over_store, compute_over_table, import_events
from oncofed.store.db import Database
from tests.quality_fixtures import seed_centres_a_and_b

D0 = date(2025, 3, 1)


def hand_built_pathways() -> list[dict]:
    """Two centres with different, known pathways (one patient per dict)."""
    out = []
    for i in range(40):  # centre A: 40 patients
        out.append(
            {
                "pid": f"A{i}",
                "centre": "A",
                "diag": D0 + timedelta(days=i % 20),
                "delay": 10 + i,
                "mdt_before": i % 10 != 0,
                "plan": i % 4 != 0,
                "trial": i % 8 == 0,
                "support": i < 30,
                "treated": i != 39,
                "survey": 60 + i if i < 35 else None,
                "death": 20 if i == 38 else None,
            }
        )
    for i in range(12):  # centre B: 12 patients (too few to publish)
        out.append(
            {
                "pid": f"B{i}",
                "centre": "B",
                "diag": D0 + timedelta(days=40 + i),
                "delay": 40,
                "mdt_before": False,
                "plan": True,
                "trial": False,
                "support": True,
                "treated": True,
                "survey": 90,
                "death": None,
            }
        )
    return out


def events_of(paths: list[dict]) -> list[dict]:
    rows = []
    for p in paths:
        e = lambda ev, day, detail=None, value=None, p=p: rows.append(  # noqa: E731
            {
                "patient_id": p["pid"],
                "centre_id": p["centre"],
                "event": ev,
                "event_date": p["diag"] + timedelta(days=day),
                "detail": detail,
                "value": value,
            }
        )
        e("diagnosis", 0)
        if p["treated"]:
            e("first_treatment", p["delay"], "surgery")
            e("surgery", p["delay"])
            e("mdt_review", p["delay"] - 2 if p["mdt_before"] else p["delay"] + 3)
        if p["plan"]:
            e("care_plan", 5)
        if p["trial"]:
            e("trial_inclusion", 30)
        if p["support"]:
            e("supportive_care", 15)
        if p["survey"] is not None:
            e("survey", p["delay"] + 30, "overall", float(p["survey"]))
            e("survey", p["delay"] + 30, "information", 50.0)
        if p["death"] is not None:
            e("death", p["delay"] + 60)
    return rows


def expected(paths: list[dict], centre: str) -> dict[str, float]:
    ps = [p for p in paths if p["centre"] == centre]
    treated = [p for p in ps if p["treated"]]
    # supportive care excludes deaths within 30 days of diagnosis (none here: death at delay + 60)
    return {
        "mdt_before_treatment": sum(p["mdt_before"] for p in treated) / len(treated),
        "delay_to_treatment_median": statistics.median(p["delay"] for p in treated),
        "treated_within_31_days": sum(p["delay"] <= 31 for p in treated) / len(treated),
        "trial_inclusion": sum(p["trial"] for p in ps) / len(ps),
        "supportive_care_access": sum(p["support"] for p in ps) / len(ps),
        "care_plan_handed_over": sum(p["plan"] for p in ps) / len(ps),
        "patient_experience": statistics.mean(p["survey"] for p in ps if p["survey"] is not None),
    }


def as_table(rows: list[dict]) -> pa.Table:
    types = [pa.string(), pa.string(), pa.string(), pa.date32(), pa.string(), pa.float64()]
    return pa.table({c: pa.array([r[c] for r in rows], t) for c, t in zip(COLUMNS, types, strict=True)})


def test_every_indicator_matches_an_independent_recomputation() -> None:
    paths = hand_built_pathways()
    run = compute_over_table(as_table(events_of(paths)), source="test", period_to="2025-12")
    exp_a, exp_b = expected(paths, "A"), expected(paths, "B")
    for result in run.results:
        figs = {f.centre_id: f for f in result.centres}
        assert figs["A"].value == pytest.approx(exp_a[result.indicator.id]), result.indicator.id
        assert figs["B"].value == pytest.approx(exp_b[result.indicator.id]), result.indicator.id
        assert figs["A"].published and not figs["B"].published
        assert figs["B"].band == "small_sample"
    mdt = run.result("mdt_before_treatment")
    assert mdt.excluded == {"no_treatment_yet": 1}
    assert mdt.network["n"] == 39 + 12 and mdt.network["k"] == 35
    assert run.survey_items[("A", "information")]["mean"] == pytest.approx(50.0)


def test_band_follows_the_limits_and_the_direction() -> None:
    paths = hand_built_pathways()
    run = compute_over_table(
        as_table(events_of(paths)), source="test", period_to="2025-12", adjustment="none"
    )
    for result in run.results:
        if not result.indicator.compared:
            assert all(f.band in ("not_compared", "small_sample") for f in result.centres)
            continue
        for f in result.centres:
            if not f.published:
                continue
            lo, hi = f.limits["lower_95"], f.limits["upper_95"]
            assert lo is not None and hi is not None and f.value is not None
            assert f.band == ("above" if f.value > hi else "below" if f.value < lo else "within")


def test_trend_by_quarter_adds_up_to_the_period() -> None:
    run = compute_over_table(
        as_table(events_of(hand_built_pathways())), source="t", period_to="2025-12", trend="quarter"
    )
    trial = run.result("trial_inclusion")
    network_points = [t for t in trial.trend if t["centre_id"] is None]
    assert {t["period"] for t in network_points} == {"2025-Q1", "2025-Q2"}
    assert sum(t["n"] for t in network_points) == trial.network["n"]


def test_import_reports_every_bad_row_with_its_reason(db: Database, tmp_path: Path) -> None:
    paths = hand_built_pathways()
    seed_centres_a_and_b(db, {p["pid"]: p["centre"] for p in paths})
    rows = events_of(paths)
    good = len(rows)
    bad = [
        {**rows[0], "patient_id": "NOBODY"},  # unknown patient
        dict(rows[1]),  # duplicate of row 2
        {
            "patient_id": "A1",
            "centre_id": "A",
            "event": "survey",
            "event_date": D0 + timedelta(days=90),
            "detail": "overall",
            "value": 140.0,
        },
        {
            "patient_id": "A2",
            "centre_id": "A",
            "event": "radiotherapy",
            "event_date": D0 - timedelta(days=5),
            "detail": None,
            "value": None,
        },
        {
            "patient_id": "A3",
            "centre_id": "A",
            "event": "care_plan",
            "event_date": D0 - timedelta(days=30),
            "detail": None,
            "value": None,
        },
        {
            "patient_id": "A38",
            "centre_id": "A",
            "event": "supportive_care",
            "event_date": D0 + timedelta(days=400),
            "detail": None,
            "value": None,
        },
        {
            "patient_id": "A4",
            "centre_id": "ZZ",
            "event": "care_plan",
            "event_date": D0,
            "detail": None,
            "value": None,
        },
        {
            "patient_id": "A4",
            "centre_id": "A",
            "event": "teleportation",
            "event_date": D0,
            "detail": None,
            "value": None,
        },
    ]
    path = tmp_path / "events.csv"
    import csv

    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        w.writeheader()
        for r in rows + bad:
            w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    rep = import_events(db, path)
    assert rep.accepted == good - 0  # the duplicate's original stays
    assert rep.rejected == {
        "unknown_patient": 1,
        "duplicate": 1,
        "survey_out_of_range": 1,
        "negative_delay": 1,
        "dates_out_of_order": 2,
        "unknown_centre": 1,
        "invalid_value": 1,
    }
    run = compute_over_store(db)
    assert run.rejects["total"] == 8
    assert run.result("trial_inclusion").network["n"] == len(paths)
    # importing the same file again: every row is now a duplicate of a stored one, nothing added
    again = import_events(db, path, source="again")
    assert again.accepted == 0 and again.rejected["duplicate"] >= good


def test_a_file_without_the_required_columns_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("patient,when\nA1,2025-01-01\n")
    with pytest.raises(InputError, match="missing column"):
        import_events(db, path)
    assert compute_over_store(db).events == 0
