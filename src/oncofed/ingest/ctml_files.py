"""Files the CTML matcher reads: CTML trials, MatchMiner patient records and an OncoTree name mapping.

Trials: a file or a directory of files; JSON or YAML; one document, several YAML documents,
several JSON documents concatenated in one file, or a JSON array (`ingest.documents`, the reader
the CTML trial importer uses too; YAML through the guarded loader).

Patients (clinical and genomic): a JSON list, a JSON object (one patient), JSON lines, CSV, or
MongoDB extended JSON (`ingest.extjson`, the one decoder: ObjectIds become their hex string, dates
naive UTC `datetime`s, `$numberLong` an int); empty CSV cells become `None`, numbers in CSV numbers.
Every error names the file, the record and the field.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from oncofed.criteria.oncotree import subtrees_from_mapping
from oncofed.errors import N_, InputError
from oncofed.ingest import extjson, safe_yaml
from oncofed.ingest.documents import flatten, split_documents
from oncofed.ingest.errors import json_kind

TRIAL_SUFFIXES = {".json", ".yaml", ".yml", ".ejson", ".jsonl"}
ID_COLUMNS = ("SAMPLE_ID", "MRN", "PATIENT_ID", "CLINICAL_ID")  # kept as text ("007" stays "007")


def read_documents(path: Path) -> list[dict[str, Any]]:
    """All documents (objects) of one file: JSON, JSON lines, extended JSON, YAML or CSV."""
    if not path.exists():
        raise InputError(
            N_("file not found"),
            file=str(path),
            fix=N_("give an existing file or directory"),
            code="file.missing",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            N_("not UTF-8 text (byte %(byte)s)"),
            file=str(path),
            fix=N_("save as UTF-8"),
            code="file.not_utf8_at",
            params={"byte": exc.start},
        ) from None
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        docs: list[Any] = _read_csv(text, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in (".yaml", ".yml"):
        docs = flatten(safe_yaml.load_all(text, source=str(path)))
    else:
        docs = split_documents(text, str(path))
    out = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise InputError(
                N_("expected an object, found %(kind)s"),
                file=str(path),
                record=i,
                code="ctml.not_an_object",
                params={"kind": json_kind(doc)},
            )
        out.append(extjson.decode_document(doc, file=str(path), record=i))
    return out


def _coerce_csv(value: str | None) -> Any:
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
            rec[key] = _coerce_csv(v) if key not in ID_COLUMNS else (v.strip() or None if v else None)
        rows.append(rec)
    return rows


def load_trials(path: str | Path) -> list[dict[str, Any]]:
    """Every CTML trial under `path` (file or directory, sorted by file name)."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TRIAL_SUFFIXES)
        if not files:
            raise InputError(
                N_("no .json or .yaml trial file in the directory"),
                file=str(p),
                fix=N_("give a CTML trial file, or a directory holding them"),
                code="ctml.no_trial_file",
            )
    elif p.exists():
        files = [p]
    else:
        raise InputError(
            N_("trial file or directory not found"),
            file=str(p),
            fix=N_("pass `--trials FILE|DIR`"),
            code="ctml.trials_missing",
        )
    trials: list[dict[str, Any]] = []
    for f in files:
        for i, doc in enumerate(read_documents(f)):
            if "protocol_no" not in doc and "treatment_list" not in doc and "match" not in doc:
                raise InputError(
                    N_("not a CTML trial (no protocol_no, treatment_list or match)"),
                    file=str(f),
                    record=i,
                    fix=N_("give CTML trials (MatchMiner's format)"),
                    code="ctml.not_a_trial",
                )
            trials.append(doc)
    return trials


def load_patients(path: str | Path) -> list[dict[str, Any]]:
    """Every clinical or genomic record of a file, or of every file of a directory."""
    p = Path(path)
    if p.is_dir():
        docs: list[dict[str, Any]] = []
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            docs.extend(read_documents(f))
        return docs
    return read_documents(p)


def load_oncotree_mapping(path: str | Path) -> dict[str, list[str]]:
    """A MatchMiner `oncotree_mapping.json` (OncoTree name -> names of its subtree)."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            N_("cannot read the OncoTree mapping (%(detail)s)"),
            file=str(p),
            fix=N_("give MatchMiner's oncotree_mapping.json"),
            code="ctml.oncotree_mapping",
            params={"detail": getattr(exc, "strerror", None) or str(exc)},
        ) from exc
    return subtrees_from_mapping(raw, str(p))
