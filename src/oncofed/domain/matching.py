"""Results of matching: a verdict per criterion, with the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from oncofed.domain.criteria import Criterion
from oncofed.domain.patient import Fact
from oncofed.domain.trial import TrialSite


class Verdict(StrEnum):
    """A verdict on a criterion as an eligibility requirement.

    For an exclusion criterion, `met` means the patient is clear of it (the requirement holds)
    and `not_met` means the exclusion applies.
    """

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """Why a verdict was given: the patient fact used (with its provenance) and an explanation."""

    explanation: str
    fact: Fact | None = None


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: Criterion
    verdict: Verdict
    evidence: tuple[Evidence, ...] = ()

    @property
    def blocks(self) -> bool:
        """True when this verdict makes the patient ineligible (unmet inclusion or met exclusion)."""
        return self.verdict is Verdict.NOT_MET


@dataclass
class Match:
    trial_id: str
    patient_id: str
    verdicts: list[CriterionVerdict] = field(default_factory=list)
    relevance: float = 0.0
    score: float = 0.0
    nearest_site: TrialSite | None = None
    distance_km: float | None = None

    @property
    def counts(self) -> dict[Verdict, int]:
        out = {v: 0 for v in Verdict}
        for cv in self.verdicts:
            out[cv.verdict] += 1
        return out

    @property
    def eligibility(self) -> str:
        """ "eligible" (all met), "possible" (only unknowns besides met), or "not_eligible"."""
        c = self.counts
        if c[Verdict.NOT_MET]:
            return "not_eligible"
        if c[Verdict.UNKNOWN]:
            return "possible"
        return "eligible"
