"""Import trial files: detect the format, parse record by record, map sites to centres, store.

One database transaction per file, all or nothing (issue 17): a file with any rejected record
(`file:record:field: reason`, every one listed), a file cut short (a truncated ClinicalTrials.gov page
keeps no study before the cut) or an import killed half-way leaves nothing of that file; files already
done stay. With `strict=False` (CLI `--partial`) the valid records of such a file are kept deliberately.
Idempotent: each trial remembers the content hashes it was built from, so the same record again is
`unchanged`; a different version is `updated` (an older `last_update` from the same source is kept
out). When several sources describe one trial, the richer source wins (ClinicalTrials.gov JSON >
legacy XML > FHIR > CTML > AACT / NLI4CT > BEIR / TrialGPT) and poorer ones only fill gaps: the
writing is `services/trials/storing.py`."""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncofed.errors import N_, InputError
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials import Rejection, detect, trial_content_hash
from oncofed.ingest.trials.common import rejection
from oncofed.ingest.trials.sites import SiteMapper
from oncofed.services.trials.storing import TrialWriter
from oncofed.store.db import Database


@dataclass
class FileReport:
    path: str
    format: str = ""
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: str = ""  # the whole file holds no trial records, and why
    skipped_records: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rolled_back: bool = False  # a record was rejected (not --partial): nothing from this file was kept

    @property
    def records(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.rejected)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    parsed: int = 0  # eligibility texts parsed (new or changed) after the import

    def total(self, name: str) -> int:
        if name == "rejected":
            return sum(len(f.rejected) for f in self.files)
        return sum(int(getattr(f, name)) for f in self.files)

    @property
    def rejections(self) -> list[Rejection]:
        return [r for f in self.files for r in f.rejected]

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.total("imported"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "rejected": self.total("rejected"),
            "rejections": [str(r) for r in self.rejections],
            "criteria_parsed": self.parsed,
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "imported": f.imported,
                    "updated": f.updated,
                    "unchanged": f.unchanged,
                    "rejected": [str(r) for r in f.rejected],
                    "skipped": f.skipped,
                    "skipped_records": f.skipped_records,
                    "warnings": f.warnings,
                    "rolled_back": f.rolled_back,
                }
                for f in self.files
            ],
        }


def expand_paths(paths: Sequence[str]) -> list[Path]:
    """Files from paths, directories (recursively) and glob patterns, sorted, each once."""
    out: list[Path] = []
    for raw in paths:
        matches = (
            [Path(m) for m in sorted(glob.glob(raw, recursive=True))] if glob.has_magic(raw) else [Path(raw)]
        )
        if not matches:
            raise InputError(
                N_("no file matches %(pattern)s"),
                file=raw,
                fix=N_("check the path or the glob pattern"),
                code="import.no_match",
                params={"pattern": repr(raw)},
            )
        for p in matches:
            if p.is_dir():
                found = sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith("."))
                if not found:  # an empty folder imports nothing: said, never a silent "0 imported"
                    raise InputError(
                        N_("the directory holds no file"),
                        file=str(p),
                        fix=N_("give the trial files, or the directory that holds them"),
                        code="import.empty_directory",
                    )
                out += found
            elif p.is_file():
                out.append(p)
            else:
                raise InputError(
                    N_("no such file or directory"),
                    file=str(p),
                    fix=N_("check the path"),
                    code="import.no_file_path",
                )
    return list(dict.fromkeys(out))


class _Rollback(Exception):
    pass


def import_file(
    db: Database,
    path: Path,
    mapper: SiteMapper,
    *,
    strict: bool = True,
    on_record: Callable[[int], None] | None = None,
) -> FileReport:
    report = FileReport(path=str(path))
    found = detect(path)
    report.format = found.format
    if found.skip:
        report.skipped = found.skip
        return report
    if found.error is not None or found.reader is None:
        err = found.error or RecordError("(format)", N_("unreadable"), code="import.unreadable_format")
        report.rejected.append(rejection(str(path), "(file)", err))
        return report
    try:
        with db.session() as session:
            writer = TrialWriter(session, report)
            for parsed in _guarded(found.reader, path):
                if on_record is not None:
                    on_record(1)
                report.warnings += [f"{parsed.record}: {w}" for w in parsed.warnings]
                if parsed.skipped:
                    report.skipped_records.append(f"{path}:{parsed.record}: {parsed.skipped}")
                    continue
                if parsed.error is not None or parsed.trial is None:
                    e = parsed.error or RecordError("(record)", N_("no trial"), code="import.no_trial")
                    report.rejected.append(rejection(str(path), parsed.record, e))
                    if strict:
                        raise _Rollback
                    continue
                trial = mapper.map_trial(parsed.trial)
                writer.add(trial, trial_content_hash(trial))
            writer.flush()
    except _Rollback:
        report.rolled_back = True
        report.imported = report.updated = report.unchanged = 0
        # all or nothing: keep reading (nothing is written) so that every bad record is listed
        for parsed in _guarded(found.reader, path):
            if parsed.error is not None and not any(r.record == parsed.record for r in report.rejected):
                report.rejected.append(rejection(str(path), parsed.record, parsed.error))
    return report


def _guarded(reader: Callable[[Path], Iterator[Any]], path: Path) -> Iterator[Any]:
    """A reader whose unexpected failures (deep nesting, I/O) become one rejection, never a crash."""
    from oncofed.ingest.trials.common import Parsed

    n = 0
    try:
        for parsed in reader(path):
            n += 1
            yield parsed
    except (RecursionError, MemoryError) as exc:
        yield Parsed(
            record=f"#{n + 1}",
            error=RecordError(
                "(document)",
                N_("too deeply nested or too large (%(detail)s)"),
                code="import.too_large",
                params={"detail": type(exc).__name__},
                fix=N_("split the file into smaller ones"),
            ),
        )
    except OSError as exc:
        yield Parsed(
            record=f"#{n + 1}",
            error=RecordError(
                "(file)",
                N_("read error: %(detail)s"),
                code="import.read_error",
                params={"detail": exc.strerror or str(exc)},
                fix=N_("check the file's permissions and the disk"),
            ),
        )


def site_mapper(db: Database, alias_files: Iterable[Path] = ()) -> SiteMapper:
    from oncofed.services.network.centres import stored_centres

    return SiteMapper(stored_centres(db), alias_files)


def import_trials(
    db: Database,
    paths: Sequence[str | Path],
    *,
    strict: bool = True,
    alias_files: Iterable[Path] = (),
    on_file: Callable[[Path, int, int], None] | None = None,
    on_record: Callable[[int], None] | None = None,
    on_parse: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import trial files, then parse the eligibility text of every new or changed trial once
    (stored by text hash; `on_parse(done, total)` follows the parsing)."""
    files = expand_paths([str(p) for p in paths])
    mapper = site_mapper(db, alias_files)
    report = ImportReport()
    for i, path in enumerate(files):
        if on_file is not None:
            on_file(path, i, len(files))
        report.files.append(import_file(db, path, mapper, strict=strict, on_record=on_record))
    if report.total("imported") or report.total("updated"):
        from oncofed.services.trials.search import bump_version

        bump_version(db)
        from oncofed.services.trials.criteria import reparse

        report.parsed = reparse(db, on_parse)
    return report
