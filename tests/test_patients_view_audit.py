"""One view of a patient is one read of the record and one audit entry (SQLite and PostgreSQL).

The patient's page shows the profile, its corrections and its tumour boards: the data-protection
officer must see one access for it in the audit log, naming the patient, not one per panel. The JSON
twins (the profile, the corrections) are one entry per call too. Found in the load test (polish 4)."""

from __future__ import annotations

from datetime import date

from oncofed.domain import Actor, Fact, PatientProfile, Role
from oncofed.domain.patient import Provenance
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

CLINICIAN = Actor("dr-claire", Role.CLINICIAN, frozenset({"curie"}), purpose="care")


def _one_patient_with_a_correction(db: Database) -> None:
    from oncofed.services.network.centres import load_centres
    from oncofed.services.patients.corrections import FactInput, correct_fact

    load_centres(db)
    src = Provenance("fhir:bundle.json", "Observation/1")
    alice = PatientProfile(
        "curie-P001", "curie", sex="FEMALE", birth_date=date(1960, 1, 1), primary_cancer="IDC", stage="IV",
        display_name="Alice", facts=[Fact("biomarker", "HER2", "2+", attributes={"kind": "ihc"}, provenance=src)],
    )  # fmt: skip
    with db.session() as s:
        PatientRepository(s, Actor.system()).add_many([alice], source="test")
    correct_fact(db, CLINICIAN, "curie-P001", FactInput("ecog", value="1"), "seen in clinic today")


def _reads_of(db: Database, patient_id: str) -> list[dict[str, object]]:
    """The audit entries of reads of `patient_id` (the correction itself is `patient.correct`)."""
    return [e for e in audit.search(db.engine, patient=patient_id) if e["action"] != "patient.correct"]


def test_one_patient_page_view_is_one_audited_read_showing_its_corrections(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    _one_patient_with_a_correction(db)
    client = client_as(db, CLINICIAN)
    before = len(_reads_of(db, "curie-P001"))
    page = client.get("/patients/curie-P001")
    assert page.status_code == 200 and "seen in clinic today" in page.text  # the corrections are shown
    reads = _reads_of(db, "curie-P001")
    assert len(reads) - before == 1, [(e["action"], e["detail"]) for e in reads]
    entry = reads[0]
    assert entry["action"] == "patient.read" and entry["user_id"] == "dr-claire"
    assert entry["n_records"] == 1 and "GET /patients/curie-P001" in str(entry["detail"])


def test_one_api_call_is_one_audited_read(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    _one_patient_with_a_correction(db)
    client = client_as(db, CLINICIAN)
    for url in ("/api/patients/curie-P001", "/api/patients/curie-P001/corrections", "/api/patients/P001"):
        before = len(_reads_of(db, "curie-P001"))
        assert client.get(url).status_code == 200, url
        assert len(_reads_of(db, "curie-P001")) - before == 1, url


def test_the_view_service_reads_once_and_refuses_another_centres_patient(db: Database) -> None:
    import pytest

    from oncofed.errors import NotFound
    from oncofed.services.patients.view import patient_view

    _one_patient_with_a_correction(db)
    before = len(_reads_of(db, "curie-P001"))
    view = patient_view(db, CLINICIAN, "curie-P001")
    assert view.profile.ecog == 1 and [c["kind"] for c in view.corrections] == ["ecog"]
    assert len(_reads_of(db, "curie-P001")) - before == 1
    with pytest.raises(NotFound):
        patient_view(db, Actor("dr-b", Role.CLINICIAN, frozenset({"bergonie"})), "curie-P001")
    refused = audit.search(db.engine, patient="curie-P001", security=True)
    assert len(refused) == 1 and refused[0]["user_id"] == "dr-b"


def test_one_correction_call_is_one_audit_entry_naming_the_change(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    _one_patient_with_a_correction(db)
    client = client_as(db, CLINICIAN)
    before = audit.search(db.engine, patient="curie-P001")
    body = {"kind": "biomarker", "code": "HER2", "value": "3+", "reason": "FISH: amplified", "index": 0}
    done = client.post("/api/patients/curie-P001/facts", json=body)
    assert done.status_code == 200 and done.json()["correction"]["after"]["value"] == "3+"
    assert isinstance(done.json()["matches"], list)  # re-matched from the correction's own read
    new = audit.search(db.engine, patient="curie-P001")[: -len(before)]
    assert [(e["action"], e["detail"]) for e in new] == [
        ("patient.correct", "POST /api/patients/curie-P001/facts | correct biomarker: FISH: amplified")
    ]
    # refused after the record was read (no such fact): that read stays audited, as a read
    bad = client.post("/api/patients/curie-P001/facts", json={**body, "index": 9})
    assert bad.status_code == 422
    newer = audit.search(db.engine, patient="curie-P001")[: -len(before) - 1]
    assert [e["action"] for e in newer] == ["patient.read"]
