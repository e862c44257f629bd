"""How the strict engine reads one French line under a French section heading (the verdict class tests'
French wordings: a French line under an English heading is not rewritten, as in a French protocol)."""

from __future__ import annotations

from oncofed.domain import PatientProfile
from tests.verdict_cases import read_line

HEADINGS = {"Inclusion": "Critères d'inclusion :", "Exclusion": "Critères d'exclusion :"}


def read_french(section: str, line: str, profile: PatientProfile) -> str:
    """ "excluded", "eligible" or "unknown", as `tests.verdict_cases.read_line`, under the French heading."""
    return read_line(section, line, profile, HEADINGS[section])
