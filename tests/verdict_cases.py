"""Shared helpers of the verdict class tests: a trial's criteria from inclusion and exclusion lines, and
the check that the vectorised evaluator and the fast ranking path agree with `assess_trial`."""

from __future__ import annotations

from datetime import date

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, PatientProfile, Provenance
from oncofed.matching.assess import assess_trial, quick_assess
from oncofed.matching.evaluate import compile_plan
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import OUTCOME_CODE, VERDICTS, cohort_plan
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def parse(inclusion: str, exclusion: str = "") -> list[Criterion]:
    text = f"Inclusion Criteria:\n\n{inclusion}\n"
    if exclusion:
        text += f"\nExclusion Criteria:\n\n{exclusion}\n"
    return parse_eligibility(text).criteria


def same_everywhere(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    """The vectorised evaluator and the fast ranking path agree with `assess_trial`."""
    batch = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(profiles, DAY))
    plans = [compile_plan(c) for c in criteria]
    cplan = cohort_plan(plans)
    for j, p in enumerate(profiles):
        a = assess_trial(criteria, p, DAY)
        codes = [OUTCOME_CODE[o.outcome] for o in a.outcomes]
        assert batch.verdicts[:, j].tolist() == codes, p.primary_cancer
        assert int(batch.trial_verdict[j]) == VERDICTS.index(a.verdict)
        fast, verdict = quick_assess(plans, cplan, PatientView.of(p), DAY, {})
        assert (fast.tolist(), verdict) == (codes, VERDICTS.index(a.verdict)), p.primary_cancer
