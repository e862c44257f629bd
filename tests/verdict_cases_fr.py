"""How the strict engine reads one French line under a French section heading (the verdict class tests'
French wordings: a French line under an English heading is not rewritten, as in a French protocol)."""

from __future__ import annotations

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome, PatientProfile
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import DAY

HEADINGS = {"Inclusion": "Critères d'inclusion :", "Exclusion": "Critères d'exclusion :"}


def read_french(section: str, line: str, profile: PatientProfile) -> str:
    """ "excluded", "eligible" or "unknown", as `tests.verdict_cases.read_line`."""
    criteria = parse_eligibility(f"{HEADINGS[section]}\n- {line}").criteria
    assert criteria, line
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(criteria, profile, DAY)]
    if Outcome.VIOLATED in outcomes:
        return "excluded"
    if all(o in (Outcome.SATISFIED, Outcome.NOT_APPLICABLE) for o in outcomes):
        return "eligible"
    return "unknown"
