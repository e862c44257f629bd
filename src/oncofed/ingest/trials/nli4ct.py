"""NLI4CT (SemEval 2023 task 7) per-trial JSON: `Clinical Trial ID`, `Intervention`, `Eligibility`,
`Results`, `Adverse Events`, each a list of text lines. The layout has no title, status or sites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oncofed.domain import Trial
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError, json_kind
from oncofed.ingest.trials.common import Parsed, as_list, load_json_document, require_id, text, text_list

SOURCE = "nli4ct"
_ARM_HEADER = re.compile(r"^\s*INTERVENTION\s+\d+\s*:\s*$", re.IGNORECASE)


def _lines(value: Any, field: str) -> list[str]:
    items = as_list(value)
    if not all(isinstance(x, str) for x in items):
        raise RecordError(
            field,
            N_("expected a list of text lines"),
            code="import.text_lines",
            fix=N_("give the field as a JSON list of texts"),
        )
    return items


def record_to_trial(doc: Any) -> Trial:
    if not isinstance(doc, dict):
        raise RecordError(
            "(record)",
            N_("expected a JSON object, got %(kind)s"),
            code="import.not_object",
            params={"kind": json_kind(doc)},
            fix=N_("give each record as a JSON object"),
        )
    trial_id = require_id(doc.get("Clinical Trial ID"), "Clinical Trial ID")
    intervention = _lines(doc.get("Intervention"), "Intervention")
    eligibility = _lines(doc.get("Eligibility"), "Eligibility")
    arms = [
        intervention[i + 1].strip() for i, line in enumerate(intervention[:-1]) if _ARM_HEADER.match(line)
    ]
    return Trial(
        id=trial_id,
        source=SOURCE,
        title=trial_id,
        interventions=text_list(arms),
        eligibility_text="\n".join(line.rstrip() for line in eligibility).strip(),
        extra={
            "title_missing": True,
            "nli4ct": {
                "intervention": intervention,
                "results": _lines(doc.get("Results"), "Results"),
                "adverse_events": _lines(doc.get("Adverse Events"), "Adverse Events"),
            },
        },
    )


def iter_records(path: Path, data: Any | None = None) -> Iterator[Parsed]:
    if data is None:
        try:
            data = load_json_document(path, "NLI4CT JSON")
        except RecordError as exc:
            yield Parsed(record="#1", error=exc)
            return
    docs = data if isinstance(data, list) else [data]
    for i, doc in enumerate(docs, 1):
        label = f"#{i}" + (f" {text(doc.get('Clinical Trial ID'))}" if isinstance(doc, dict) else "")
        try:
            yield Parsed(record=label, trial=record_to_trial(doc))
        except RecordError as exc:
            yield Parsed(record=label, error=exc)
