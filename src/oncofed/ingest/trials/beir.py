"""TrialGPT / BEIR trial corpora: JSONL `{"_id", "title", "text", "metadata": {...}}` (one trial a line),
and TrialGPT's retrieved-trials JSON (a patient with ranked lists of trial dicts carrying `NCTID`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oncofed.domain import Phase, Trial
from oncofed.errors import N_
from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError, json_kind
from oncofed.ingest.trials.common import Parsed, load_json_document, parse_int, require_id, text, text_list

SOURCE_CORPUS = "beir"
SOURCE_RETRIEVED = "trialgpt"
_HEAD = re.compile(r"^\s*(inclusion|exclusion)\s+criteria\s*:?\s*", re.IGNORECASE)


def _section(value: Any) -> str:
    return _HEAD.sub("", text(value)).strip()


def eligibility_from(inclusion: Any, exclusion: Any) -> str:
    """Rebuild ClinicalTrials.gov-style text: "Inclusion Criteria:" ... "Exclusion Criteria:" ..."""
    parts = []
    inc, exc = _section(inclusion), _section(exclusion)
    if inc:
        parts.append("Inclusion Criteria:\n\n" + inc)
    if exc:
        parts.append("Exclusion Criteria:\n\n" + exc)
    return "\n\n".join(parts)


def _summary_from_text(body: str) -> str:
    m = re.match(r"\s*Summary:\s*(.*?)(?:\n(?:Inclusion|Exclusion) criteria:|\Z)", body, re.S | re.I)
    return m.group(1).strip() if m else ""


def metadata_to_trial(trial_id: str, title: str, meta: dict[str, Any], body: str, source: str) -> Trial:
    phase = text(meta.get("phase"))
    return Trial(
        id=trial_id,
        source=source,
        title=title or text(meta.get("brief_title")) or trial_id,
        brief_summary=text(meta.get("brief_summary")) or _summary_from_text(body),
        phases=Phase.parse_many(phase or None),
        conditions=text_list(meta.get("diseases_list") or meta.get("diseases")),
        interventions=text_list(meta.get("drugs_list") or meta.get("drugs")),
        eligibility_text=eligibility_from(meta.get("inclusion_criteria"), meta.get("exclusion_criteria")),
        enrolment=parse_int(meta.get("enrollment"), "metadata.enrollment"),
    )


def corpus_record_to_trial(doc: Any) -> Trial:
    if not isinstance(doc, dict):
        raise RecordError(
            "(record)",
            N_("expected a JSON object, got %(kind)s"),
            code="import.not_object",
            params={"kind": json_kind(doc)},
            fix=N_("give each record as a JSON object"),
        )
    trial_id = require_id(doc.get("_id"), "_id")
    meta = doc.get("metadata") or {}
    if not isinstance(meta, dict):
        raise RecordError(
            "metadata",
            N_("expected an object"),
            code="import.not_object",
            fix=N_("give the field as a JSON object"),
        )
    return metadata_to_trial(trial_id, text(doc.get("title")), meta, text(doc.get("text")), SOURCE_CORPUS)


def iter_corpus(path: Path) -> Iterator[Parsed]:
    for lineno, doc in jsonl.iter_values(path):
        label = f"line {lineno}"
        if isinstance(doc, RecordError):
            yield Parsed(record=label, error=doc)
            continue
        try:
            if isinstance(doc, dict) and isinstance(doc.get("_id"), str):
                label += f" {doc['_id']}"
            yield Parsed(record=label, trial=corpus_record_to_trial(doc))
        except RecordError as exc:
            yield Parsed(record=label, error=exc)


def iter_retrieved(path: Path, data: Any | None = None) -> Iterator[Parsed]:
    """TrialGPT retrieved trials: `{"patient_id", "patient", "0": [trial...], "1": [...], ...}` (or a list)."""
    if data is None:
        try:
            data = load_json_document(path, "TrialGPT JSON")
        except RecordError as exc:
            yield Parsed(record="#1", error=exc)
            return
    patients = data if isinstance(data, list) else [data]
    for p_index, patient in enumerate(patients):
        if not isinstance(patient, dict):
            yield Parsed(record=f"patient {p_index}", error=_not_object())
            continue
        pid = text(patient.get("patient_id")) or str(p_index)
        for key in sorted((k for k in patient if k.isdigit()), key=int):
            for i, item in enumerate(patient[key] if isinstance(patient[key], list) else []):
                label = f"patient {pid} [{key}][{i}]"
                try:
                    if not isinstance(item, dict):
                        raise _not_object()
                    trial_id = require_id(item.get("NCTID"), "NCTID")
                    label += f" {trial_id}"
                    trial = metadata_to_trial(
                        trial_id, text(item.get("brief_title")), item, "", SOURCE_RETRIEVED
                    )
                    yield Parsed(record=label, trial=trial)
                except RecordError as exc:
                    yield Parsed(record=label, error=exc)


def _not_object() -> RecordError:
    return RecordError(
        "(record)",
        N_("expected an object"),
        code="import.not_object",
        fix=N_("give each record as a JSON object"),
    )
