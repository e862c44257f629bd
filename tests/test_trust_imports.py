"""Partial imports found by the outside probe (issue 17). Each test fails on the code of commit
bef02d6, where a flat CSV with a valid header and junk rows committed a junk patient per row (batch
by batch), a truncated ClinicalTrials.gov page kept the studies before the cut, the patients CLI
exited 0 with rejected records, a latin-1 FHIR file was read with its bytes replaced, records with
no usable fact were created, and a killed import left its committed batches."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from oncofed.ingest.patients.files import first_non_utf8
from oncofed.services.network.centres import load_centres
from oncofed.services.patients.records import import_patients
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from oncofed.store.models import PatientRow, TrialRow
from tests.conftest import ROOT, shared_data

TEMPLATE = ROOT / "src/oncofed/resources/templates/patients_template.csv"


def patients(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(PatientRow)) or 0)


def junk_csv(path: Path, n: int, valid: int = 2) -> Path:
    """A valid header, `valid` real patients (the template's first), then `n` rows of junk."""
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line for line in lines[1:] if line.startswith("P0001,")]
    out = [header]
    for k in range(valid):
        out += [f"V{k:04d}" + line[len("P0001") :] for line in body]
    out += [f"junk{i},,x{i % 7}y,{i},zz,,,,," for i in range(n)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_csv_of_junk_rows_behind_a_valid_header_creates_nothing(
    sqlite_db: Database, tmp_path: Path
) -> None:
    load_centres(sqlite_db)
    path = junk_csv(tmp_path / "junk.csv", 3000)
    report = import_patients(sqlite_db, [path], centre="curie")
    assert (report.imported, report.updated, report.rejected) == (0, 0, 3000)
    assert report.files_refused == ["junk.csv"] and report.kept_out == 2
    assert patients(sqlite_db) == 0
    no_fact = [i for i in report.issues if i.severity == "error" and "no usable fact" in i.reason]
    assert len(no_fact) == 3000 and no_fact[0].record == "patient junk0"
    # deliberately partial: the two real patients, still never the junk
    kept = import_patients(sqlite_db, [path], centre="curie", partial=True)
    assert (kept.imported, kept.rejected) == (2, 3000) and patients(sqlite_db) == 2


def test_the_patients_cli_exits_non_zero_when_anything_was_rejected(
    sqlite_db: Database, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from oncofed.cli import app

    good = tmp_path / "good.csv"
    good.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    junk = junk_csv(tmp_path / "junk.csv", 5, valid=0)
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    issues = tmp_path / "issues.csv"
    out = CliRunner().invoke(
        app,
        ["import", "patients", str(good), str(junk), "--centre", "curie", "--json", "--report", str(issues)],
    )
    assert out.exit_code == 1, out.output  # on bef02d6: 0, because the good file was imported
    data = json.loads(out.stdout[out.stdout.index("{") :])
    assert data["imported"] >= 1 and data["rejected"] == 5 and data["files_refused"] == ["junk.csv"]
    assert "no usable fact" in issues.read_text(encoding="utf-8")
    clean = CliRunner().invoke(app, ["import", "patients", str(good), "--centre", "curie"])
    assert clean.exit_code == 0, clean.output


def test_a_latin1_fhir_file_is_refused_with_the_offset_not_read_with_replaced_bytes(
    sqlite_db: Database, tmp_path: Path
) -> None:
    load_centres(sqlite_db)
    source = shared_data("fhir", "mcode", "TrialMatching_Patient01.json").read_text(encoding="utf-8")
    source = source.replace('"family": "', '"family": "Hélène-', 1)
    assert "Hélène" in source
    path = tmp_path / "latin1.json"
    path.write_bytes(source.encode("latin-1"))
    offset = source.encode("utf-8").index("Hélène".encode()) + 1  # the "é" byte
    report = import_patients(sqlite_db, [path], centre="curie")
    assert (report.imported, report.rejected) == (0, 1) and patients(sqlite_db) == 0
    [issue] = [i for i in report.issues if i.severity == "error"]
    assert f"byte {offset}" in issue.reason and "re-encode" in issue.fix and issue.file == "latin1.json"
    assert first_non_utf8(path) == (offset, "invalid continuation byte")


def test_a_truncated_ctgov_page_keeps_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    from tests.trial_samples import study

    full = json.dumps({"studies": [study(nct=f"NCT0910000{i}") for i in range(1, 6)]})
    path = tmp_path / "page.json"
    path.write_text(full[: len(full) - 200], encoding="utf-8")
    report = import_trials(sqlite_db, [path])
    assert report.total("imported") == 0 and report.files[0].rolled_back
    assert "truncated" in str(report.rejections[0])
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(TrialRow)) == 0


def test_a_killed_import_leaves_nothing(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    db.upgrade()
    load_centres(db)
    db.dispose()
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line for line in lines[1:] if line.startswith("P0001,")]
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for i in range(4000):
            for line in body:
                fh.write(f"K{i:05d}" + line[len("P0001") :] + "\n")
    wal = tmp_path / "oncofed.sqlite3-wal"
    env = {**os.environ, "ONCOFED_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "oncofed.cli", "import", "patients", str(source), "--centre", "curie"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    start = wal.stat().st_size if wal.exists() else 0
    try:
        deadline = time.monotonic() + 300
        # kill it while it writes: its uncommitted pages are spilling into the write-ahead log
        while proc.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > start + 2_000_000:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed: make it bigger"
    db = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    assert patients(db) == 0
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    small = tmp_path / "small.csv"
    small.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    assert import_patients(db, [small], centre="curie", index=False).imported >= 1  # nothing left locked


@pytest.mark.parametrize("bad", [b"\xff", b"abc\xe9", b"\xe2\x82", b"ok\n" * 100_000 + b"\xc3("])
def test_first_non_utf8_names_the_offset(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(bad)
    found = first_non_utf8(path, chunk=4096)
    assert found is not None
    try:
        bad.decode("utf-8")
    except UnicodeDecodeError as exc:
        assert found[0] == exc.start
    path.write_bytes("é".encode() * 5000)
    assert first_non_utf8(path, chunk=4097) is None  # a character cut by a chunk boundary is fine
