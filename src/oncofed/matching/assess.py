"""One trial for one patient: every criterion's outcome, cohorts resolved, and the trial verdict.

`assess_trial` (with evidence, for what is shown) and `quick_assess` (codes only) give the same verdict:
both resolve cohorts with `outcomes.resolve`, the function the vectorised evaluator uses too.
`ranking_assess` is what the ranker scores: `quick_assess` of the engine's full reading (`trust.reading`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from oncofed.domain import Atom, Criterion, CriterionOutcome, Outcome, PatientProfile, TrialVerdict
from oncofed.matching import trust
from oncofed.matching.atoms import AtomResult
from oncofed.matching.cancer_lines import other_cancer_lines, resolve_with_cancers
from oncofed.matching.evaluate import evaluate_atom, evaluate_criterion, quick_outcome, quick_tri
from oncofed.matching.evidence import AtomEvidence
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import (
    ELIGIBLE,
    EXCLUDED,
    HELD,
    NOT_APPLICABLE,
    NOT_EVALUATED,
    OUTCOME_CODE,
    UNDECIDED,
    UNSURE,
    VIOLATED,
    CohortPlan,
    Plan,
    cohort_plan,
    compile_plan,
    resolve,
    verdict_of,
)

NOT_EVALUATED_REASON = "no eligibility criteria could be read from this trial's text: read the protocol"


@dataclass
class TrialAssessment:
    """The criterion outcomes (cohorts resolved), the verdict, the cohort the patient was assessed in
    (None: no cohorts, or excluded from every cohort) and, for `not_evaluated`, the reason."""

    outcomes: list[CriterionOutcome] = field(default_factory=list)
    verdict: TrialVerdict = TrialVerdict.NOT_EVALUATED
    cohort: str | None = None
    reason: str = ""
    # unknown, with a criterion in force read as not met and held back by the decision policy
    # (matching/trust.py): "probably not eligible — to check", apart from the possible ones
    probably_not: bool = False


def _cohort_sentence(c: Criterion, chosen: str | None) -> str:
    if chosen is None:  # the patient's cancer is in the common criteria, in none of the cohorts
        return f"Criterion of cohort “{c.cohort}”; the patient is assessed on the criteria common to all cohorts."
    return f"Criterion of cohort “{c.cohort}”; the patient is assessed in cohort “{chosen}”."


def _other_cancer_sentence(o: CriterionOutcome) -> str:
    found = "; ".join(
        e.explanation
        for e in o.evidence
        if isinstance(e, AtomEvidence) and e.atom is not None and e.atom.kind == "cancer_type"
    )
    return (
        "A line for another of the cancers this trial takes, not the patient's: it does not apply. "
        f"Found: {found.rstrip('. ')}."
    )


def assess_trial(
    criteria: Sequence[Criterion],
    profile: PatientProfile | PatientView,
    day: date | None = None,
    cache: dict[int, AtomResult] | None = None,
    plans: Sequence[Plan] | None = None,
) -> TrialAssessment:
    """Every criterion with evidence, the cohort and the trial verdict."""
    view = profile if isinstance(profile, PatientView) else PatientView.of(profile)
    on = day or date.today()
    memo: dict[int, AtomResult] = {} if cache is None else cache
    raw = [evaluate_criterion(c, view, on, memo) for c in criteria]
    compiled = plans if plans is not None else [compile_plan(c) for c in criteria]
    cplan = cohort_plan(compiled)
    codes = np.array([HELD if o.held_back else OUTCOME_CODE[o.outcome] for o in raw], dtype=np.int8)[:, None]

    def tri(atom: Atom) -> int:
        hit = memo.get(id(atom))
        if hit is None:
            hit = memo[id(atom)] = evaluate_atom(atom, view, on)
        return hit.tri

    res, lines = resolve_with_cancers(codes, cplan, compiled, tri)
    verdict_code = int(res.verdict[0])
    chosen = cplan.labels[int(res.cohort[0])] if res.cohort[0] >= 0 else None
    outcomes = []
    for k, o in enumerate(raw):
        if lines[k, 0] != codes[k, 0]:  # a line for another of the trial's cancers
            o = replace(
                o,
                outcome=Outcome.NOT_APPLICABLE,
                sentence=_other_cancer_sentence(o),
                checks=(),
                held_back=False,
            )
        elif res.codes[k, 0] == NOT_APPLICABLE != codes[k, 0]:  # another cohort's criterion
            o = replace(
                o,
                outcome=Outcome.NOT_APPLICABLE,
                sentence=_cohort_sentence(o.criterion, chosen),
                checks=(),
                held_back=False,
            )
        outcomes.append(o)
    reason = NOT_EVALUATED_REASON if verdict_code == NOT_EVALUATED else ""
    return TrialAssessment(outcomes, verdict_of(verdict_code), chosen, reason, bool(res.probably_not[0]))


def quick_assess(
    plans: Sequence[Plan],
    cplan: CohortPlan,
    view: PatientView,
    day: date,
    cache: dict[int, AtomResult],
) -> tuple[np.ndarray, int]:
    """(resolved outcome codes, verdict code) without evidence; same result as `assess_trial` (tested):
    a trial without cohorts takes the trivial case of `outcomes.resolve` without numpy."""
    values = [quick_outcome(p, view, day, cache) for p in plans]
    if cplan.labels and cplan.parsed:  # cohorts: chosen by the cancer reading, then another cancer's lines
        column = np.array(values, dtype=np.int8)[:, None]
        res, _ = resolve_with_cancers(column, cplan, plans, lambda a: quick_tri(a, view, day, cache))
        return res.codes[:, 0], int(res.verdict[0])
    if (VIOLATED in values or HELD in values) and cplan.parsed:  # a line may be another cancer's
        column = np.array(values, dtype=np.int8)[:, None]
        values = other_cancer_lines(column, plans, lambda a: quick_tri(a, view, day, cache))[:, 0].tolist()
    if not cplan.labels and cplan.parsed:
        verdict = ELIGIBLE
        for k, (code, blocking) in enumerate(zip(values, cplan.blocking, strict=True)):
            if code == HELD:
                code = values[k] = UNDECIDED
            if code == VIOLATED:
                verdict = EXCLUDED
            elif code == UNDECIDED and blocking and verdict != EXCLUDED:
                verdict = UNSURE
        return np.array(values, dtype=np.int8), verdict
    res = resolve(np.array(values, dtype=np.int8), cplan)
    return res.codes[:, 0], int(res.verdict[0])


def ranking_assess(
    plans: Sequence[Plan],
    cplan: CohortPlan,
    view: PatientView,
    day: date,
    cache: dict[int, AtomResult],
) -> tuple[np.ndarray, int]:
    """The outcome codes and verdict code the ranker scores (`rank.trial_score`): `quick_assess` of the
    engine's full reading (`trust.reading`: a violation the decision policy holds back from the verdict
    shown still counts as a violation for the score). `cache` holds atom values only, shared as usual."""
    with trust.reading():
        return quick_assess(plans, cplan, view, day, cache)
