"""Patient pages and API: only the caller's centres, every fact with its provenance."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from oncofed.domain import Actor, Role
from oncofed.resources import resource_path
from oncofed.services.patients.records import import_patients
from oncofed.store.db import Database

NOTE = "A 63-year-old woman with metastatic breast cancer, ER positive, HER2 negative. No evidence of brain metastases. She denies smoking."


def _load(db: Database, tmp_path: Path) -> None:
    import_patients(db, [resource_path("templates/patients_template.csv")], centre="curie")
    note = tmp_path / "notes.jsonl"
    note.write_text('{"_id": "n1", "text": "' + NOTE + '"}\n')
    import_patients(db, [note], centre="bergonie")


def test_clinician_sees_own_centre_only(db: Database, tmp_path: Path, client_as) -> None:  # type: ignore[no-untyped-def]
    _load(db, tmp_path)
    curie = client_as(db, Actor("dr-a", Role.CLINICIAN, frozenset({"curie"})))
    data = curie.get("/api/patients").json()
    assert data["total"] == 2 and {p["id"] for p in data["patients"]} == {"curie-P0001", "curie-P0002"}
    assert curie.get("/api/patients/bergonie-n1").status_code == 404
    assert curie.get("/patients/bergonie-n1").status_code == 404
    profile = curie.get("/api/patients/curie-P0001").json()
    assert profile["primary_cancer"] == "LUAD" and all(
        f["source"] == "csv:patients_template.csv" for f in profile["facts"]
    )
    rows = list(csv.DictReader(io.StringIO(curie.get("/api/patients/curie-P0001?format=csv").text)))
    assert {r["kind"] for r in rows} >= {"lab", "biomarker", "treatment"} and all(
        r["record"].startswith("row ") for r in rows
    )
    listing = list(csv.DictReader(io.StringIO(curie.get("/api/patients?format=csv").text)))
    assert [r["id"] for r in listing] == ["curie-P0001", "curie-P0002"]
    page = curie.get("/patients/curie-P0001").text
    assert 'title="csv:patients_template.csv · row 15"' in page  # hemoglobin row, provenance on hover
    assert curie.get("/patients?page=1&size=1").text.count("/patients/curie-P") == 1


def test_public_sees_no_patient_and_note_spans_link(db: Database, tmp_path: Path, client_as) -> None:  # type: ignore[no-untyped-def]
    _load(db, tmp_path)
    public = client_as(db, Actor.public())
    assert public.get("/api/patients").json()["total"] == 0
    assert public.get("/api/patients/curie-P0001").status_code == 404
    bergonie = client_as(db, Actor("dr-b", Role.CLINICIAN, frozenset({"bergonie"})))
    facts = bergonie.get("/api/patients/bergonie-n1").json()["facts"]
    brain = next(f for f in facts if f["kind"] == "metastasis" and f["code"] == "brain")
    assert brain["negated"] and NOTE[brain["span"][0] : brain["span"][1]] == "brain metastases"
    page = bergonie.get("/patients/bergonie-n1").text
    start, end = brain["span"]
    assert f'href="#span-{start}-{end}"' in page and f'<mark id="span-{start}-{end}"' in page
