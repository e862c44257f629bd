"""Detect a trial file's format from its content (never from its name) and return its reader."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from oncofed.errors import N_
from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError
from oncofed.ingest.jsonl import MAX_LINE_BYTES
from oncofed.ingest.trials import aact_csv, beir, ctgov_json, ctgov_xml, ctml, fhir, nli4ct
from oncofed.ingest.trials.common import Parsed, not_utf8

Reader = Callable[[Path], Iterator[Parsed]]
SCAN_EVENTS = 200_000


@dataclass
class Detected:
    format: str  # e.g. "ctgov-v2-page"; "" when the file is skipped or unreadable
    reader: Reader | None = None
    skip: str = ""  # why this file holds no trial records (reported, explained)
    error: RecordError | None = None  # the file cannot be read at all


def _shape(path: Path) -> tuple[str, set[str], set[str]]:
    """Root type ("object"/"array"), root keys (or first item's keys) and the first child's keys,
    from a bounded streaming scan (a huge file is never loaded to be classified)."""
    root = ""
    keys: set[str] = set()
    child: set[str] = set()
    first_key: str | None = None
    with path.open("rb") as fh:
        try:
            events = enumerate(ijson.parse(fh))
            for i, (prefix, event, value) in events:
                if i == 0:
                    root = {"start_map": "object", "start_array": "array"}.get(event, "scalar")
                    if root == "scalar":
                        break
                if root == "object" and event == "map_key" and prefix == "":
                    keys.add(value)
                    first_key = first_key or value
                elif root == "object" and event == "map_key" and prefix == first_key:
                    child.add(value)
                elif root == "array" and event == "map_key" and prefix == "item":
                    keys.add(value)
                elif root == "array" and event == "end_map" and prefix == "item":
                    break
                if i > SCAN_EVENTS and keys:
                    break
        except (ijson.JSONError, ijson.IncompleteJSONError):
            if not keys:
                raise  # a truncated file whose layout cannot even be seen; the reader reports the break

    return root, keys, child


PATIENT_KEYS = {"SAMPLE_ID", "ONCOTREE_PRIMARY_DIAGNOSIS_NAME", "TRUE_HUGO_SYMBOL", "MRN", "BIRTH_DATE"}
PATIENTS_FIX = N_(
    "this is a patient file: import it with `oncofed import patients FILE` (trials: `oncofed import trials`)"
)


def _patient_file(reason: str) -> Detected:
    """A patient file given to the trial importer: an error (non-zero exit), not "0 imported".
    `reason` is a message id saying what the file holds."""
    return Detected("", error=RecordError("(format)", reason, code="import.patient_file", fix=PATIENTS_FIX))


def _fhir_patients(head: bytes) -> bool:
    """A FHIR Bundle or resource of patient records (Patient, Condition...) with no ResearchStudy."""
    return re.search(rb'"resourceType"\s*:\s*"Patient"', head) is not None and b'"ResearchStudy"' not in head


def _classify_json(root: str, keys: set[str], child: set[str], lines: bool) -> Detected:
    if keys & PATIENT_KEYS and not keys & {"protocol_no", "treatment_list", "protocolSection"}:
        return _patient_file(N_("MatchMiner patient records (clinical or genomic), not trial records"))
    if "protocolSection" in keys:
        if lines:
            return Detected("ctgov-v2-ndjson", ctgov_json.iter_ndjson)
        prefix = "item" if root == "array" else ""
        return Detected(
            f"ctgov-v2-{'array' if prefix else 'study'}", lambda p: ctgov_json.iter_stream(p, prefix)
        )
    if "studies" in keys and root == "object":
        return Detected("ctgov-v2-page", lambda p: ctgov_json.iter_stream(p, "studies.item"))
    if "resourceType" in keys:
        if lines:
            return Detected("fhir-ndjson", _fhir_lines)
        return Detected("fhir-r4", fhir.iter_records)
    if keys & {"treatment_list", "protocol_no"}:
        return Detected("ctml-json", ctml.iter_records)
    if "Clinical Trial ID" in keys:
        return Detected("nli4ct", nli4ct.iter_records)
    if "_id" in keys and keys & {"title", "metadata"} and lines:
        return Detected("beir-corpus", beir.iter_corpus)
    if "patient_id" in keys and any(k.isdigit() for k in keys):
        return Detected("trialgpt-retrieved", beir.iter_retrieved)
    if "_id" in keys and "text" in keys:
        return Detected("", skip="patient cases (BEIR queries: `_id` and `text`), not trial records")
    if (
        root == "object"
        and child & {"raw", "gpt-4-turbo", "patient", "summary"}
        and not keys & {"title", "eligibility"}
    ):
        return Detected("", skip="patient cases keyed by id (TrialGPT queries), not trial records")
    return Detected(
        "",
        error=RecordError(
            "(format)",
            N_("unrecognised JSON layout"),
            code="import.unknown_json",
            fix=N_("expected ClinicalTrials.gov v2, FHIR ResearchStudy, CTML, BEIR/TrialGPT or NLI4CT"),
        ),
    )


def _fhir_lines(path: Path) -> Iterator[Parsed]:
    for lineno, resource in jsonl.iter_values(path):
        if isinstance(resource, RecordError):
            yield Parsed(record=f"line {lineno}", error=resource)
            continue
        for parsed in fhir.iter_records(path, resource):
            parsed.record = f"line {lineno} {parsed.record}"
            yield parsed


def _first_line_object(path: Path) -> tuple[Any, bool]:
    """The first line parsed alone (None if it is not a complete JSON value), and whether more follows."""
    with path.open("rb") as fh:
        first = fh.readline(MAX_LINE_BYTES)
        while not first.strip() and first:
            first = fh.readline(MAX_LINE_BYTES)
        rest = fh.read(4096).strip()
    try:
        value = jsonl.decode_line(first)
    except RecordError:
        return None, bool(rest)
    return value, bool(rest)


def detect(path: Path) -> Detected:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        return Detected(
            "",
            error=RecordError(
                "(file)",
                N_("cannot read: %(detail)s"),
                code="import.unreadable",
                params={"detail": exc.strerror or str(exc)},
                fix=N_("check the file's permissions and the disk"),
            ),
        )
    if size == 0 or not head.strip():
        return Detected("", skip="empty file")
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"<"):
        return Detected("ctgov-xml", ctgov_xml.iter_records)
    if body.startswith((b"{", b"[")):
        first, more = _first_line_object(path)
        if isinstance(first, dict) and more:
            keys = set(first)
            if keys & {"treatment_list", "protocol_no"}:
                return Detected("ctml-json", ctml.iter_records)  # concatenated CTML documents
            child = (
                set(next(iter(first.values())))
                if first and isinstance(next(iter(first.values())), dict)
                else set()
            )
            return _classify_json("object", keys, child, lines=True)
        if _fhir_patients(head):
            return _patient_file(
                N_("a FHIR Bundle of patient records (Patient, Condition, Observation...), not trial records")
            )
        try:
            root, keys, child = _shape(path)
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, RecursionError) as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            kind = "(encoding)" if "utf" in reason.lower() else "(json)"
            return Detected(
                "",
                error=RecordError(
                    kind,
                    N_("truncated or invalid JSON: %(detail)s"),
                    code="import.json_invalid_head",
                    params={"detail": reason},
                    fix=N_("download the file again (it was cut short) or correct it"),
                ),
            )
        if root == "array" and not keys:
            return Detected("", skip="empty JSON array")
        return _classify_json(root, keys, child, lines=False)
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            return Detected(
                "",
                error=not_utf8(exc.start),
            )
        head_text = head[: exc.start].decode("utf-8")
    first_line = (head_text.lstrip("\ufeff").splitlines() or [""])[0].lower()  # a lone BOM has no line
    if "nct_id" in first_line and "," in first_line:
        return Detected("aact-csv", aact_csv.iter_records)
    if re.match(r"^\W*(patient_id|sample_id|mrn)\W*[,;\t]", first_line):
        return _patient_file(
            N_("a table of patient records (patient_id / SAMPLE_ID columns), not trial records")
        )
    lines = [x.strip() for x in head_text.splitlines() if x.strip()][:200]
    if lines and all(re.match(r"^NCT\d+$", x.upper()) for x in lines):
        return Detected(
            "",
            skip="a list of NCT ids without trial content (fetch the studies from ClinicalTrials.gov first)",
        )
    if re.search(r"^\s*(protocol_no|treatment_list|nct_id)\s*:", head_text, re.M):
        return Detected("ctml-yaml", ctml.iter_records)
    return Detected(
        "",
        error=RecordError(
            "(format)",
            N_("unrecognised file"),
            code="import.unknown_format",
            fix=N_(
                "expected ClinicalTrials.gov JSON/NDJSON/XML, FHIR, CTML YAML/JSON, BEIR JSONL, NLI4CT or AACT CSV"
            ),
        ),
    )
