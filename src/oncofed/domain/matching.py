"""Results of matching, in patient terms: an outcome per criterion, a verdict per trial, evidence.

The contract (docs/MATCHING.md, "Outcome model"):

- A criterion's `Outcome` says what the criterion means for this patient, whatever its section:
  `satisfied` (an inclusion met, or an exclusion that does not apply), `violated` (an inclusion not
  met, or an exclusion that applies: it stands against the patient), `unknown` (the data does not
  decide it: the evidence says what to check) or `not_applicable` (a conditional criterion whose
  condition does not hold, a criterion for the other sex, a criterion of another cohort).
- A trial's `TrialVerdict`: `excluded` when some criterion is violated in every cohort, `eligible`
  when nothing is violated or unknown in at least one cohort (criteria only an investigator can
  decide, such as consent, never block), `unknown` otherwise, `not_evaluated` when the trial has no
  parsed criteria (never `eligible` by default).
- Evidence is a plain sentence with its source (the fact used and where it came from).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from oncofed.domain.criteria import Criterion
from oncofed.domain.patient import Fact
from oncofed.domain.trial import TrialSite


class Outcome(StrEnum):
    """A criterion's outcome for one patient, in patient terms whatever the section."""

    SATISFIED = "satisfied"
    VIOLATED = "violated"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class TrialVerdict(StrEnum):
    """A trial's verdict for one patient (see the module docstring)."""

    ELIGIBLE = "eligible"
    EXCLUDED = "excluded"
    UNKNOWN = "unknown"
    NOT_EVALUATED = "not_evaluated"


@dataclass(frozen=True)
class Evidence:
    """Why an outcome was given: a plain sentence, the patient fact used (with its provenance)."""

    explanation: str
    fact: Fact | None = None


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion's outcome for one patient, with the evidence behind it.

    `sentence` is the plain-language reason shown to a clinician; `checks` what would decide an
    unknown; `investigator` is True when only the investigator can decide it (consent, opinion):
    such a criterion is `unknown` but never keeps a trial from `eligible`.
    """

    criterion: Criterion
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    sentence: str = ""
    checks: tuple[str, ...] = ()
    investigator: bool = False
    # read as violated, but of a kind of reading not trusted to exclude (matching/trust.py): "unknown"
    held_back: bool = False
    # read as violated: the kinds of reading that violate it ("inclusion:ecog", matching/trust.py)
    reading: tuple[str, ...] = ()

    @property
    def blocks(self) -> bool:
        """True when this outcome makes the patient ineligible (for its cohort)."""
        return self.outcome is Outcome.VIOLATED


@dataclass
class Match:
    """One trial for one patient: the criterion outcomes (cohorts resolved), the trial verdict, and
    `cohort`, the cohort the patient was assessed in (None for a trial without cohorts)."""

    trial_id: str
    patient_id: str
    outcomes: list[CriterionOutcome] = field(default_factory=list)
    verdict: TrialVerdict = TrialVerdict.NOT_EVALUATED
    cohort: str | None = None
    relevance: float = 0.0
    score: float = 0.0
    nearest_site: TrialSite | None = None
    distance_km: float | None = None
    reason: str = ""
    # unknown, with a criterion in force read as not met that the decision policy holds back
    probably_not: bool = False

    @property
    def counts(self) -> dict[Outcome, int]:
        out = {o: 0 for o in Outcome}
        for co in self.outcomes:
            out[co.outcome] += 1
        return out
