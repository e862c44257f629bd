"""The audit log: every patient-data read recorded, append-only, hash-chained, tamper detected (issue 8)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from oncofed.domain import Actor, PatientProfile, Role
from oncofed.errors import NotFound
from oncofed.services.network.centres import load_centres
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
DPO = Actor("dora", Role.DPO, purpose="audit")


def seed_patients(db: Database, per_centre: dict[str, int], objecting: int = 0) -> None:
    load_centres(db)
    profiles = []
    for centre, n in per_centre.items():
        for i in range(n):
            profiles.append(
                PatientProfile(
                    id=f"{centre}-{i:04d}",
                    centre_id=centre,
                    sex="FEMALE",
                    age_years=60,
                    primary_cancer="BRCA",
                    research_objection=i < objecting,
                )
            )
    with db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(profiles)


def drop_guards(db: Database) -> None:
    """What an attacker with database rights would do first; the chain must still tell."""
    with db.engine.begin() as conn:
        if db.backend == "postgresql":
            conn.execute(text("DROP TRIGGER audit_log_no_update_delete ON audit_log"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def read_some(db: Database, n: int = 3) -> None:
    with db.session() as s:
        repo = PatientRepository(s, CLINICIAN)
        repo.list(limit=5)
        for i in range(n):
            repo.get(f"curie-{i:04d}")


def test_reads_are_recorded_with_who_what_when_purpose(db: Database) -> None:
    seed_patients(db, {"curie": 6, "gustave-roussy": 4})
    assert audit.search(db.engine) == []  # the system actor's import is not recorded
    token = audit.audit_context.set("GET /api/patients/curie-0001")
    try:
        with db.session() as s:
            PatientRepository(s, CLINICIAN).get("curie-0001")
    finally:
        audit.audit_context.reset(token)
    with db.session() as s, pytest.raises(NotFound):
        PatientRepository(s, CLINICIAN).get("gustave-roussy-0001")  # other centre: nothing read...
    with db.session() as s, pytest.raises(NotFound):
        PatientRepository(s, CLINICIAN).get("nobody-0001")  # an id that exists nowhere: not an attempt
    with db.session() as s:
        PatientRepository(s, CLINICIAN).list(limit=None)
    rows = audit.search(db.engine)
    # ... but the refused attempt is a security event (issue 17), written although the request failed
    assert [r["action"] for r in rows] == ["patient.list", "security.refused", "patient.read"]
    refused = rows[1]
    assert (refused["patient_ids"], refused["centre_ids"], refused["n_records"]) == (
        "gustave-roussy-0001",
        "gustave-roussy",
        0,
    )
    assert "outside the caller's centres" in refused["detail"]
    assert [r["seq"] for r in audit.search(db.engine, security=True)] == [2]
    read = rows[2]
    assert (read["user_id"], read["role"], read["actor_centres"], read["purpose"]) == (
        "claire",
        "clinician",
        "curie",
        "care",
    )
    assert (read["patient_ids"], read["centre_ids"], read["n_records"]) == ("curie-0001", "curie", 1)
    assert read["detail"] == "GET /api/patients/curie-0001" and read["at"].endswith("Z")
    assert rows[0]["n_records"] == 6 and rows[0]["centre_ids"] == "curie"
    assert [r["seq"] for r in audit.search(db.engine, patient="curie-0001")] == [3, 1]
    assert audit.search(db.engine, patient="curie-000") == []  # whole ids only
    assert audit.verify_chain(db.engine).ok


def test_log_is_append_only_in_the_database(db: Database) -> None:
    seed_patients(db, {"curie": 3})
    read_some(db)
    for statement in ("UPDATE audit_log SET user_id = 'someone-else'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    assert not [n for n in dir(audit) if n.startswith(("update", "delete", "remove", "edit"))]
    assert audit.verify_chain(db.engine).ok


def test_verify_detects_an_edited_row(db: Database) -> None:
    seed_patients(db, {"curie": 3})
    read_some(db)
    drop_guards(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET user_id = 'nobody' WHERE seq = 2"))
    report = audit.verify_chain(db.engine)
    assert not report.ok and any("row 2" in p and "edited" in p for p in report.problems)


def test_verify_detects_a_row_edited_with_its_hash_recomputed(db: Database) -> None:
    """Rewriting a row and its own hash breaks the link to the next row."""
    seed_patients(db, {"curie": 3})
    read_some(db)
    drop_guards(db)
    with db.engine.connect() as conn:
        row = dict(conn.execute(text("SELECT * FROM audit_log WHERE seq = 2")).mappings().one())
    row["patient_ids"] = "curie-0002"
    forged = audit.row_hash(row["prev_hash"], row)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET patient_ids = 'curie-0002', hash = :h WHERE seq = 2"), {"h": forged}
        )
    report = audit.verify_chain(db.engine)
    assert not report.ok and any("row 3" in p and "does not follow" in p for p in report.problems)


@pytest.mark.parametrize("seq", [1, 2, 4])
def test_verify_detects_a_deleted_row(sqlite_db: Database, seq: int) -> None:
    seed_patients(sqlite_db, {"curie": 3})
    read_some(sqlite_db)  # 4 rows
    drop_guards(sqlite_db)
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": seq})
    assert not audit.verify_chain(sqlite_db.engine).ok


def test_concurrent_readers_keep_one_chain(sqlite_db: Database) -> None:
    seed_patients(sqlite_db, {"curie": 5})
    errors: list[BaseException] = []

    def work() -> None:
        try:
            read_some(sqlite_db, 5)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit.verify_chain(sqlite_db.engine)
    assert report.ok and report.rows == 6 * 6


def test_audit_api_page_csv_and_roles(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    seed_patients(sqlite_db, {"curie": 3})
    read_some(sqlite_db)
    dpo = client_as(sqlite_db, DPO)
    data = dpo.get("/api/audit", params={"patient": "curie-0002"}).json()
    assert data["count"] == 2 and {e["action"] for e in data["entries"]} == {"patient.list", "patient.read"}
    csv = dpo.get("/api/audit", params={"format": "csv", "user": "claire"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("seq,at,user_id")
    assert len(csv.text.strip().splitlines()) == 1 + 4
    assert dpo.get("/api/audit/verify").json() == {"ok": True, "rows": 4, "problems": []}
    page = dpo.get("/audit", headers={"accept": "text/html"})
    assert page.status_code == 200 and 'id="chain"' in page.text and "curie-0002" in page.text
    assert client_as(sqlite_db, CLINICIAN).get("/api/audit").status_code == 403
    assert client_as(sqlite_db, Actor.public()).get("/api/audit").status_code == 401
    login = client_as(sqlite_db, Actor.public()).get("/audit", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/login?next=/audit"


def test_audit_verify_cli(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    seed_patients(database, {"curie": 3})
    read_some(database)
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "4 rows" in ok.output
    listed = runner.invoke(app, ["audit", "list", "--csv", "--patient", "curie-0001"])
    assert listed.output.count("\n") == 3
    drop_guards(database)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET purpose = 'research' WHERE seq = 3"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "row 3" in broken.output and "edited" in broken.output
