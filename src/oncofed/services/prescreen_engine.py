"""The matching engine as pre-screening sees it (issue 6 behind one seam): verdicts of one trial
over a batch of patients as a criteria x patients matrix, a fingerprint of what the engine reads
from a trial, and the per-patient assessment (eligible / possibly eligible / not eligible)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from oncofed.domain import Criterion, PatientProfile, Trial
from oncofed.domain.matching import Verdict
from oncofed.errors import OncofedError

CANDIDATE = ("eligible", "possible")
# The evaluator's verdicts for one trial over a batch of patients (same order).
Evaluator = Callable[[Trial, Sequence[PatientProfile]], "VerdictMatrix"]


@dataclass(frozen=True)
class Assessment:
    eligibility: str
    score: float
    n_met: int
    n_unknown: int
    n_not_met: int
    to_check: list[str]
    blocking: list[str]


NOT_MET, UNKNOWN, MET = 0, 1, 2


@dataclass(frozen=True)
class VerdictMatrix:
    """The evaluator's answer for one trial over many patients: criteria x patients, int8 codes
    0 not met (blocks), 1 unknown, 2 met (the layout of `matching.vectorised.BatchVerdicts`)."""

    criteria: tuple[Criterion, ...]
    verdicts: np.ndarray


def _candidate_verdicts(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    """The matching engine's verdicts (issue 6) for `patients` on `trial`: its vectorised
    evaluator, or its per-patient evaluator if the vectorised one is absent. Never our own rules."""
    try:
        from oncofed.matching.criteria_source import trial_criteria
    except ImportError as exc:
        raise OncofedError(
            "the matching evaluator (oncofed.matching) is not available in this installation",
            fix="install a version of oncofed that includes the matching engine to pre-screen",
        ) from exc
    criteria = _criteria_of(trial, trial_criteria)
    try:
        from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
    except ImportError:
        from oncofed.matching.evaluate import evaluate_criteria

        code = {Verdict.NOT_MET: NOT_MET, Verdict.UNKNOWN: UNKNOWN, Verdict.MET: MET}
        matrix = np.array(
            [[code[cv.verdict] for cv in evaluate_criteria(criteria, p)] for p in patients], dtype=np.int8
        ).reshape(len(patients), len(criteria))
        return VerdictMatrix(criteria, matrix.T)
    result = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(patients))
    return VerdictMatrix(tuple(result.criteria), result.verdicts)


_CRITERIA_CACHE: dict[str, tuple[Criterion, ...]] = {}


def _criteria_of(trial: Trial, parse: Callable[[Trial], Sequence[Criterion]]) -> tuple[Criterion, ...]:
    """The trial's criteria, parsed once per version of the trial (parsing costs far more than
    the incremental refresh it would otherwise dominate)."""
    key = repr(dataclasses.replace(trial, sites=[]))
    hit = _CRITERIA_CACHE.get(key)
    if hit is None:
        if len(_CRITERIA_CACHE) >= 512:
            _CRITERIA_CACHE.clear()
        hit = _CRITERIA_CACHE[key] = tuple(parse(trial))
    return hit


def _criteria_fingerprint(trial: Trial) -> str:
    """The parsed criteria (so a new parser version also re-evaluates), or the raw fields."""
    try:
        from oncofed.matching.criteria_source import trial_criteria
    except ImportError:
        return ""
    return repr(_criteria_of(trial, trial_criteria))


@dataclass(frozen=True)
class PrescreenEngine:
    """The matching engine as pre-screening uses it: verdicts, and a fingerprint of what it reads
    from a trial (a change of fingerprint re-evaluates every pair of that trial)."""

    evaluate: Evaluator = _candidate_verdicts
    fingerprint: Callable[[Trial], str] = _criteria_fingerprint


DEFAULT_ENGINE = PrescreenEngine()


def assess(matrix: VerdictMatrix) -> list[Assessment]:
    """Eligible / possibly eligible (with what to check) / not eligible (with what blocks), per patient.

    Criteria that patient data can never decide (consent, willingness, investigator judgement:
    no evaluable atom) are listed to check at the visit but do not lower the category, or no one
    would ever be "eligible". Counting is vectorised; only the texts are gathered per patient."""
    v = matrix.verdicts
    n_patients = v.shape[1] if v.ndim == 2 else 0
    if not matrix.criteria:
        return [
            Assessment("possible", 0.0, 0, 0, 0, ["no computable criterion: read the protocol"], [])
        ] * n_patients
    labels = [f"{c.section.value[:3]} {c.index}: {c.text}"[:240] for c in matrix.criteria]
    evaluable = np.array([c.evaluable for c in matrix.criteria])
    met = (v == MET).sum(axis=0)
    not_met = (v == NOT_MET).sum(axis=0)
    unknown_all = v == UNKNOWN
    unknown = (unknown_all & evaluable[:, None]).sum(axis=0)
    decided = met + unknown + not_met
    score = np.where(decided > 0, met / np.maximum(decided, 1), 0.0)
    out: list[Assessment] = []
    for j in range(n_patients):
        blocking = [labels[k] for k in np.flatnonzero(v[:, j] == NOT_MET)]
        to_check = [labels[k] for k in np.flatnonzero(unknown_all[:, j])]
        eligibility = "not_eligible" if not_met[j] else ("possible" if unknown[j] else "eligible")
        out.append(
            Assessment(
                eligibility,
                round(float(score[j]), 4),
                int(met[j]),
                int(unknown[j]),
                int(not_met[j]),
                to_check,
                blocking,
            )
        )
    return out
