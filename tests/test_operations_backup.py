"""`oncofed backup` / `oncofed restore` (issue 22): a checksummed copy, a restore that compares every
table with the backup and verifies the audit chain, a damaged file refused with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from oncofed.domain import Actor, PatientProfile, Role
from oncofed.errors import InputError
from oncofed.services.operations.backup import backup, manifest_path, restore
from oncofed.services.operations.digests import table_digests
from oncofed.store.audit import verify_chain
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from oncofed.synthetic.demo import build_demo

CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")


def populated(db: Database) -> None:
    """A small demo network plus audited reads (the audit chain is not empty)."""
    build_demo(db, patients=120, seed=7)
    with db.session() as s:
        repo = PatientRepository(s, CLINICIAN)
        for p in repo.list(limit=3):
            repo.get(p.id)


def change_everything(db: Database) -> None:
    """Writes after the backup: a new patient, more audit rows, a deleted trial site."""
    with db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(
            [PatientProfile(id="curie-after-backup", centre_id="curie", sex="MALE", age_years=50)]
        )
    with db.session() as s:
        PatientRepository(s, CLINICIAN).list(limit=2)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM trial_sites WHERE id IN (SELECT id FROM trial_sites LIMIT 3)"))


def test_backup_then_restore_gives_back_every_table_and_a_verified_audit_chain(
    db: Database, tmp_path: Path
) -> None:
    populated(db)
    before = table_digests(db.engine)
    assert before["audit_log"].rows >= 4 and before["patients"].rows == 120
    path = tmp_path / "oncofed.backup"
    manifest = backup(db, path)
    assert manifest_path(path).exists() and manifest.backend == db.backend
    assert {n: t["rows"] for n, t in manifest.tables.items()} == {n: d.rows for n, d in before.items()}
    change_everything(db)
    assert table_digests(db.engine) != before
    report = restore(db, path)
    after = table_digests(db.engine)
    assert after == before  # every table, row for row (digests of rows in primary-key order)
    assert verify_chain(db.engine).ok and report.audit_rows == before["audit_log"].rows
    # the restored database keeps working: the audit chain goes on from the restored head
    with db.session() as s:
        PatientRepository(s, CLINICIAN).list(limit=1)
    chain = verify_chain(db.engine)
    assert chain.ok and chain.rows == before["audit_log"].rows + 1


def test_a_damaged_backup_is_refused_and_nothing_changes(db: Database, tmp_path: Path) -> None:
    populated(db)
    path = tmp_path / "oncofed.backup"
    backup(db, path)
    change_everything(db)
    current = table_digests(db.engine)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="checksum mismatch"):
        restore(db, path)
    assert table_digests(db.engine) == current


def test_backup_refuses_to_overwrite_and_restore_needs_the_manifest(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "b.sqlite3"
    backup(sqlite_db, path)
    with pytest.raises(InputError, match="already exists"):
        backup(sqlite_db, path)
    manifest_path(path).unlink()
    with pytest.raises(InputError, match="manifest is missing"):
        restore(sqlite_db, path)


def test_cli_backup_and_restore(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oncofed.cli import app

    populated(sqlite_db)
    before = table_digests(sqlite_db.engine)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    path = tmp_path / "cli.backup"
    runner = CliRunner()
    out = runner.invoke(app, ["backup", str(path), "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["sha256"] == json.loads(manifest_path(path).read_text())["sha256"]
    change_everything(sqlite_db)
    out = runner.invoke(app, ["restore", str(path), "--yes"])
    assert out.exit_code == 0, out.output
    assert "identical to the backup" in out.output and "audit chain intact" in out.output
    assert table_digests(sqlite_db.engine) == before
