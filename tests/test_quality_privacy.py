"""Security findings of the quality area (docs/SECURITY.md): F1, rejected event rows never show a
patient id or an event date to anyone over HTTP (counts for everyone, file + row number for those who
fix the file); F2, a file DuckDB cannot read is one clear error naming the file, nothing written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from oncofed.domain import Actor
from oncofed.domain.actor import Role
from oncofed.errors import InputError
from oncofed.services.quality.indicators import import_events
from oncofed.store.db import Database
from oncofed.store.models_quality import QualityEventRow, QualityRejectRow
from tests.quality_fixtures import seed_centres_a_and_b

HEADER = "patient_id,centre_id,event,event_date,detail,value\n"
PATIENTS = {"pat-a-000001": "A", "pat-a-000002": "A", "pat-b-000001": "B", "pat-b-000002": "B"}
GOOD = "".join(f"{p},{c},diagnosis,2025-03-01,,\n" for p, c in PATIENTS.items())
BAD = (
    "ghost-a-000077,A,diagnosis,2025-03-03,,\n"  # unknown patient (row 5)
    "pat-a-000002,A,radiotherapy,2025-02-14,,\n"  # before diagnosis (row 6)
    "pat-b-000001,B,survey,2025-05-17,overall,140\n"  # survey score out of range (row 7)
    "2025-06-09,pat-a-000001,A,,,\n"  # shifted columns: id in the centre column, a date (row 8)
)
SECRETS = [*PATIENTS, "ghost-a-000077", "2025-02-14", "2025-05-17", "2025-03-03", "2025-06-09"]
ALL = {("A", 5), ("A", 6), ("B", 7), ("(not readable)", 8)}


def _store_counts(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (
            int(s.scalar(select(func.count()).select_from(QualityEventRow)) or 0),
            int(s.scalar(select(func.count()).select_from(QualityRejectRow)) or 0),
        )


@pytest.fixture
def imported(sqlite_db: Database, tmp_path: Path) -> Database:
    seed_centres_a_and_b(sqlite_db, PATIENTS)
    path = tmp_path / "events-2025.csv"
    path.write_text(HEADER + GOOD + BAD)
    rep = import_events(sqlite_db, path)
    assert rep.rejected == {
        "unknown_patient": 1,
        "negative_delay": 1,
        "survey_out_of_range": 1,
        "invalid_value": 1,
    }
    return sqlite_db


ROLES = {
    "public": Actor.public(),
    "trial_manager": Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility"),
    "dpo": Actor("dora", Role.DPO, purpose="audit"),
    "quality_manager": Actor("quinn", Role.QUALITY_MANAGER, purpose="quality"),
    "admin": Actor("ada", Role.ADMIN, purpose="administration"),
    "clinician_a": Actor("claire", Role.CLINICIAN, frozenset({"A"}), "care"),
    "research_b": Actor("rose", Role.RESEARCH_STAFF, frozenset({"B"}), "research"),
}
# rows each role may locate (file + row number): (centre, row number in the file)
LOCATED = {
    "public": set(),
    "trial_manager": set(),
    "dpo": set(),
    "quality_manager": ALL,
    "admin": ALL,
    "clinician_a": {("A", 5), ("A", 6)},
    "research_b": {("B", 7)},
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_rejected_rows_never_show_a_patient_id_or_date(imported: Database, client_as, role: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as(imported, ROLES[role])
    responses = {
        path: client.get(path, headers={"accept": "text/html"} if not path.startswith("/api") else {})
        for path in (
            "/api/quality/indicators",
            "/api/quality/rejects",
            "/api/quality/rejects?format=csv",
            "/quality",
            "/quality/indicators/trial_inclusion",
        )
    }
    for path, response in responses.items():
        assert response.status_code == 200, path
        shown = [s for s in SECRETS if s in response.text]
        assert not shown, f"{path} shows {shown} to {role}"
    rejects = responses["/api/quality/rejects"].json()
    assert rejects["total"] == 4
    assert rejects["by_reason"] == {
        "invalid_value": 1,
        "unknown_patient": 1,
        "negative_delay": 1,
        "survey_out_of_range": 1,
    }
    assert {(c["centre_id"], c["reason"], c["count"]) for c in rejects["by_centre"]} == {
        ("A", "unknown_patient", 1),
        ("A", "negative_delay", 1),
        ("B", "survey_out_of_range", 1),
        ("(not readable)", "invalid_value", 1),
    }
    assert {(r["centre_id"], r["row"]) for r in rejects["rows"]} == LOCATED[role]
    assert all(r["source"] == "events-2025.csv" and r["reason"] and r["event"] for r in rejects["rows"])
    examples = [
        e for r in responses["/api/quality/indicators"].json()["rejected"]["reasons"] for e in r["examples"]
    ]
    assert len(examples) == 4 and all("patient_id" not in e and "event_date" not in e for e in examples)
    assert {e["centre_id"] for e in examples if "row" in e} == {c for c, _ in LOCATED[role]}


def test_a_file_that_is_not_utf8_is_a_clear_error_and_writes_nothing(
    imported: Database, tmp_path: Path
) -> None:
    before = _store_counts(imported)
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "pat-a-000001,A,survey,2025-04-01,caf\xe9 cr\xe8me,50\n").encode("latin-1"))
    with pytest.raises(InputError) as err:
        import_events(imported, path, replace=True)
    assert (
        "latin1.csv" in str(err.value)
        and "UTF-8" in str(err.value)
        and "nothing was imported" in str(err.value)
    )
    assert err.value.fix
    assert _store_counts(imported) == before


def test_a_ragged_csv_is_a_clear_error_and_writes_nothing(imported: Database, tmp_path: Path) -> None:
    before = _store_counts(imported)
    path = tmp_path / "ragged.csv"
    path.write_text(HEADER + 'pat-a-000001,A,"diagnosis,2025-03-01\n' + "x,y\n" * 3 + "1,2,3,4,5,6,7,8,9\n")
    try:
        import_events(imported, path)
    except InputError as exc:
        assert "ragged.csv" in str(exc) and exc.fix
        assert _store_counts(imported) == before
    else:  # DuckDB may read it leniently: then every row is accounted for as accepted or rejected
        assert _store_counts(imported) != before


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=300).map(lambda b: HEADER.encode() + b),
        st.binary(max_size=300).map(lambda b: (HEADER + GOOD).encode() + b),
    )
)
def test_any_bytes_give_a_report_or_a_clear_error_and_never_a_partial_write(
    imported: Database, body: bytes
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="quality-bytes-"))
    path = folder / "any.csv"
    path.write_bytes(body)
    before = _store_counts(imported)
    try:
        report = import_events(imported, path, source="fuzz", replace=True)
    except InputError as exc:
        assert "any.csv" in str(exc) and exc.fix
        assert _store_counts(imported) == before
    else:
        assert report.accepted + report.rejected_total == report.total
