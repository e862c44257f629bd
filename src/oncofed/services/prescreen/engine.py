"""The matching engine as pre-screening sees it (issue 6 behind one seam): verdicts of one trial
over a batch of patients as a criteria x patients matrix, a fingerprint of what the engine reads
from a trial, and the per-patient assessment (eligible / possibly eligible / probably not eligible /
not eligible).

Criterion codes, one character per criterion in the stored strings: 0 not met (blocks), 1 unknown,
2 met, 3 not applicable, 4 read as not met but held back by the decision policy (matching/trust.py:
its kind of reading is not trusted to exclude alone). Strings stored before code 4 existed read the
same as before (a held-back criterion was stored as 1 then)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from oncofed.domain import Criterion, PatientProfile, Trial
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.prescreen.readings import held_kinds
from oncofed.services.trials.criteria import trial_criteria

CANDIDATE = ("eligible", "possible")  # the plausible candidates (the default tab)
# eligibility values, in list order: "unlikely" = probably not eligible, to check (a held-back reading)
ELIGIBILITIES = ("eligible", "possible", "unlikely", "not_eligible")
# The evaluator's verdicts for one trial over a batch of patients (same order).
Evaluator = Callable[[Trial, Sequence[PatientProfile]], "VerdictMatrix"]


NOT_MET, UNKNOWN, MET, NOT_APPLICABLE, HELD = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class VerdictMatrix:
    """The evaluator's answer for one trial over many patients: criteria x patients, int8 codes
    0 not met (blocks), 1 unknown, 2 met, 3 not applicable (the layout of
    `matching.vectorised.BatchVerdicts`), 4 read as not met, held back (`BatchVerdicts.held`)."""

    criteria: tuple[Criterion, ...]
    verdicts: np.ndarray
    # per patient, the kinds of reading of each held-back criterion (`readings.held_kinds`; None: the
    # evaluator did not say, e.g. a plug-in engine: those patients' readings count as never measured)
    held_kinds: tuple[str, ...] | None = None


def _candidate_verdicts(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    """The matching engine's verdicts for `patients` on `trial`: its vectorised evaluator (the
    same rules as the per-patient one, tested equivalent). Never our own rules."""
    criteria = tuple(trial_criteria(trial))
    # pre-screening hands over its patients as a batch built from the match index (BatchProfiles):
    # evaluate that directly instead of loading every record
    batch = getattr(patients, "batch", None)
    if not isinstance(batch, PatientBatch):
        batch = PatientBatch.from_profiles(patients)
    result = evaluate_trial_over_patients(criteria, batch)
    codes = result.verdicts
    kinds: tuple[str, ...] | None = None
    if result.held is not None and result.held.any():
        codes = np.where(result.held, np.int8(HELD), codes).astype(np.int8)
        kinds = tuple(held_kinds(result.criteria, batch, result.held))
    return VerdictMatrix(tuple(result.criteria), codes, kinds)


def _criteria_fingerprint(trial: Trial) -> str:
    """The parsed criteria (so a new parser version also re-evaluates), or the raw fields."""
    return repr(tuple(trial_criteria(trial)))


@dataclass(frozen=True)
class PrescreenEngine:
    """The matching engine as pre-screening uses it: verdicts, and a fingerprint of what it reads
    from a trial (a change of fingerprint re-evaluates every pair of that trial)."""

    evaluate: Evaluator = _candidate_verdicts
    fingerprint: Callable[[Trial], str] = _criteria_fingerprint


DEFAULT_ENGINE = PrescreenEngine()


NO_CRITERION = "no computable criterion: read the protocol"


def criterion_labels(matrix: VerdictMatrix) -> list[list[Any]]:
    """[label, evaluable] per criterion, in verdict order (stored once per run)."""
    return [[f"{c.section.value[:3]} {c.index}: {c.text}"[:240], c.evaluable] for c in matrix.criteria]


@dataclass(frozen=True)
class Assessments:
    """Per patient, as columns: eligible / possible / unlikely / not_eligible, the score, the counts
    (`n_unknown` counts the held-back criteria too: they are to check) and the verdict codes (one
    character per criterion: see the module doc)."""

    eligibility: list[str]
    score: list[float]
    n_met: list[int]
    n_unknown: list[int]
    n_not_met: list[int]
    verdicts: list[str]
    held_kinds: list[str] | None = None  # per patient: the kinds of each held-back reading (VerdictMatrix)

    def __len__(self) -> int:
        return len(self.eligibility)


def assess(matrix: VerdictMatrix) -> Assessments:
    """Eligible / possibly eligible (with what to check) / probably not eligible (a criterion read as
    not met, held back by the decision policy: what was read, to clear or confirm) / not eligible (with
    what blocks), per patient.

    Criteria that patient data can never decide (consent, willingness, investigator judgement:
    no evaluable atom) are listed to check at the visit but do not lower the category, or no one
    would ever be "eligible". Vectorised: no Python work per (patient, criterion)."""
    v = matrix.verdicts
    n_patients = v.shape[1] if v.ndim == 2 else 0
    if not matrix.criteria:
        return Assessments(
            ["possible"] * n_patients,
            [0.0] * n_patients,
            [0] * n_patients,
            [0] * n_patients,
            [0] * n_patients,
            [""] * n_patients,
        )
    evaluable = np.array([c.evaluable for c in matrix.criteria])
    met = (v == MET).sum(axis=0)
    not_met = (v == NOT_MET).sum(axis=0)
    held = (v == HELD).sum(axis=0)
    unknown = ((v == UNKNOWN) & evaluable[:, None]).sum(axis=0) + held
    decided = met + unknown + not_met
    score = np.round(np.where(decided > 0, met / np.maximum(decided, 1), 0.0), 4)
    labels = np.array(ELIGIBILITIES, dtype=object)
    eligibility = labels[np.where(not_met > 0, 3, np.where(held > 0, 2, np.where(unknown > 0, 1, 0)))]
    # one byte per criterion ('0' ... '4'), each patient's row read as one fixed-width string
    codes = np.ascontiguousarray((v.T + ord("0")).astype(np.uint8))
    verdicts = codes.view(f"S{codes.shape[1]}").ravel().astype(str).tolist() if n_patients else []
    return Assessments(
        eligibility.tolist(),
        score.tolist(),
        met.tolist(),
        unknown.tolist(),
        not_met.tolist(),
        verdicts,
        list(matrix.held_kinds) if matrix.held_kinds is not None else None,
    )


def criteria_texts(
    verdicts: str, labels: list[list[Any]] | None, eligibility: str
) -> tuple[list[str], list[str]]:
    """(what to check, what blocks) of one stored result: what to check matters for candidates and the
    "probably not" rows (the criteria read as not met first: what to clear or confirm), what blocks for
    the others."""
    if not labels:
        return ([NO_CRITERION] if eligibility in CANDIDATE else []), []
    to_check: list[str] = []
    if eligibility in CANDIDATE or eligibility == "unlikely":
        to_check = held_texts(verdicts, labels) + [labels[k][0] for k, ch in enumerate(verdicts) if ch == "1"]
    blocking = [labels[k][0] for k, ch in enumerate(verdicts) if ch == "0"]
    return to_check, blocking


def held_texts(verdicts: str, labels: list[list[Any]] | None) -> list[str]:
    """The criteria of one stored result read as not met and held back (code 4): "probably not met"."""
    if not labels:
        return []
    return [labels[k][0] for k, ch in enumerate(verdicts) if ch == "4"]
