"""CTML match trees: where a trial's match clauses are (step, arm, dose level) with their suspension,
and a clause expanded into its match paths (disjunctive normal form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oncofed.matching.ctml.values import LEVEL_KEYS, LEVEL_NAMES, OPEN_STATUS


def expand_paths(clause: Any) -> list[list[dict[str, Any]]]:
    """A CTML match clause (list or dict) -> its match paths: lists of leaf criteria dicts
    (`{"clinical": {...}}` / `{"genomic": {...}}`), every path a conjunction, the paths alternatives."""
    if isinstance(clause, list):
        return _and([expand_paths(item) for item in clause])
    if not isinstance(clause, dict):
        return [[]]
    parts: list[list[list[dict[str, Any]]]] = []
    for label, value in clause.items():
        items = value if isinstance(value, list) else [value]
        if label.startswith("and"):
            parts.append(_and([expand_paths(i) for i in items]))
        elif label.startswith("or"):
            alternatives: list[list[dict[str, Any]]] = []
            for i in items:
                alternatives.extend(expand_paths(i))
            parts.append(alternatives)
        else:
            parts.append([[{label: value}]])
    return _and(parts)


def _and(groups: list[list[list[dict[str, Any]]]]) -> list[list[dict[str, Any]]]:
    paths: list[list[dict[str, Any]]] = [[]]
    for alternatives in groups:
        if not alternatives:
            continue
        paths = [p + a for p in paths for a in alternatives]
    return paths


@dataclass
class MatchClause:
    protocol_no: str
    nct_id: str | None
    level: str  # step / arm / dose
    code: Any
    internal_id: Any
    suspended: bool
    clause: Any


def trial_is_open(trial: dict[str, Any]) -> bool:
    status = trial.get("status")
    if status is None:
        summary = trial.get("_summary") or {}
        st = summary.get("status") if isinstance(summary, dict) else None
        if isinstance(st, list) and st and isinstance(st[0], dict):
            status = st[0].get("value")
    return isinstance(status, str) and status.strip().lower() == OPEN_STATUS


def _suspended(value: Any) -> bool:
    return str(value if value is not None else "n").strip().lower() == "y"


def extract_match_clauses(trial: dict[str, Any]) -> list[MatchClause]:
    """Every match clause of a trial with its level, code and suspension (MatchMiner's walk)."""
    protocol_no = str(trial.get("protocol_no", ""))
    nct_id = trial.get("nct_id")
    out: list[MatchClause] = []
    if "match" in trial:
        out.append(MatchClause(protocol_no, nct_id, "trial", None, None, False, trial["match"]))

    def walk(value: Any, level: str | None) -> None:
        if isinstance(value, dict):
            if "match" in value and level in LEVEL_KEYS:
                code_key, id_key = LEVEL_KEYS[level]
                if level == "step":
                    suspended = all(
                        _suspended(a.get("arm_suspended"))
                        for a in value.get("arm") or []
                        if isinstance(a, dict)
                    )
                elif level == "arm":
                    suspended = _suspended(value.get("arm_suspended"))
                else:
                    suspended = _suspended(value.get("level_suspended"))
                out.append(
                    MatchClause(
                        protocol_no,
                        nct_id,
                        LEVEL_NAMES[level],
                        value.get(code_key),
                        value.get(id_key),
                        suspended,
                        value["match"],
                    )
                )
            for k, v in value.items():
                if k != "match":
                    walk(v, k if isinstance(v, list) else None)
        elif isinstance(value, list):
            for item in value:
                walk(item, level)

    walk(trial.get("treatment_list"), None)
    return out
