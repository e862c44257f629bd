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
from oncofed.domain import Criterion, Fact, Outcome, PatientProfile, Provenance
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial, quick_assess, ranking_assess
from oncofed.matching.evaluate import compile_plan, evaluate_criteria
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


def read_line(section: str, line: str, profile: PatientProfile, heading: str | None = None) -> str:
    """How the strict engine reads one line of a section for one patient: "excluded" (violated), "eligible"
    (met or not applicable) or "unknown" (the class tests' one question). `heading`: the section's heading as
    written (default "<section> criteria:")."""
    criteria = parse_eligibility(f"{heading or section + ' criteria:'}\n- {line}").criteria
    assert criteria, line
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(criteria, profile, DAY)]
    if Outcome.VIOLATED in outcomes:
        return "excluded"
    if all(o in (Outcome.SATISFIED, Outcome.NOT_APPLICABLE) for o in outcomes):
        return "eligible"
    return "unknown"


@pytest.fixture
def strict_reading() -> Iterator[None]:
    """The engine's reading, before the decision policy: every violation excludes."""
    with trust.strict():
        yield


# a table trusting the organ question: shipped until verdicts-blind7 counted (the shipped table may trust
# nothing), kept here so that the paths' agreement under a trusted kind stays tested
ORGAN_TRUSTED = ("inclusion:cancer_organ",)


def same_everywhere(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    """The vectorised evaluator and the fast ranking path agree with `assess_trial`, under the policy
    in force, the shipped table, the strict engine, a table trusting the organ question and one trusting
    nothing (every reading held back: "probably not")."""
    _same(criteria, profiles)
    for table in (trust.shipped(), None, ORGAN_TRUSTED, ()):
        with trust.using(table):
            _same(criteria, profiles)


def profile(
    *facts: Fact, name: str = "p", stage: str = "IV", born: date = date(1966, 2, 1), cancer: str = "BRCA"
) -> PatientProfile:
    """A woman with a metastatic breast cancer (by default) and these facts, for the verdict class tests."""
    return PatientProfile(
        id=f"{name}-{len(facts)}",
        centre_id="c",
        birth_date=born,
        sex="FEMALE",
        primary_cancer=cancer,
        stage=stage,
        facts=list(facts),
    )


def _same(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    batch = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(profiles, DAY))
    plans = [compile_plan(c) for c in criteria]
    cplan = cohort_plan(plans)
    for j, p in enumerate(profiles):
        a = assess_trial(criteria, p, DAY)
        codes = [OUTCOME_CODE[o.outcome] for o in a.outcomes]
        assert batch.verdicts[:, j].tolist() == codes, p.primary_cancer
        assert int(batch.trial_verdict[j]) == VERDICTS.index(a.verdict)
        # "probably not — check": the held-back criteria and the trial-level flag, on both paths
        held = batch.held[:, j].tolist() if batch.held is not None else [False] * len(criteria)
        assert held == [o.held_back for o in a.outcomes], p.primary_cancer
        assert bool(batch.probably_not[j]) == a.probably_not, p.primary_cancer
        fast, verdict = quick_assess(plans, cplan, PatientView.of(p), DAY, {})
        assert (fast.tolist(), verdict) == (codes, VERDICTS.index(a.verdict)), p.primary_cancer
        # the score: the engine's full reading on both paths (trust.reading), held-back violations counted
        read, read_verdict = ranking_assess(plans, cplan, PatientView.of(p), DAY, {})
        inclusion = [plan.inclusion for plan in plans]
        assert batch.score[j] == trial_score(read.tolist(), inclusion, read_verdict), p.primary_cancer
