"""What the matcher evaluates for a trial: the registry's structured fields (age limits, sex, OncoTree
condition) as criteria, ahead of the criteria engine's parse of the eligibility text. Parsing happens
in the service layer (`services/trials/criteria.py`, at import); the matcher only receives criteria.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncofed.domain import Atom, Criterion, Section, Trial


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


def trial_criteria(trial: Trial, parsed: Sequence[Criterion] = ()) -> list[Criterion]:
    """Everything the matcher evaluates for `trial`: registry fields first, then the parsed text."""
    return registry_criteria(trial) + list(parsed)
