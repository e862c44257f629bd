"""CTML matching on the registry's stored trials and the store's patients (actor-scoped): the service,
the CLI, the JSON/CSV API. A stored MatchMiner patient must match exactly what its own records match."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from oncofed.domain import Actor, Role
from oncofed.errors import NotFound
from oncofed.ingest.ctml_files import load_patients, load_trials
from oncofed.matching.ctml import CtmlMatcher, index_patients
from oncofed.presenters.ctml import report_json
from oncofed.services.matching.ctml import (
    oncotree_subtrees,
    patient_ctml_report,
    stored_ctml_trials,
)
from oncofed.services.patients.records import import_patients
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data
AS_OF = date(2000, 7, 12)  # the day MatchMiner's own tests freeze time at
CENTRE = "gustave-roussy"


def mm(*parts: str) -> Path:
    return shared_data("matchminer", *parts)


def _load(db: Database) -> None:
    import_trials(db, [str(mm("ctml-trials"))])
    import_patients(db, [mm("seed", "clinical.ejson"), mm("seed", "genomic.ejson")], centre=CENTRE)


def _clinician() -> Actor:
    return Actor("dr-ctml", Role.CLINICIAN, frozenset({CENTRE}))


def test_stored_patient_matches_what_its_matchminer_records_match(db: Database) -> None:
    _load(db)
    stored = stored_ctml_trials(db)
    # one stored trial per trial id (files repeating one are updates of it)
    assert 10 <= len(stored) <= len(load_trials(mm("ctml-trials")))
    assert all("treatment_list" in t or "match" in t for t in stored)
    # the stored trials against the records straight from the files, with MatchMiner's semantics
    clinical = load_patients(mm("seed", "clinical.ejson"))
    genomic = load_patients(mm("seed", "genomic.ejson"))
    for rec in clinical:  # the import keeps the $date birth date; BIRTH_DATE_INT is a day off
        rec.pop("BIRTH_DATE_INT", None)
    matcher = CtmlMatcher(
        index_patients(clinical, genomic),
        oncotree=oncotree_subtrees(),
        include_closed=True,
        include_deceased=True,
        as_of=AS_OF,
    )
    expected: dict[str, set[tuple[str, str, str]]] = {}
    for m in matcher.match_trials(stored):
        expected.setdefault(m.sample_id, set()).add((m.protocol_no, m.match_level, str(m.code)))
    alive = {str(r["SAMPLE_ID"]) for r in clinical if r.get("VITAL_STATUS") == "alive"}
    checked = 0
    for sample in sorted(alive)[:40]:
        report = patient_ctml_report(db, _clinician(), f"{CENTRE}-{sample}", include_closed=True, as_of=AS_OF)
        got = {(t.protocol_no, a.level, a.code) for t in report.trials for a in t.arms}
        assert got == expected.get(sample, set()), sample
        checked += bool(got)
    assert checked >= 5  # enough patients with matches for the comparison to mean something


def test_closed_arms_hidden_unless_asked_and_reasons_shown(db: Database) -> None:
    _load(db)
    pid = f"{CENTRE}-5d2799126756630d8dd061b7"
    everything = report_json(patient_ctml_report(db, _clinician(), pid, include_closed=True, as_of=AS_OF))
    open_only = report_json(patient_ctml_report(db, _clinician(), pid, as_of=AS_OF))
    arms = [(t["protocol_no"], a["code"], a["open"]) for t in everything["trials"] for a in t["arms"]]
    assert arms and all(a["open"] for t in open_only["trials"] for a in t["arms"])
    assert {x for x in arms if x[2]} == {
        (t["protocol_no"], a["code"], True) for t in open_only["trials"] for a in t["arms"]
    }
    kinds = {c["kind"] for t in everything["trials"] for a in t["arms"] for c in a["criteria"]}
    assert "gene" in kinds or "diagnosis" in kinds
    assert everything["patient"]["diagnosis"] == "Breast Invasive Ductal Carcinoma"


def test_patient_outside_the_actor_centres_is_not_found(db: Database) -> None:
    _load(db)
    other = Actor("dr-elsewhere", Role.CLINICIAN, frozenset({"curie"}))
    with pytest.raises(NotFound):
        patient_ctml_report(db, other, f"{CENTRE}-5d2799126756630d8dd061b7")


def test_api_json_csv_and_page(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    _load(sqlite_db)
    pid = f"{CENTRE}-5d2799126756630d8dd061b7"
    client = client_as(sqlite_db, _clinician())
    data = client.get(
        f"/api/patients/{pid}/ctml", params={"closed": "true", "as_of": AS_OF.isoformat()}
    ).json()
    assert data["patient"]["id"] == pid and data["trials"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/api/patients/{pid}/ctml",
                    params={"format": "csv", "closed": "true", "as_of": "2000-07-12"},
                ).text
            )
        )
    )
    assert len(rows) == sum(len(a["criteria"]) for t in data["trials"] for a in t["arms"])
    assert {r["trial_id"] for r in rows} == {t["trial_id"] for t in data["trials"]}
    page = client.get(f"/patients/{pid}/ctml?closed=true&lang=fr")
    assert page.status_code == 200 and "Appariements génomiques CTML" in page.text
    assert (
        client_as(sqlite_db, Actor("x", Role.CLINICIAN, frozenset({"curie"})))
        .get(f"/api/patients/{pid}/ctml")
        .status_code
        == 404
    )


def test_cli_on_stored_trials_and_stored_patient(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "oncofed.cli", *args], capture_output=True, text=True, timeout=300, env=env
    )
    assert run("import", "trials", str(mm("ctml-trials", "11-111.yaml"))).returncode == 0
    out = run(
        "ctml",
        "match",
        "--clinical",
        str(mm("patients", "csv", "clinical_test_patients.csv")),
        "--genomic",
        str(mm("patients", "csv", "genomic_test_patients.csv")),
        "--include-closed",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {(r["protocol_no"], r["sample_id"]) for r in rows} == {
        ("11-111", "11-22-3333"),
        ("11-111", "22-33-4444"),
    }
    assert run("import", "patients", str(mm("patients", "json")), "--centre", CENTRE).returncode == 0
    out = run("ctml", "patient", f"{CENTRE}-11-22-3333", "--include-closed", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(t["protocol_no"], a["code"]) for t in data["trials"] for a in t["arms"]] == [("11-111", "EXP 3")]
    out = run("ctml", "patient", f"{CENTRE}-11-22-3333", "--include-closed", "--csv")
    assert out.returncode == 0 and out.stdout.startswith("trial_id,protocol_no")
    out = run("ctml", "patient", "nobody-here")
    assert out.returncode != 0 and "nobody-here" in out.stderr
