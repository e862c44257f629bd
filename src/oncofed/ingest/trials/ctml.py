"""MatchMiner CTML trials in YAML or JSON: one trial, several documents (YAML `---` or concatenated
JSON objects), or an array. The whole document is kept verbatim in `Trial.extra["ctml"]` (the CTML
matcher reads the `treatment_list` step/arm/dose-level match trees from there, in the raw layout),
plus a flat list of arm and dose-level statuses in `Trial.extra["ctml_arms"]`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oncofed.domain import Phase, Trial, TrialSite, TrialStatus
from oncofed.errors import N_, InputError
from oncofed.ingest import extjson
from oncofed.ingest.documents import split_documents
from oncofed.ingest.errors import RecordError, json_kind
from oncofed.ingest.trials.common import (
    Parsed,
    not_object,
    parse_date,
    read_text,
    require_id,
    text,
    text_list,
)

SOURCE = "ctml"
MAX_NODES = 500_000  # a trial document larger than this (JSON too) is refused


def bounded_copy(value: Any, budget: list[int] | None = None) -> Any:
    """A JSON-compatible deep copy that refuses trees larger than MAX_NODES (YAML alias bombs are
    already refused by `ingest.safe_yaml`; this bounds what one stored trial may hold)."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise RecordError("(document)", f"more than {MAX_NODES:,} nodes (YAML alias expansion?); refused")
    if isinstance(value, dict):
        return {str(k): bounded_copy(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [bounded_copy(v, budget) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # dates, timestamps


def _suspended(value: Any) -> bool:
    return text(value).upper() in ("Y", "YES", "TRUE", "1")


def arm_statuses(treatment_list: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    steps = treatment_list.get("step") if isinstance(treatment_list, dict) else None
    for step in steps or []:
        if not isinstance(step, dict):
            continue
        for arm in step.get("arm") or []:
            if not isinstance(arm, dict):
                continue
            doses = [
                {
                    "level_code": text(d.get("level_code")),
                    "level_internal_id": d.get("level_internal_id"),
                    "level_suspended": _suspended(d.get("level_suspended")),
                }
                for d in arm.get("dose_level") or []
                if isinstance(d, dict)
            ]
            out.append(
                {
                    "step_code": text(step.get("step_code")),
                    "arm_code": text(arm.get("arm_code")),
                    "arm_internal_id": arm.get("arm_internal_id"),
                    "arm_description": text(arm.get("arm_description")),
                    "arm_suspended": _suspended(arm.get("arm_suspended")),
                    "dose_levels": doses,
                }
            )
    return out


def _diagnoses(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "oncotree_primary_diagnosis" and isinstance(v, str):
                name = v.lstrip("!").strip()
                if name and not v.startswith("!") and not name.startswith("_") and name not in out:
                    out.append(name)
            else:
                _diagnoses(v, out)
    elif isinstance(node, list):
        for v in node:
            _diagnoses(v, out)


def _status(doc: dict[str, Any]) -> TrialStatus:
    raw = doc.get("status")
    if not raw:
        summary = (doc.get("_summary") or {}).get("status") if isinstance(doc.get("_summary"), dict) else None
        if isinstance(summary, list) and summary and isinstance(summary[0], dict):
            raw = summary[0].get("value")
    return TrialStatus.parse(text(raw) or None)


def doc_to_trial(doc: Any) -> Trial:
    if not isinstance(doc, dict):
        raise RecordError(
            "(document)",
            N_("expected a CTML trial object, got %(kind)s"),
            code="import.ctml_not_object",
            params={"kind": json_kind(doc)},
            fix=N_("give one CTML trial (a mapping with protocol_no or nct_id) per document"),
        )
    try:
        doc = extjson.decode(doc)  # {"$oid"}, {"$date"}, {"$numberInt"}... of a MongoDB export
    except extjson.ExtJsonError as exc:
        raise RecordError(
            exc.field, exc.template, code=exc.code, params=exc.params, fix=exc.fix_template
        ) from None
    raw = bounded_copy(doc)
    nct = text(doc.get("nct_id"))
    protocol = text(doc.get("protocol_no"))
    if not nct and not protocol:
        raise RecordError(
            "protocol_no",
            N_("no trial id: a CTML trial needs protocol_no or nct_id"),
            code="import.ctml_no_id",
        )
    trial_id = require_id(nct, "nct_id", nct=True) if nct else require_id(protocol, "protocol_no")
    tl = doc.get("treatment_list")
    if tl is not None and not isinstance(tl, dict):
        raise RecordError(
            "treatment_list",
            N_("expected an object with a `step` list"),
            code="import.ctml_treatment_list",
            fix=N_("write treatment_list as a mapping whose `step` is a list"),
        )
    sites = []
    site_list = doc.get("site_list")
    entries = site_list.get("site") if isinstance(site_list, dict) else site_list
    for i, s in enumerate(entries or []):
        if not isinstance(s, dict):
            raise not_object(f"site_list.site[{i}]", s)
        sites.append(
            TrialSite(
                facility=text(s.get("site_name")) or "(unnamed site)",
                status=TrialStatus.parse(text(s.get("site_status")) or None),
                city=text(s.get("site_city") or s.get("city")),
                country=text(s.get("site_country") or s.get("country")),
            )
        )
    drugs = doc.get("drug_list")
    drug_names = [d.get("drug_name") for d in (drugs.get("drug") or [])] if isinstance(drugs, dict) else []
    diagnoses: list[str] = []
    _diagnoses(tl, diagnoses)
    return Trial(
        id=trial_id,
        source=SOURCE,
        title=text(doc.get("long_title") or doc.get("short_title") or doc.get("title"))
        or f"CTML trial {trial_id}",
        official_title=text(doc.get("long_title")),
        acronym=text(doc.get("short_title"))[:100] if doc.get("long_title") else "",
        brief_summary=text(doc.get("summary")),
        other_ids=tuple(o for o in (protocol, text(doc.get("protocol_id"))) if o and o != trial_id),
        status=_status(doc),
        phases=Phase.parse_many(text(doc.get("phase")) or None),
        conditions=tuple(diagnoses),
        interventions=text_list([d for d in drug_names if d]),
        eligibility_text=text(doc.get("eligibility_criteria")),
        last_update=parse_date(doc.get("last_updated"), "last_updated"),
        sponsor=text(doc.get("sponsor"))[:300],
        sites=sites,
        extra={"ctml": raw, "ctml_arms": arm_statuses(tl)},
    )


def load_documents(path: Path) -> list[Any]:
    """Every CTML document in the file (YAML multi-document, JSON, concatenated JSON objects, array);
    YAML through the guarded loader (alias bombs and oversized files refused)."""
    body = read_text(path, "CTML")
    try:
        return split_documents(body, path.name)
    except InputError as exc:
        field = "(json)" if body.lstrip().startswith(("{", "[")) else "(yaml)"
        if exc.code and exc.template is not None:  # said in the reader's language with its code
            raise RecordError(
                field, exc.template, code=exc.code, params=exc.params, fix=exc.fix_template
            ) from None
        raise RecordError(field, exc.reason + (f" — {exc.fix}" if exc.fix else "")) from None


def iter_records(path: Path) -> Iterator[Parsed]:
    try:
        docs = load_documents(path)
    except RecordError as exc:
        yield Parsed(record="#1", error=exc)
        return
    for i, doc in enumerate(docs, 1):
        ident = text(doc.get("nct_id") or doc.get("protocol_no")) if isinstance(doc, dict) else ""
        label = f"#{i}" + (f" {ident}" if ident else "")
        try:
            yield Parsed(record=label, trial=doc_to_trial(doc))
        except RecordError as exc:
            yield Parsed(record=label, error=exc)
