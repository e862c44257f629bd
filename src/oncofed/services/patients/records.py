"""Patient import: the job behind `oncofed import patients` (files are read by `ingest/patients/files.py`).

Writes go through `PatientRepository(session, actor)`. An import is all or nothing per file (issue 17):
the whole run is one transaction, so an import that is killed leaves nothing; a file with any rejected
record (including a file that is not UTF-8, with the offset of the first bad byte, and a record with no
usable fact) contributes nothing and is reported, the other files are imported. `partial=True` (CLI
`--partial`) keeps the valid records of such files deliberately. Every rejected record is reported.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from oncofed.domain import Actor, Centre, PatientProfile
from oncofed.errors import N_, InputError
from oncofed.ingest.patients.common import Collector, Issue, ParsedRecord, patient_id
from oncofed.ingest.patients.files import DEFAULT_MAX_MB, expand_paths, read_records, usable
from oncofed.services.network.centres import stored_centres
from oncofed.store import locks
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

COMMIT_EVERY = 500  # records per INSERT batch (all in the run's one transaction)


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    rejected: int = 0
    files: int = 0
    seconds: float = 0.0
    indexed: int = 0  # records whose match features were (re)computed after the import
    issues: list[Issue] = field(default_factory=list)
    patient_ids: list[str] = field(default_factory=list)
    files_refused: list[str] = field(default_factory=list)  # files with a rejected record: nothing kept
    kept_out: int = 0  # valid records of refused files, not written
    rejected_by_file: dict[str, int] = field(default_factory=dict)
    accepted_by_file: dict[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "indexed": self.indexed,
            "files_refused": self.files_refused,
            "kept_out": self.kept_out,
            "issues": [i.as_dict() for i in self.issues],
        }


ISSUE_COLUMNS = ["severity", "file", "record", "resource", "field", "reason", "fix", "code"]


class CentreResolver:
    """The centre of a record: the --centre option, or a centre named by the record (id, name, alias)."""

    def __init__(self, centres: list[Centre], default: str | None) -> None:
        self.names: dict[str, str] = {}
        for c in centres:
            for name in (c.id, c.name, c.short_name, *c.aliases):
                if name:
                    self.names[name.strip().lower()] = c.id
        self.default = None
        if default:
            self.default = self.names.get(default.strip().lower())
            if self.default is None:
                raise InputError(
                    N_("unknown centre %(centre)s"),
                    field="--centre",
                    fix=N_("list centres with `oncofed centres`"),
                    code="centre.unknown",
                    params={"centre": repr(default)},
                )

    def __call__(self, hint: str) -> str | None:
        if self.default:
            return self.default
        return self.names.get(hint.strip().lower()) if hint else None


class _Refused(Exception):
    """Some files had rejected records: the run's transaction is rolled back, the clean files redone."""


def import_patients(
    db: Database,
    paths: Iterable[Path],
    *,
    centre: str | None = None,
    actor: Actor | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    jobs: int = 1,
    progress: Callable[[int, int, ImportReport], None] | None = None,
    index: bool = True,
    partial: bool = False,
) -> ImportReport:
    """Import every patient record of `paths`; a report of imported / updated / rejected.
    All or nothing per file unless `partial`: the run writes in one transaction; when a file had a
    rejected record, the transaction is rolled back and the files without any are written again
    (parsed twice in that case only). With `index`, the match index (services/matching/match_index.py)
    is brought up to date afterwards, so the next pre-screening reads stored features."""
    started = time.perf_counter()
    actor = actor or Actor.system("import")
    files = expand_paths(paths)
    resolve = CentreResolver(stored_centres(db), centre)
    refused: dict[str, ImportReport] = {}  # file name -> what the first pass found in it
    todo = files
    while True:
        report = ImportReport(files=len(files))
        try:
            failed = _write_files(db, todo, actor, resolve, report, max_mb, jobs, progress, partial)
            break
        except _Refused as exc:
            failed, first = exc.args
            refused.update({name: first for name in failed})
            todo = [p for p in todo if p.name not in failed]
    for name, first in refused.items():  # every rejection of the refused files, and what was kept out
        report.files_refused.append(name)
        report.issues.extend(i for i in first.issues if i.file == name)
        report.rejected += first.rejected_by_file.get(name, 0)
        report.kept_out += first.accepted_by_file.get(name, 0)
    if index and (report.imported or report.updated):
        from oncofed.services.matching.match_index import refresh_match_index

        report.indexed = refresh_match_index(db, Actor.system("match index"))
    report.seconds = time.perf_counter() - started
    return report


def _write_files(
    db: Database,
    files: list[Path],
    actor: Actor,
    resolve: CentreResolver,
    report: ImportReport,
    max_mb: float,
    jobs: int,
    progress: Callable[[int, int, ImportReport], None] | None,
    partial: bool,
) -> set[str]:
    """Write every record of `files` in one transaction; the names of the files with a rejected
    record. Unless `partial`, any such file rolls everything back (`_Refused`)."""
    done_files: set[Path] = set()
    with db.session() as session:
        # one transaction from the first statement: on SQLite a SAVEPOINT opened outside a transaction
        # commits on release, so the batches' savepoints would each commit; this also makes two imports
        # wait for each other (on SQLite, other writers wait while an import runs: one writer at a time)
        locks.hold(session, "patient-import")
        writer = _Writer(session, PatientRepository(session, actor), resolve, report)
        for path, record in read_records(files, max_mb=max_mb, jobs=jobs):
            report.issues.extend(record.issues)
            if record.profile is not None and not record.rejected:
                writer.add(record)
            else:
                writer.reject(record.file)
            done_files.add(path)
            if progress:
                progress(len(done_files), len(files), report)
        writer.flush()
        if writer.failed and not partial:
            session.rollback()
            raise _Refused(writer.failed, report)
    return writer.failed


class _Writer:
    """Writes parsed records in batches: new patients in one INSERT, known ones one by one.

    A batch whose INSERT fails is written again record by record, each in its own savepoint, so a
    bad record is rejected alone and reported; nothing is ever written partially.
    """

    def __init__(
        self, session: Session, repo: PatientRepository, resolve: CentreResolver, report: ImportReport
    ) -> None:
        self.session, self.repo, self.resolve, self.report = session, repo, resolve, report
        self.batch: dict[str, tuple[ParsedRecord, PatientProfile]] = {}
        self.failed: set[str] = set()  # names of files with a rejected record

    def reject(self, file: str) -> None:
        self.report.rejected += 1
        self.report.rejected_by_file[file] = self.report.rejected_by_file.get(file, 0) + 1
        self.failed.add(file)

    def _accepted(self, file: str) -> None:
        self.report.accepted_by_file[file] = self.report.accepted_by_file.get(file, 0) + 1

    def add(self, record: ParsedRecord) -> None:
        profile = record.profile
        assert profile is not None
        issues = Collector(record.file, record.record)
        centre_id = self.resolve(record.centre_hint)
        if centre_id is None and record.centre_hint:
            issues.error(
                "",
                "centre",
                N_("no centre for this record (%(centre)s is unknown)"),
                N_("pass --centre, or name the centre in the record"),
                "import.no_centre",
                centre=repr(record.centre_hint),
            )
        elif centre_id is None:
            issues.error(
                "",
                "centre",
                N_("no centre for this record"),
                N_("pass --centre, or name the centre in the record"),
                "import.no_centre",
            )
        elif not record.local_id:
            issues.error(
                "",
                "id",
                N_("the record has no patient id"),
                N_("give every patient an id in its source"),
                "import.no_patient_id",
            )
        elif not usable(profile):
            issues.error(
                "",
                "",
                N_("no usable fact: nothing about the patient could be read (only an id)"),
                N_("check the rows of this patient (kind, code, value), or leave the record out"),
                "import.no_usable_fact",
            )
        if issues.issues or centre_id is None:
            self.report.issues.extend(issues.issues)
            self.reject(record.file)
            return
        profile.centre_id = centre_id
        profile.id = patient_id(centre_id, record.local_id)
        if not profile.display_name:
            profile.display_name = record.local_id[:200]
        if profile.id in self.batch:  # the same patient twice in a row of files: keep the order of writes
            self.flush()
        self.batch[profile.id] = (record, profile)
        if len(self.batch) >= COMMIT_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        items = list(self.batch.values())
        self.batch = {}
        existing = self.repo.existing_ids(p.id for _, p in items)
        new = [(r, p) for r, p in items if p.id not in existing]
        by_source: dict[str, list[PatientProfile]] = {}
        for r, p in new:
            by_source.setdefault(r.source or "import", []).append(p)
        try:
            with self.session.begin_nested():
                for source, profiles in by_source.items():
                    self.repo.add_many(profiles, source=source)
            for r, p in new:
                self.report.imported += 1
                self.report.patient_ids.append(p.id)
                self._accepted(r.file)
            one_by_one = [(r, p) for r, p in items if p.id in existing]
        except Exception:  # a bad record in the batch: find it by writing each record alone
            one_by_one = items
        for record, profile in one_by_one:
            self._one(record, profile)
        self.session.flush()  # no commit here: the run is one transaction (a killed import leaves nothing)

    def _one(self, record: ParsedRecord, profile: PatientProfile) -> None:
        try:
            with self.session.begin_nested():
                new = self.repo.upsert(profile, source=record.source or "import")
        except Exception as exc:  # reported, nothing of this record written
            issues = Collector(record.file, record.record)
            issues.error(
                "",
                "",
                f"not stored: {type(exc).__name__}: {str(exc)[:200]}",
                "correct the record and import it again",
            )
            self.report.issues.extend(issues.issues)
            self.reject(record.file)
            return
        self._accepted(record.file)
        self.report.patient_ids.append(profile.id)
        if new:
            self.report.imported += 1
        else:
            self.report.updated += 1


def dumps_report(report: ImportReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
