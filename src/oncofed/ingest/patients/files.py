"""Patient files: every record of every file given to `oncofed import patients`, the importer of each
file chosen from its content (FHIR Bundles, MatchMiner JSON/CSV, the flat CSV layout, notes); a file
that is not UTF-8 (with the offset of the first bad byte), too large, a file of trials or of an
unknown type is one rejected record naming the fix."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from oncofed.domain import PatientProfile
from oncofed.errors import N_, InputError
from oncofed.ingest.kinds import trial_file_format
from oncofed.ingest.patients import fhir, flatcsv, matchminer, notes
from oncofed.ingest.patients.common import Collector, ParsedRecord

DEFAULT_MAX_MB = 100
JSON_SUFFIXES = {".json", ".ndjson", ".ejson"}
NOTE_SUFFIXES = {".jsonl", ".txt"}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in JSON_SUFFIXES | NOTE_SUFFIXES | {".csv"}
                )
            )
        elif path.exists():
            out.append(path)
        else:
            raise InputError(
                N_("file not found"), file=str(path), fix=N_("check the path"), code="file.missing"
            )
    return out


def _looks_like_fhir(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096)
    return b'"resourceType"' in head


def first_non_utf8(path: Path, chunk: int = 1 << 20) -> tuple[int, str] | None:
    """(byte offset, reason) of the first byte that is not UTF-8, or None: the whole file is read
    (incrementally) before any parser sees it, so no reader can silently replace a byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as fh:
        while True:
            block = fh.read(chunk)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return offset - len(decoder.getstate()[0]) + exc.start, exc.reason
            if not block:
                return None
            offset += len(block)


def _encoding_rejection(path: Path) -> ParsedRecord | None:
    found = first_non_utf8(path)
    if found is None:
        return None
    offset, reason = found
    c = Collector(path.name, "file")
    c.error(
        "",
        "",
        N_("not UTF-8 text: byte %(byte)s (%(detail)s); nothing of this file was read"),
        N_("re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8) and import it again"),
        "import.patients_not_utf8",
        byte=offset,
        detail=reason,
    )
    return ParsedRecord(path.name, "file", None, c.issues)


def usable(profile: PatientProfile) -> bool:
    """A record says something about the patient: at least one fact beyond unmapped source fields."""
    return any(f.kind != "record_field" for f in profile.facts)


def read_records(
    paths: list[Path], *, max_mb: float = DEFAULT_MAX_MB, jobs: int = 1
) -> Iterator[tuple[Path, ParsedRecord]]:
    """Every record of every file, each importer chosen from the file's content."""
    max_bytes = int(max_mb * 1_000_000)
    mm_files: list[Path] = []
    fhir_files: list[Path] = []
    for path in paths:
        suffix = path.suffix.lower()
        if (refused := _encoding_rejection(path)) is not None:
            yield path, refused
            continue
        if (kind := trial_file_format(path)) is not None:  # a trial file: say which command (issue 18)
            c = Collector(path.name, "file")
            c.error(
                "",
                "",
                N_("a file of trials (%(kind)s), not patient records"),
                N_("import it with `oncofed import trials FILE`"),
                "import.trial_file",
                kind=kind,
            )
            yield path, ParsedRecord(path.name, "file", None, c.issues)
            continue
        if suffix in NOTE_SUFFIXES:
            yield from ((path, r) for r in notes.parse_file(path))
        elif suffix in (".json", ".ndjson") and _looks_like_fhir(path):
            fhir_files.append(path)
        elif suffix in JSON_SUFFIXES:
            if path.stat().st_size > max_bytes:
                c = Collector(path.name, "file")
                c.error(
                    "",
                    "",
                    N_("file is above the %(limit)s MB limit"),
                    N_("split the export or raise --max-mb"),
                    "import.patients_too_large",
                    limit=max_mb,
                )
                yield path, ParsedRecord(path.name, "file", None, c.issues)
            else:
                mm_files.append(path)
        elif suffix == ".csv":
            try:
                with path.open(encoding="utf-8-sig", newline="") as fh:
                    header = next(csv.reader(fh), [])
            except (UnicodeDecodeError, csv.Error) as exc:
                yield path, flatcsv.unreadable(path.name, exc)
                continue
            if flatcsv.is_flat_csv(header):
                yield from ((path, r) for r in flatcsv.parse_file(path))
            elif matchminer.is_matchminer_csv(header):
                mm_files.append(path)
            else:
                c = Collector(path.name, "header")
                c.error(
                    "",
                    "",
                    N_("unknown CSV layout (columns %(columns)s)"),
                    N_("use the flat layout of docs/PATIENT_IMPORT.md or MatchMiner columns"),
                    "import.csv_layout",
                    columns=", ".join(header[:8]),
                )
                yield path, ParsedRecord(path.name, "header", None, c.issues)
        else:
            c = Collector(path.name, "file")
            c.error(
                "",
                "",
                N_("unsupported file type %(suffix)s"),
                N_("send .json/.ndjson (FHIR, MatchMiner), .ejson, .csv, .jsonl or .txt (notes)"),
                "import.file_type",
                suffix=suffix or "(none)",
            )
            yield path, ParsedRecord(path.name, "file", None, c.issues)
    if fhir_files:  # one stream over every FHIR file, so worker processes stay busy across files
        by_fhir_name = {p.name: p for p in fhir_files}
        items = (item for p in fhir_files for item in fhir.bundle_texts(p, max_bytes=max_bytes))
        for r in fhir.parse_items(items, jobs=jobs):
            yield by_fhir_name.get(r.file, fhir_files[0]), r
    if mm_files:
        by_name = {p.name: p for p in mm_files}
        for r in matchminer.parse_files(mm_files):
            yield by_name.get(r.file, mm_files[0]), r
