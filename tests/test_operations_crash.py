"""Crash safety (issue 22): SIGKILL the server in the middle of screening-status changes and audited
reads, or an import in the middle of its writes; after a restart nothing is half-written, the audit
chain verifies, and no acknowledged write is lost. Runs on SQLite and PostgreSQL.

Deterministic enough for CI: the kill comes after a fixed number of acknowledged writes, while other
requests are in flight; what is checked holds wherever the kill falls."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

from oncofed.domain import Actor
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.services.accounts.users import get_user, issue_token
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.audit import verify_chain
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import ScreeningCandidateRow, ScreeningEventRow
from oncofed.store.models_trust import AuditRow
from oncofed.store.repositories import PatientRepository, TrialRepository
from oncofed.synthetic.demo import build_demo
from tests.server_process import ROOT, ServerProcess

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

CENTRE = "curie"
ACKED_BEFORE_KILL = 60
# new -> pending, then pending <-> flagged forever: every change is allowed, each one a new version
NEXT = {"new": "pending", "pending": "flagged", "flagged": "pending"}


def prepared(db: Database) -> tuple[str, list[str]]:
    """A demo network, one trial's pre-screening list at Curie computed; its candidates' ids."""
    build_demo(db, patients=150, seed=5)
    with db.session() as s:
        trial = TrialRepository(s).for_centre(CENTRE)[0].id
    refresh_prescreen(db, trial, CENTRE, Actor.system("test"))
    with db.session() as s:
        from oncofed.store.models_prescreen import PrescreenResultRow

        ids = list(
            s.scalars(
                select(PrescreenResultRow.patient_id).where(
                    PrescreenResultRow.trial_id == trial, PrescreenResultRow.centre_id == CENTRE
                )
            )
        )
    return trial, sorted(ids)


class Writer(threading.Thread):
    """One research nurse changing the status of her own candidates, one change at a time; every
    answered change is remembered (the acknowledged writes)."""

    def __init__(self, base: str, token: str, trial: str, patients: list[str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.trial, self.patients, self.stop = base, token, trial, patients, stop
        self.acked: dict[str, tuple[int, str]] = {}  # patient -> (version, status) last acknowledged
        self.state = {p: (0, "new") for p in patients}
        self.errors: list[str] = []

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        url = f"{self.base}/api/prescreen/{self.trial}/{CENTRE}/status"
        with httpx.Client(headers=headers, timeout=30) as client:
            i = 0
            while not self.stop.is_set():
                pid = self.patients[i % len(self.patients)]
                i += 1
                version, status = self.state[pid]
                target = NEXT[status]
                body = {"candidates": [{"patient_id": pid, "version": version}], "status": target}
                try:
                    r = client.post(url, json=body)
                except httpx.TransportError:
                    return  # the server died: this change may or may not have been written
                if r.status_code != 200:
                    self.errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                new_version = int(r.json()["updated"][0]["version"])
                self.state[pid] = (new_version, target)
                self.acked[pid] = (new_version, target)


class Reader(threading.Thread):
    """A clinician opening patient records: each answered read must be in the audit log."""

    def __init__(self, base: str, token: str, patients: list[str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.patients, self.stop = base, token, patients, stop
        self.acked = 0
        self.errors: list[str] = []

    def run(self) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {self.token}"}, timeout=30) as client:
            i = 0
            while not self.stop.is_set():
                try:
                    r = client.get(f"{self.base}/api/patients/{self.patients[i % len(self.patients)]}")
                except httpx.TransportError:
                    return
                i += 1
                if r.status_code != 200:
                    self.errors.append(f"{r.status_code} {r.text[:200]}")
                    return
                self.acked += 1


def test_sigkill_during_status_changes_and_audited_reads_loses_nothing_acknowledged(db: Database) -> None:
    trial, candidates = prepared(db)
    assert len(candidates) >= 9
    nurse_token = issue_token(db, "arc-curie", name="crash test", actor=SETUP)
    clinician_token = issue_token(db, "clin-curie", name="crash test", actor=SETUP)
    clinician_id = get_user(db, "clin-curie").actor().user_id  # as the audit log names them
    audit_before = verify_chain(db.engine).rows
    db.dispose()
    stop = threading.Event()
    server = ServerProcess(db.url).start()
    try:
        writers = [Writer(server.base_url, nurse_token, trial, candidates[k::3], stop) for k in range(3)]
        readers = [Reader(server.base_url, clinician_token, candidates, stop) for _ in range(2)]
        for t in (*writers, *readers):
            t.start()
        deadline = time.monotonic() + 240
        # each change adds one version: the sum of the last acknowledged versions counts the changes
        while sum(v for w in writers for v, _ in w.acked.values()) < ACKED_BEFORE_KILL:
            assert time.monotonic() < deadline, "the writers made no progress"
            assert not any(t.errors for t in (*writers, *readers)), [t.errors for t in (*writers, *readers)]
            time.sleep(0.01)
        server.kill(signal.SIGKILL)  # writes and reads in flight
    finally:
        stop.set()
        server.kill()
    for t in (*writers, *readers):
        t.join(timeout=30)
    assert not any(w.errors for w in writers) and not any(r.errors for r in readers)

    # after the crash, straight from the database
    with db.session() as s:
        rows = {
            r.patient_id: r
            for r in s.scalars(select(ScreeningCandidateRow).where(ScreeningCandidateRow.trial_id == trial))
        }
        events = Counter(
            s.scalars(select(ScreeningEventRow.patient_id).where(ScreeningEventRow.trial_id == trial))
        )
        last_event = dict(
            s.execute(
                select(ScreeningEventRow.patient_id, ScreeningEventRow.to_status)
                .where(ScreeningEventRow.trial_id == trial)
                .order_by(ScreeningEventRow.id)
            ).all()
        )
        clinician_reads = s.scalar(
            select(func.count())
            .select_from(AuditRow)
            .where(AuditRow.user_id == clinician_id, AuditRow.action == "patient.read")
        )
    acked = {p: v for w in writers for p, v in w.acked.items()}
    assert sum(v for v, _ in acked.values()) >= ACKED_BEFORE_KILL
    for pid, (version, status) in acked.items():
        row = rows.get(pid)
        assert row is not None, f"{pid}: acknowledged change lost"
        # the acknowledged change, or one more that was written but whose answer was lost
        assert row.version in (version, version + 1), (pid, row.version, version)
        if row.version == version:
            assert row.status == status
    for pid, row in rows.items():  # nothing half-written: a status and its log entry go together
        assert events[pid] == row.version, f"{pid}: version {row.version} but {events[pid]} log entries"
        assert last_event[pid] == row.status
    chain = verify_chain(db.engine)
    assert chain.ok, chain.problems
    assert clinician_reads >= sum(r.acked for r in readers) > 0
    assert chain.rows > audit_before

    # the restarted server serves, and the workflow carries on from the stored versions
    db.dispose()
    with ServerProcess(db.url) as again:
        pid, row = next(iter(rows.items()))
        r = httpx.post(
            f"{again.base_url}/api/prescreen/{trial}/{CENTRE}/status",
            headers={"Authorization": f"Bearer {nurse_token}"},
            json={"candidates": [{"patient_id": pid, "version": row.version}], "status": NEXT[row.status]},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        assert (
            httpx.get(
                f"{again.base_url}/api/patients/{pid}",
                headers={"Authorization": f"Bearer {clinician_token}"},
                timeout=30,
            ).status_code
            == 200
        )
    assert verify_chain(db.engine).ok


def write_patients_csv(path: Path, n: int) -> list[str]:
    template = (ROOT / "src/oncofed/resources/templates/patients_template.csv").read_text().splitlines()
    header, body = template[0], [line for line in template[1:] if line.startswith("P0001,")]
    ids = [f"CRASH{i:05d}" for i in range(n)]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        for pid in ids:
            for line in body:
                fh.write(pid + line[len("P0001") :] + "\n")
    return ids


def import_is_writing(db: Database) -> bool:
    """The import holds an open write transaction: on PostgreSQL a backend inside a transaction that
    has inserted patients; on SQLite the database's write lock is taken (BEGIN IMMEDIATE, no wait)."""
    if db.backend == "postgresql":
        with db.engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
                        "AND query ILIKE '%INSERT INTO patients%'"
                    )
                ).scalar_one()
            )
    import sqlite3

    from sqlalchemy.engine import make_url

    conn = sqlite3.connect(make_url(db.url).database or "", timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": the importer is writing
        return True
    finally:
        conn.close()


def test_sigkill_during_an_import_leaves_nothing_and_a_rerun_completes_it(
    db: Database, tmp_path: Path
) -> None:
    """An import is one transaction (issue 17): killed while writing, it leaves none of its records
    (and nothing half-written); the same import run again stores every record once."""
    build_demo(db, patients=0, seed=5)
    n = 4000
    source = tmp_path / "patients.csv"
    ids = write_patients_csv(source, n)
    db.dispose()
    env = {**os.environ, "DATABASE_URL": db.url}
    cmd = [sys.executable, "-m", "oncofed.cli", "import", "patients", str(source), "--centre", CENTRE]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline and not import_is_writing(db):
            time.sleep(0.02)
        time.sleep(0.3)  # well inside the writes
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed: make it bigger"
    db.dispose()
    with db.session() as s:
        stored = s.scalar(
            select(func.count()).select_from(PatientRow).where(PatientRow.id.like(f"{CENTRE}-CRASH%"))
        )
    assert stored == 0, f"{stored} records of a killed import were kept"
    assert verify_chain(db.engine).ok
    if db.backend == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # the same import again completes the job: every record once, nothing duplicated
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    with db.session() as s:
        stored_ids = sorted(s.scalars(select(PatientRow.id).where(PatientRow.id.like(f"{CENTRE}-CRASH%"))))
        repo = PatientRepository(s, Actor.system("test"))
        sample = repo.get(stored_ids[-1])
    assert len(stored_ids) == n and len(set(stored_ids)) == n
    assert stored_ids == sorted(f"{CENTRE}-{i}" for i in ids)
    assert sample.primary_cancer == "LUAD" and any(f.kind == "biomarker" for f in sample.facts)
