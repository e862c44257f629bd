"""CTML matching (MatchMiner semantics) from files or from the store.

- `match_files(...)`: CTML trial files against clinical + genomic record files (`oncofed ctml match`).
- `stored_ctml_trials(db)`: the CTML documents of the registry's imported CTML trials
  (`Trial.extra["ctml"]`, kept verbatim by `ingest/trials/ctml.py`).
- `match_records(...)`: record files against the stored trials (`oncofed ctml match` without `--trials`).
- `patient_ctml_report(db, actor, patient_id)`: one stored patient, read through the actor-scoped
  repository (NotFound outside the actor's centres), as MatchMiner records against every stored
  CTML trial: per trial and arm, the level (step / arm / dose) that matched and why, open or closed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from oncofed.criteria.oncotree import ctml_subtrees
from oncofed.domain import Actor
from oncofed.errors import N_, InputError
from oncofed.ingest.ctml_files import load_oncotree_mapping, load_patients, load_trials
from oncofed.matching.ctml import CtmlMatch, CtmlMatcher, extract_match_clauses, index_patients, trial_is_open
from oncofed.matching.ctml.profiles import diagnosis_name, profile_records
from oncofed.store.db import Database
from oncofed.store.mapping import trial_to_domain
from oncofed.store.models import TrialRow
from oncofed.store.repositories import PatientRepository

CTML_SOURCE = "ctml"


def oncotree_subtrees(path: str | Path | None = None) -> dict[str, list[str]]:
    """MatchMiner's subtree mapping: a user's `oncotree_mapping.json` when given (or named by
    `ONCOFED_ONCOTREE_MAPPING`), else the project's own OncoTree files."""
    chosen = path or os.environ.get("ONCOFED_ONCOTREE_MAPPING")
    return load_oncotree_mapping(chosen) if chosen else ctml_subtrees()


def unique_trials(trials: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same trial given twice (e.g. as YAML and as JSON in one directory) is matched once."""
    seen: set[str] = set()
    out = []
    for t in trials:
        key = json.dumps(t, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def match_files(
    trials_path: str | Path | None,
    clinical_path: str | Path,
    genomic_path: str | Path | None,
    *,
    db: Database | None = None,
    include_closed: bool = False,
    include_deceased: bool = False,
    oncotree_path: str | Path | None = None,
    as_of: date | None = None,
) -> list[CtmlMatch]:
    """Every match of the record files against the trial files, or against the stored CTML trials
    when `trials_path` is None (then `db` is needed)."""
    if trials_path is not None:
        trials = unique_trials(load_trials(trials_path))
    elif db is not None:
        trials = stored_ctml_trials(db)
        if not trials:
            raise InputError(
                N_("no CTML trial in the registry"),
                fix=N_("import CTML files with `oncofed import trials PATH`, or pass --trials FILE|DIR"),
                code="ctml.none_in_registry",
            )
    else:
        raise InputError(N_("no trials given"), fix=N_("pass --trials FILE|DIR"), code="ctml.no_trials")
    clinical = load_patients(clinical_path)
    genomic = load_patients(genomic_path) if genomic_path else []
    matcher = CtmlMatcher(
        index_patients(clinical, genomic),
        oncotree=oncotree_subtrees(oncotree_path),
        include_closed=include_closed,
        include_deceased=include_deceased,
        as_of=as_of,
    )
    return matcher.match_trials(trials)


def stored_ctml_trials(db: Database) -> list[dict[str, Any]]:
    """The CTML document of every imported CTML trial, as imported."""
    return [doc for doc, _ in _stored(db)]


def _stored(db: Database) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    out = []
    with db.session() as s:
        rows = s.scalars(select(TrialRow).where(TrialRow.source == CTML_SOURCE).order_by(TrialRow.id))
        for row in rows:
            trial = trial_to_domain(row)
            doc = trial.extra.get("ctml")
            if isinstance(doc, dict):
                meta = {"id": trial.id, "title": trial.title, "status": trial.status.value}
                out.append((doc, meta))
    return out


@dataclass
class ArmMatch:
    """One matched clause of a trial: where (level, code), open or closed, and the reasons."""

    level: str
    code: str
    internal_id: Any
    description: str
    open: bool
    reasons: list[dict[str, Any]]


@dataclass
class TrialMatches:
    trial_id: str
    protocol_no: str
    nct_id: str | None
    title: str
    status: str
    open: bool
    arms: list[ArmMatch] = field(default_factory=list)


@dataclass
class PatientCtmlReport:
    patient_id: str
    sex: str | None
    birth_date: date | None
    diagnosis: str | None
    deceased: bool
    genomic: list[dict[str, Any]]
    trials_searched: int
    as_of: date
    include_closed: bool
    trials: list[TrialMatches]


def patient_ctml_report(
    db: Database,
    actor: Actor,
    patient_id: str,
    *,
    include_closed: bool = False,
    as_of: date | None = None,
    oncotree_path: str | Path | None = None,
) -> PatientCtmlReport:
    """The CTML matches of one stored patient (seen through `actor`) against every stored CTML trial."""
    with db.session() as s:
        profile = PatientRepository(s, actor).get(patient_id)
    clinical, genomic = profile_records(profile)
    day = as_of or date.today()
    stored = _stored(db)
    matcher = CtmlMatcher(
        index_patients([clinical], genomic),
        oncotree=oncotree_subtrees(oncotree_path),
        include_closed=True,  # closed arms are shown as closed (or hidden) below, not silently lost
        include_deceased=True,
        as_of=day,
    )
    trials: list[TrialMatches] = []
    if not profile.deceased:  # MatchMiner does not match deceased patients
        for doc, meta in stored:
            found = matcher.match_trial(doc)
            if not found:
                continue
            entry = _trial_matches(doc, meta, found)
            if not include_closed:
                entry.arms = [a for a in entry.arms if a.open]
            if entry.arms:
                trials.append(entry)
    trials.sort(key=lambda t: (not t.open, t.trial_id))
    return PatientCtmlReport(
        patient_id=profile.id,
        sex=profile.sex,
        birth_date=profile.birth_date,
        diagnosis=diagnosis_name(profile),
        deceased=profile.deceased,
        genomic=genomic,
        trials_searched=len(stored),
        as_of=day,
        include_closed=include_closed,
        trials=trials,
    )


def _trial_matches(doc: dict[str, Any], meta: dict[str, Any], found: list[CtmlMatch]) -> TrialMatches:
    trial_open = trial_is_open(doc)
    clauses = {(c.level, str(c.code), str(c.internal_id)): c for c in extract_match_clauses(doc)}
    descriptions = _arm_descriptions(doc)
    entry = TrialMatches(
        trial_id=meta["id"],
        protocol_no=str(doc.get("protocol_no") or ""),
        nct_id=doc.get("nct_id"),
        title=meta["title"],
        status=str(doc.get("status") or meta["status"]),
        open=trial_open,
    )
    for m in found:
        clause = clauses.get((m.match_level, str(m.code), str(m.internal_id)))
        suspended = bool(clause and clause.suspended)
        entry.arms.append(
            ArmMatch(
                level=m.match_level,
                code="" if m.code is None else str(m.code),
                internal_id=m.internal_id,
                description=descriptions.get((m.match_level, str(m.code)), ""),
                open=trial_open and not suspended,
                reasons=m.reasons,
            )
        )
    return entry


def _arm_descriptions(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    steps = (
        (doc.get("treatment_list") or {}).get("step") if isinstance(doc.get("treatment_list"), dict) else None
    )
    for step in steps or []:
        if not isinstance(step, dict):
            continue
        for arm in step.get("arm") or []:
            if isinstance(arm, dict):
                out[("arm", str(arm.get("arm_code")))] = str(arm.get("arm_description") or "")
                for dose in arm.get("dose_level") or []:
                    if isinstance(dose, dict):
                        out[("dose", str(dose.get("level_code")))] = str(dose.get("level_description") or "")
    return out
