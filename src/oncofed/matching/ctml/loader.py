"""Read CTML trials and MatchMiner patient files in every layout MatchMiner accepts.

Trials: a file or a directory of files; JSON or YAML; one document, several YAML documents,
several JSON documents concatenated in one file, or a JSON array.

Patients (clinical and genomic): a JSON list, a JSON object (one patient), JSON lines, CSV, or
MongoDB extended JSON (`{"$oid": ...}`, `{"$date": ...}` with milliseconds, ISO text or
`{"$numberLong": ...}`, `{"$numberDouble": ...}`); values are normalised (ObjectIds become their hex
string, dates become `datetime`, empty CSV cells become `None`, numbers in CSV become numbers).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from oncofed.errors import InputError

TRIAL_SUFFIXES = {".json", ".yaml", ".yml", ".ejson", ".jsonl"}


def normalise_extended_json(value: Any) -> Any:
    """MongoDB extended JSON -> plain Python values (ObjectId -> str, $date -> datetime)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "$oid":
                return str(inner)
            if key == "$date":
                return _parse_ext_date(inner)
            if key in ("$numberLong", "$numberInt"):
                return int(inner)
            if key in ("$numberDouble", "$numberDecimal"):
                return float(inner)
        return {k: normalise_extended_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_extended_json(v) for v in value]
    return value


def _parse_ext_date(inner: Any) -> datetime | None:
    if isinstance(inner, dict):
        inner = normalise_extended_json(inner)
    if isinstance(inner, int | float):
        return datetime(1970, 1, 1) + timedelta(milliseconds=inner)
    if isinstance(inner, str):
        return parse_datetime(inner)
    return None


def parse_datetime(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in ("%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%B %d, %Y"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _json_documents(text: str, source: str) -> list[Any]:
    """One JSON value, JSON lines, or several JSON values back to back."""
    decoder = json.JSONDecoder()
    docs: list[Any] = []
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})",
                file=source,
                fix="check the file is JSON, JSON lines, YAML or CSV",
            ) from exc
        docs.append(value)
    return docs


def _flatten(docs: list[Any]) -> list[Any]:
    out: list[Any] = []
    for doc in docs:
        if isinstance(doc, list):
            out.extend(_flatten(doc))
        elif doc is not None:
            out.append(doc)
    return out


def read_documents(path: Path) -> list[dict[str, Any]]:
    """All documents (dicts) of one file: JSON, JSON lines, extended JSON, YAML or CSV."""
    if not path.exists():
        raise InputError("file not found", file=str(path), fix="give an existing file or directory")
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        docs: list[Any] = _read_csv(text, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in (".yaml", ".yml"):
        try:
            docs = _flatten(list(yaml.safe_load_all(text)))
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML ({exc})", file=str(path)) from exc
    else:
        stripped = text.lstrip()
        if not stripped:
            return []
        if stripped[0] in "[{":
            docs = _flatten(_json_documents(text, str(path)))
        else:
            try:
                docs = _flatten(list(yaml.safe_load_all(text)))
            except yaml.YAMLError as exc:
                raise InputError(f"neither JSON nor YAML ({exc})", file=str(path)) from exc
    out = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise InputError(f"expected an object, found {type(doc).__name__}", file=str(path), record=i)
        out.append(normalise_extended_json(doc))
    return out


def _coerce_csv(value: str) -> Any:
    if value is None:
        return None
    v = value.strip()
    if v == "" or v.lower() in ("nan", "null", "none"):
        return None
    if v.lower() == "true":
        return True
    if v.lower() == "false":
        return False
    if any(c.isalpha() for c in v.lower().replace("e", "")) or v.lower().startswith("e"):
        return v
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            continue
    return v


def _read_csv(text: str, delimiter: str = ",") -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for row in reader:
        rec = {}
        for k, v in row.items():
            if k is None:
                continue
            key = k.strip()
            rec[key] = (
                _coerce_csv(v)
                if key not in ("SAMPLE_ID", "MRN", "PATIENT_ID", "CLINICAL_ID")
                else (v.strip() or None if v else None)
            )
        rows.append(rec)
    return rows


def load_trials(path: str | Path) -> list[dict[str, Any]]:
    """Every CTML trial under `path` (file or directory, sorted by file name)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TRIAL_SUFFIXES)
        if not files:
            raise InputError("no .json or .yaml trial file in the directory", file=str(p))
    elif p.exists():
        files = [p]
    else:
        raise InputError("trial file or directory not found", file=str(p), fix="pass --trials FILE|DIR")
    trials: list[dict[str, Any]] = []
    for f in files:
        for i, doc in enumerate(read_documents(f)):
            if "protocol_no" not in doc and "treatment_list" not in doc and "match" not in doc:
                raise InputError(
                    "not a CTML trial (no protocol_no, treatment_list or match)", file=str(f), record=i
                )
            trials.append(doc)
    return trials


def load_patients(path: str | Path) -> list[dict[str, Any]]:
    p = Path(path)
    if p.is_dir():
        docs: list[dict[str, Any]] = []
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            docs.extend(read_documents(f))
        return docs
    return read_documents(p)
