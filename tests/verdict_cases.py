"""Shared helpers of the verdict class tests: a trial's criteria from inclusion and exclusion lines, and
the check that the vectorised evaluator and the fast ranking path agree with `assess_trial`.

The class tests check how the engine READS a criterion (met, not met, not applicable): they run with the
strict decision policy (`strict_reading`, every violation excludes), since the trusted-kinds policy of
matching/trust.py turns a reading of an untrusted kind into "unknown, to check" whatever the reading;
the policy itself is tested in tests/test_verdict_policy.py, and `same_everywhere` checks the three
evaluators agree under both policies, on the verdicts shown and on the scores (the engine's full reading)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, PatientProfile, Provenance
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial, quick_assess, ranking_assess
from oncofed.matching.evaluate import compile_plan
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import OUTCOME_CODE, VERDICTS, cohort_plan
from oncofed.matching.rank import trial_score
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients

DAY = date(2026, 11, 1)
SRC = Provenance("test")


def parse(inclusion: str, exclusion: str = "") -> list[Criterion]:
    text = f"Inclusion Criteria:\n\n{inclusion}\n"
    if exclusion:
        text += f"\nExclusion Criteria:\n\n{exclusion}\n"
    return parse_eligibility(text).criteria


@pytest.fixture
def strict_reading() -> Iterator[None]:
    """The engine's reading, before the decision policy: every violation excludes."""
    with trust.strict():
        yield


def same_everywhere(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    """The vectorised evaluator and the fast ranking path agree with `assess_trial`, under the policy
    in force and under the other one (strict <-> the shipped trusted kinds)."""
    _same(criteria, profiles)
    with trust.using(trust.shipped()) if trust.policy() is None else trust.strict():
        _same(criteria, profiles)


def _same(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
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
        # the score: the engine's full reading on both paths (trust.reading), held-back violations counted
        read, read_verdict = ranking_assess(plans, cplan, PatientView.of(p), DAY, {})
        inclusion = [plan.inclusion for plan in plans]
        assert batch.score[j] == trial_score(read.tolist(), inclusion, read_verdict), p.primary_cancer
