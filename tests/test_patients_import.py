"""`oncofed import patients`: each importer end to end into the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.ingest.patients import fhir, flatcsv
from oncofed.resources import resource_path
from oncofed.services.patients.records import import_patients
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from tests.conftest import shared_data

TEMPLATE = resource_path("templates/patients_template.csv")


def test_flat_csv_template_imports_with_expected_facts(db: Database) -> None:
    report = import_patients(db, [TEMPLATE], centre="curie")
    assert (report.imported, report.updated, report.rejected) == (2, 0, 0)
    assert report.warnings == 0, [i.describe() for i in report.issues]
    with db.session() as s:
        p = PatientRepository(s, Actor.system()).get("curie-P0001")
    assert (p.sex, p.birth_date.isoformat(), p.primary_cancer, p.stage, p.ecog) == (
        "FEMALE",
        "1961-03-14",
        "LUAD",
        "IV",
        1,
    )
    labs = {f.code: (f.value, f.unit) for f in p.facts if f.kind == "lab"}
    assert labs["creatinine"] == (pytest.approx(1.0, abs=0.01), "mg/dL")  # 88.4 umol/L converted
    assert labs["hemoglobin"] == (12.1, "g/dL")
    brain = [f for f in p.facts if f.kind == "metastasis" and f.code == "brain"][0]
    assert brain.negated
    egfr = [f for f in p.facts if f.kind == "biomarker" and f.code == "EGFR"][0]
    assert (egfr.value, egfr.attributes["kind"]) == ("L858R", "mutation")
    osimertinib = [f for f in p.facts if f.kind == "treatment"][0]
    assert osimertinib.attributes["class"] == "EGFR TKI" and osimertinib.attributes["line"] == 1
    assert all(f.provenance.record.startswith("row ") for f in p.facts)
    again = import_patients(db, [TEMPLATE], centre="curie")
    assert (again.imported, again.updated) == (0, 2)


def test_flat_csv_bad_rows_are_reported_rest_kept(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "patient_id,kind,code,value,unit,date\n"
        "A1,sex,,F,,\n"
        "A1,lab,hemoglobin,12,furlongs,\n"
        "A1,ecog,,7,,\n"
        "A1,birth_date,,1960-02-30,,\n"
        "A1,teleportation,,yes,,\n"
        ",sex,,M,,\n"
    )
    refused = import_patients(db, [path], centre="curie")  # all or nothing per file (issue 17)
    assert (refused.imported, refused.rejected, refused.kept_out, refused.files_refused) == (
        0,
        1,
        1,
        ["p.csv"],
    )
    report = import_patients(db, [path], centre="curie", partial=True)
    assert (report.imported, report.rejected) == (1, 1)
    reasons = " | ".join(i.reason for i in report.issues)
    assert (
        "does not convert" in reasons
        and "ecog '7'" in reasons
        and "unknown kind" in reasons
        and "not a date" in reasons
    )
    assert {i.record for i in report.issues if i.severity == "warning"} == {"patient A1"}


@pytest.mark.shared_data
def test_all_mcode_bundles_and_matchminer_patients_import(db: Database) -> None:
    report = import_patients(
        db,
        [shared_data("fhir", "mcode"), shared_data("matchminer", "patients", "json")],
        centre="gustave-roussy",
    )
    # 7 files: 6 patients (three bundles are the same Synthea patient -> 1 new + 2 updates), 1 rejected
    assert (report.imported, report.updated, report.rejected) == (6, 2, 1)
    assert any("no Patient" in i.reason for i in report.issues if i.severity == "error")
    with db.session() as s:
        repo = PatientRepository(s, Actor.system())
        assert repo.count() == 6
        p = repo.get("gustave-roussy-mCODETrialMatchingPatientExample01")
        assert (p.primary_cancer, p.stage, p.ecog) == ("IDC", "IV", 1)
        assert repo.get("gustave-roussy-11-22-3333").birth_date.isoformat() == "2019-10-27"


def test_centre_from_option_or_record(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "c.csv"
    path.write_text("patient_id,centre,kind,value\nB1,Institut Curie,sex,M\nB2,nowhere,sex,F\nB3,,sex,F\n")
    assert import_patients(db, [path]).imported == 0  # all or nothing per file (issue 17)
    report = import_patients(db, [path], partial=True)
    assert (report.imported, report.rejected) == (1, 2)
    with db.session() as s:
        assert PatientRepository(s, Actor.system()).get("curie-B1").sex == "MALE"
    with pytest.raises(InputError):
        import_patients(db, [path], centre="atlantis")


def test_import_respects_actor_scope(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "c.csv"
    path.write_text("patient_id,kind,value\nC1,sex,M\n")
    clinician = Actor("doc", Role.CLINICIAN, frozenset({"curie"}))
    report = import_patients(db, [path], centre="bergonie", actor=clinician)
    assert report.rejected == 1 and "not stored" in report.issues[-1].reason
    with db.session() as s, pytest.raises(NotFound):
        PatientRepository(s, Actor.system()).get("bergonie-C1")


@pytest.mark.shared_data
def test_cli_import_patients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    issues = tmp_path / "issues.csv"
    result = CliRunner().invoke(
        app,
        [
            "import",
            "patients",
            str(shared_data("fhir", "mcode")),
            "--centre",
            "curie",
            "--report",
            str(issues),
            "--json",
        ],
    )
    assert result.exit_code == 1, result.output  # something was rejected (issue 17)
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert (data["imported"], data["updated"], data["rejected"]) == (4, 2, 1)
    assert "Patient" in issues.read_text() and "birthDate" in issues.read_text()


# --- property tests: parsers never crash, whatever they are given -------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
resource_types = st.sampled_from(
    ["Patient", "Observation", "Condition", "MedicationStatement", "Procedure", "Consent", "Foo"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    btype=st.sampled_from(["collection", "transaction", "history", None]),
    resources=st.lists(
        st.fixed_dictionaries(
            {"resourceType": resource_types},
            optional={
                "id": st.text(max_size=8),
                "gender": json_values,
                "birthDate": json_values,
                "code": json_values,
                "valueInteger": json_values,
                "valueQuantity": json_values,
                "component": json_values,
                "stage": json_values,
                "effectiveDateTime": json_values,
            },
        ),
        max_size=5,
    ),
)
def test_fhir_bundles_never_crash(btype: str | None, resources: list[dict[str, object]]) -> None:
    bundle = {"resourceType": "Bundle", "type": btype, "entry": [{"resource": r} for r in resources]}
    for record in fhir.parse_bundle(bundle, file="h.json"):
        assert record.rejected == (
            record.profile is None or any(i.severity == "error" for i in record.issues)
        )
        for issue in record.issues:
            assert issue.reason and issue.fix


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2", ""]),
            st.sampled_from(
                [
                    "sex",
                    "lab",
                    "ecog",
                    "karnofsky",
                    "birth_date",
                    "treatment",
                    "primary_cancer",
                    "biomarker",
                    "x",
                ]
            ),
            st.text(max_size=12),
            st.text(max_size=12),
            st.text(max_size=8),
            st.text(max_size=12),
        ),
        max_size=8,
    )
)
def test_flat_csv_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]]
) -> None:
    import csv

    path = tmp_path_factory.mktemp("h") / "p.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["patient_id", "kind", "code", "value", "unit", "date"])
        w.writerows(rows)
    for record in flatcsv.parse_file(path):
        assert record.rejected or record.profile is not None


def test_failed_batch_insert_falls_back_to_one_record_at_a_time(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.csv"
    path.write_text("patient_id,kind,value\nD1,sex,F\nD2,sex,M\nD3,sex,F\n")

    def broken(self: PatientRepository, profiles: object, source: str = "") -> int:
        raise RuntimeError("bulk insert refused")

    monkeypatch.setattr(PatientRepository, "add_many", broken)
    report = import_patients(db, [path], centre="icm")
    assert (report.imported, report.rejected) == (3, 0)
    with db.session() as s:
        assert PatientRepository(s, Actor.system()).count() == 3


def test_same_local_id_in_two_centres_is_two_patients(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "p.csv"
    path.write_text("patient_id,centre,kind,value\n1,curie,sex,F\n1,icm,sex,M\n")
    report = import_patients(db, [path])
    assert report.imported == 2
    with db.session() as s:
        repo = PatientRepository(s, Actor.system())
        assert (repo.get("curie-1").sex, repo.get("icm-1").sex) == ("FEMALE", "MALE")


def test_research_objection_hidden_from_research_staff(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    import_patients(db, [TEMPLATE], centre="curie")
    research = client_as(db, Actor("rs", Role.RESEARCH_STAFF, frozenset({"curie"})))
    assert [p["id"] for p in research.get("/api/patients").json()["patients"]] == ["curie-P0001"]
    assert research.get("/api/patients/curie-P0002").status_code == 404
    clinician = client_as(db, Actor("dr", Role.CLINICIAN, frozenset({"curie"})))
    assert clinician.get("/api/patients/curie-P0002").json()["research_objection"] is True


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    content=st.binary(max_size=300)
    | st.sampled_from(
        [b"\xff\xfe,patient_id,kind\n\x00", b'{"resourceType": "Bundle"', b'[{"SAMPLE_ID": {"$date": "x"}}]']
    ),
    suffix=st.sampled_from([".csv", ".json", ".ndjson", ".ejson", ".jsonl", ".txt", ".xml"]),
)
def test_any_bytes_give_a_report_never_a_crash(
    sqlite_db: Database, tmp_path_factory: pytest.TempPathFactory, content: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"f{suffix}"
    path.write_bytes(content)
    report = import_patients(sqlite_db, [path], centre="curie")
    assert report.imported + report.updated + report.rejected >= 0
    assert all(i.reason and i.fix for i in report.issues)


def test_home_city_or_postcode_is_placed(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "h.csv"
    path.write_text("patient_id,kind,code,value\nH1,home,,Lyon\nH2,home,33000,\nH3,home,,Atlantis\n")
    import_patients(db, [path], centre="curie")
    with db.session() as s:
        repo = PatientRepository(s, Actor.system())
        lyon, bordeaux, nowhere = (repo.get(f"curie-{h}") for h in ("H1", "H2", "H3"))
    assert lyon.home is not None and round(lyon.home.latitude, 1) == 45.8
    assert bordeaux.home is not None and round(bordeaux.home.longitude, 0) == -1
    assert nowhere.home is None
