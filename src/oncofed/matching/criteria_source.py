"""Where a trial's criteria come from: the registry's structured fields, plus the criteria engine's
parse of the eligibility text when that engine is installed (`oncofed.criteria.parse_eligibility`).

This is the one place the matcher is wired to the parser; the matcher never parses free text itself.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from oncofed.domain import Atom, Criterion, Section, Trial

Parser = Callable[[str], Any]
PARSER_LOCATIONS = (
    ("oncofed.criteria", "parse_eligibility"),
    ("oncofed.criteria.parser", "parse_eligibility"),
    ("oncofed.criteria.parse", "parse_eligibility"),
)


@functools.cache
def eligibility_parser() -> Parser | None:
    """The criteria engine's `parse_eligibility(text)`, or None while it is not installed."""
    for module_name, attr in PARSER_LOCATIONS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        fn = getattr(module, attr, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None


def registry_criteria(trial: Trial) -> list[Criterion]:
    """Criteria stated by the registry's structured fields (age limits, sex, OncoTree condition)."""
    out: list[Criterion] = []
    if trial.min_age_years is not None:
        text = f"Minimum age {trial.min_age_years:g} years (registry field)"
        out.append(_registry(len(out), text, Atom("age", ">=", trial.min_age_years, unit="years", text=text)))
    if trial.max_age_years is not None:
        text = f"Maximum age {trial.max_age_years:g} years (registry field)"
        out.append(_registry(len(out), text, Atom("age", "<=", trial.max_age_years, unit="years", text=text)))
    if trial.sex and trial.sex.upper() in ("FEMALE", "MALE"):
        text = f"Sex: {trial.sex.lower()} (registry field)"
        out.append(_registry(len(out), text, Atom("sex", "==", trial.sex.upper(), text=text)))
    codes = trial.extra.get("oncotree")
    if codes:
        codes = [codes] if isinstance(codes, str) else list(codes)
        text = (
            f"Condition: {', '.join(trial.conditions[:1]) or ', '.join(codes)} (OncoTree {', '.join(codes)})"
        )
        out.append(_registry(len(out), text, Atom("cancer_type", "in", codes, text=text)))
    return out


def _registry(n: int, text: str, atom: Atom) -> Criterion:
    return Criterion(Section.INCLUSION, -(n + 1), text, atoms=(atom,))


_MEMO: dict[str, tuple[Criterion, ...]] = {}
_MEMO_MAX = 50_000


def _parse_text(text: str) -> tuple[Criterion, ...]:
    parser = eligibility_parser()
    if parser is None:
        return ()
    result = parser(text)
    items = getattr(result, "criteria", result) or []
    return tuple(c for c in items if isinstance(c, Criterion))


def _from_db_cache(db: Any, text: str) -> tuple[Criterion, ...] | None:
    try:
        from oncofed.criteria.cache import cached_parse
    except ImportError:
        return None
    try:
        return tuple(cached_parse(db, text)[0])
    except SQLAlchemyError:  # e.g. the cache table is not migrated yet: parse without it
        return None


def parsed_criteria(trial: Trial, db: Any = None) -> list[Criterion]:
    """The criteria engine's parse of the eligibility text ([] while the engine is absent).

    Parses are memoised in-process by text and, given `db`, kept in the criteria engine's parse
    cache table, so each distinct text is parsed once (at index time, never per query).
    """
    text = trial.eligibility_text
    if eligibility_parser() is None or not text.strip():
        return []
    hit = _from_db_cache(db, text) if db is not None else None  # parses and stores on a miss
    if hit is None:
        hit = _MEMO.get(text)
    if hit is None:
        hit = _parse_text(text)
    if len(_MEMO) < _MEMO_MAX:
        _MEMO[text] = hit
    return list(hit)


def trial_criteria(trial: Trial, db: Any = None) -> list[Criterion]:
    """Everything the matcher evaluates for `trial`: registry fields first, then parsed text."""
    return registry_criteria(trial) + parsed_criteria(trial, db)
