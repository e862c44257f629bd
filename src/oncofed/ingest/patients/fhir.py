"""FHIR R4 Bundles with mCODE profiles -> patient profiles, via the `fhir.resources` (R4B) models.

Each resource is validated with its `fhir.resources` model. A field that fails validation is
reported (file, resource, field, reason, fix), removed, and the resource validated again, so the
good part of a record still imports. Only the elements the importer reads are validated (the
narrative, identifiers and other unused elements are not): that keeps import fast and means a
problem in an element we ignore never costs a patient.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oncofed.domain import PatientProfile
from oncofed.errors import N_
from oncofed.ingest.patients.common import (
    Collector,
    ParsedRecord,
    add_performance_conversions,
    codes,
    finish_profile,
)
from oncofed.ingest.patients.fhir_extract import Extractor
from oncofed.ingest.patients.fhir_validate import READ_ELEMENTS, unknown_systems, validate_resource

__all__ = ["READ_ELEMENTS", "parse_bundle", "parse_file", "parse_items", "validate_resource"]

ACCEPTED_BUNDLE_TYPES = {"collection", "transaction", "batch", "document", "searchset", "message"}


def parse_bundle(bundle: Any, *, file: str, index: int = 0) -> list[ParsedRecord]:
    """The patients of one Bundle (usually one); rejections and warnings are in the records."""
    record = f"bundle {index}" if index else "bundle"
    issues = Collector(file, record)
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        got = bundle.get("resourceType") if isinstance(bundle, dict) else type(bundle).__name__
        issues.error(
            "",
            "resourceType",
            N_("expected a FHIR Bundle, got %(got)s"),
            N_("export one Bundle per patient"),
            "import.fhir_not_bundle",
            got=repr(got),
        )
        return [ParsedRecord(file, record, None, issues.issues)]
    btype = bundle.get("type")
    if btype not in ACCEPTED_BUNDLE_TYPES:
        issues.error(
            "Bundle",
            "type",
            N_("Bundle type %(got)s does not carry patient records"),
            N_("send a Bundle of type %(types)s"),
            "import.fhir_bundle_type",
            got=repr(btype),
            types=", ".join(sorted(ACCEPTED_BUNDLE_TYPES)),
        )
        return [ParsedRecord(file, record, None, issues.issues)]
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        issues.error(
            "Bundle",
            "entry",
            N_("the Bundle has no entries"),
            N_("add the patient's resources as entries"),
            "import.fhir_no_entries",
        )
        return [ParsedRecord(file, record, None, issues.issues)]
    known = frozenset(codes()["known_systems"])
    resources: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        raw = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(raw, dict) or not isinstance(raw.get("resourceType"), str):
            url = entry.get("fullUrl", "") if isinstance(entry, dict) else ""
            issues.warn(
                f"entry[{i}]",
                "resource",
                N_("entry %(url)s has no resource"),
                N_("remove or fill the entry"),
                "import.fhir_entry_empty",
                url=url,
            )
            continue
        key = (raw["resourceType"], str(raw.get("id", f"#{i}")))
        if key in seen:
            if seen[key] != raw:
                issues.warn(
                    f"{key[0]}/{key[1]}",
                    "id",
                    N_("two different resources share this id"),
                    N_("kept the first; give each resource its own id"),
                    "import.fhir_duplicate_id",
                )
            continue
        seen[key] = raw
        resources.append(raw)
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    if not patients:
        issues.error(
            "Bundle",
            "entry",
            N_("no Patient resource in the Bundle"),
            N_("add the Patient the records belong to"),
            "import.fhir_no_patient",
        )
        return [ParsedRecord(file, record, None, issues.issues)]
    out = []
    for patient in patients:
        pid = str(patient.get("id") or "")
        sub = Collector(file, pid or record)
        sub.issues.extend(issues.issues)
        own = _resources_of(patient, patients, resources, bundle, sub)
        profile = PatientProfile(id="", centre_id="")
        extractor = Extractor(profile, source=f"fhir:{file}", issues=sub)
        for raw in own:
            if raw["resourceType"] not in READ_ELEMENTS:
                continue
            unknown_systems(raw, f"{raw['resourceType']}/{raw.get('id', '?')}", sub, known)
            model = validate_resource(raw, sub)
            if model is not None:
                extractor.add(model)
        extractor.finish()
        add_performance_conversions(profile)
        finish_profile(profile)
        out.append(ParsedRecord(file, pid or record, profile, sub.issues, source="fhir", **_hints(extractor)))
    return out


def _hints(extractor: Extractor) -> dict[str, Any]:
    return {"local_id": extractor.local_id, "centre_hint": extractor.centre_hint}


def _resources_of(
    patient: dict[str, Any],
    patients: list[dict[str, Any]],
    resources: list[dict[str, Any]],
    bundle: dict[str, Any],
    issues: Collector,
) -> list[dict[str, Any]]:
    """The resources of `patient`: all of them when the Bundle has one patient."""
    if len(patients) == 1:
        return resources
    pid = str(patient.get("id"))
    refs = {f"Patient/{pid}", f"urn:uuid:{pid}"}
    for entry in bundle.get("entry", []):
        if isinstance(entry, dict) and entry.get("resource") is patient and entry.get("fullUrl"):
            refs.add(str(entry["fullUrl"]))
    out = []
    for raw in resources:
        if raw is patient:
            out.append(raw)
            continue
        ref = raw.get("subject") or raw.get("patient") or {}
        if isinstance(ref, dict) and ref.get("reference") in refs:
            out.append(raw)
    return out


Item = ParsedRecord | tuple[str, int, str]  # a ready rejection, or (file name, line/index, JSON text)


def _too_big(name: str, record: str, size: int, max_bytes: int) -> ParsedRecord:
    issue = Collector(name, record)
    issue.error(
        "",
        "",
        N_("%(what)s is %(size)s MB, above the %(limit)s MB limit for one Bundle"),
        N_("export one Bundle per patient (NDJSON: one Bundle per line is streamed), or raise --max-mb"),
        "import.fhir_too_large",
        what=record,
        size=round(size / 1e6),
        limit=round(max_bytes / 1e6),
    )
    return ParsedRecord(name, record, None, issue.issues)


def bundle_texts(path: Path, *, max_bytes: int) -> Iterator[Item]:
    """The Bundle texts of a file: a .json file whole (refused above `max_bytes`), a .ndjson file
    streamed line by line (any size; each line refused above `max_bytes`)."""
    name = path.name
    if path.suffix.lower() == ".ndjson":
        with path.open(encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, start=1):
                if len(line) > max_bytes:
                    yield _too_big(name, f"line {n}", len(line), max_bytes)
                elif line.strip():
                    yield (name, n, line)
        return
    size = path.stat().st_size
    if size > max_bytes:
        yield _too_big(name, "file", size, max_bytes)
        return
    yield (name, 0, path.read_text(encoding="utf-8", errors="replace"))


def _parse_items(items: list[Item]) -> list[ParsedRecord]:
    out: list[ParsedRecord] = []
    for item in items:
        out.extend([item] if isinstance(item, ParsedRecord) else _parse_text(item[2], item[0], item[1]))
    return out


def parse_items(items: Iterable[Item], *, jobs: int = 1, chunk: int = 64) -> Iterator[ParsedRecord]:
    """Parse Bundle texts, in `jobs` worker processes when > 1 (validation is CPU-bound); the
    records come out in input order and at most 2 x jobs chunks are in flight (bounded memory)."""
    if jobs <= 1:
        for item in items:
            yield from _parse_items([item])
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[ParsedRecord]]] = deque()
        batch: list[Item] = []
        for item in items:
            batch.append(item)
            if len(batch) >= chunk:
                pending.append(pool.submit(_parse_items, batch))
                batch = []
                if len(pending) >= 2 * jobs:
                    yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(_parse_items, batch))
        while pending:
            yield from pending.popleft().result()


def parse_file(path: Path, *, max_bytes: int, jobs: int = 1) -> Iterator[ParsedRecord]:
    """Bundles in a .json file (one Bundle, or a list of Bundles) or .ndjson file (one per line)."""
    yield from parse_items(bundle_texts(path, max_bytes=max_bytes), jobs=jobs)


def _parse_text(text: str, name: str, index: int) -> Iterator[ParsedRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        record = f"line {index}" if index else "file"
        issue = Collector(name, record)
        issue.error(
            "",
            "",
            N_("invalid JSON: %(detail)s at line %(line)s column %(column)s"),
            N_("fix the JSON syntax"),
            "import.patients_json_invalid",
            detail=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        )
        yield ParsedRecord(name, record, None, issue.issues)
        return
    if isinstance(data, list):
        for i, item in enumerate(data, start=1):
            yield from parse_bundle(item, file=name, index=i)
    else:
        yield from parse_bundle(data, file=name, index=index)
