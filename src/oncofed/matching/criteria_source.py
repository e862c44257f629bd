"""Where a trial's criteria come from: the registry's structured fields, plus the criteria engine's
parse of the eligibility text when that engine is installed (`oncofed.criteria.parse_eligibility`).

This is the one place the matcher is wired to the parser; the matcher never parses free text itself.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

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


def parsed_criteria(trial: Trial) -> list[Criterion]:
    """The criteria engine's parse of the eligibility text ([] while the engine is absent)."""
    parser = eligibility_parser()
    if parser is None or not trial.eligibility_text.strip():
        return []
    result = parser(trial.eligibility_text)
    items = getattr(result, "criteria", result) or []
    return [c for c in items if isinstance(c, Criterion)]


def trial_criteria(trial: Trial) -> list[Criterion]:
    """Everything the matcher evaluates for `trial`: registry fields first, then parsed text."""
    return registry_criteria(trial) + parsed_criteria(trial)
