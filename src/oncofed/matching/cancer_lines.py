"""Lines of a multi-cancer trial that are for another of its cancers (basket and multi-cohort trials).

"Phase 2 expansion: NSCLC", "Participants in the NSCLC cohort will only be enrolled in USA", "Lung
cancer may be either small cell or non-small cell" in a trial that also takes glioblastoma: when a
trial's inclusion criteria name several distinct cancers, a line naming a cancer the patient does not
have is that cancer's cohort line, whether or not the structure reader recognised a cohort for it. It
cannot exclude a patient whose cancer the trial names elsewhere: such a line, violated, becomes
`not_applicable`. A patient whose cancer the trial names nowhere is still excluded by it (a cancer-type
failure stays caught), and so is a patient of a related cancer ("lung adenocarcinoma" lines for a
squamous NSCLC patient of a trial naming NSCLC: codes on one OncoTree lineage are one cancer, read as
usual).

"Names the patient's cancer" and "names another cancer" are truth values of the lines' `cancer_type`
atoms (`Plan.cancers`), so the per-patient evaluator (Python ints) and the vectorised one (numpy columns)
decide it with this one function. It is applied after cohorts are resolved, to the patients excluded
from every recognised cohort only (`resolve_with_cancers`): a patient the cohorts of the trial already
place keeps that cohort.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from oncofed.domain import Atom
from oncofed.matching.outcomes import (
    EXCLUDED,
    FALSE,
    HELD,
    NOT_APPLICABLE,
    TRUE,
    UNKNOWN,
    VIOLATED,
    CohortPlan,
    Plan,
    Resolution,
    resolve,
)
from oncofed.matching.vocab import named_forms, oncotree_lineage


@functools.cache
def related(a: str, b: str) -> bool:
    """Whether two OncoTree codes are one cancer: equal, or one is an ancestor of the other below the
    tissue ("NSCLC" and "LUAD"; not "NSCLC" and "SCLC", siblings under "LUNG"), or one a form of the other by
    its name ("Bladder Urothelial Carcinoma" and "Urothelial Carcinoma": `vocab.named_forms`)."""
    if a == b or a in oncotree_lineage(b)[1:-1] or b in oncotree_lineage(a)[1:-1]:
        return True
    return b in named_forms(a) or a in named_forms(b)


def _unrelated(codes: frozenset[str], others: frozenset[str]) -> bool:
    return not any(related(a, b) for a in codes for b in others)


def _cancer_rows(
    codes: np.ndarray, plans: Sequence[Plan], value: Callable[[Atom], Any]
) -> tuple[np.ndarray, np.ndarray] | None:
    """(own, other), criteria x patients: whether an inclusion line names the patient's cancer (one of
    its cancer atoms true), and whether it is another cancer's line (see module doc). None when the
    trial's inclusion lines name fewer than two cancers."""
    named = [(a, c) for p in plans if p.inclusion for a, c in p.cancers]
    if len({c for _, c in named}) < 2:  # one cancer named (in any number of lines): nothing to do
        return None
    shape = codes.shape[1:]
    truth: dict[int, np.ndarray] = {}

    def tri(atom: Atom) -> np.ndarray:
        hit = truth.get(id(atom))
        if hit is None:
            hit = truth[id(atom)] = np.broadcast_to(np.asarray(value(atom)), shape)
        return hit

    # the patient's cancer is (within) these codes, or may be: an atom left unknown by a diagnosis on
    # record ("thyroid carcinoma" against "papillary thyroid cancer": a broader code of the same organ; a
    # line that also takes solid tumours) names the patient's cancer as far as anyone can tell. Without a
    # diagnosis every cancer atom is unknown and none false, so no line is made another cancer's.
    has: dict[frozenset[str], np.ndarray] = {}
    for atom, c in named:
        has[c] = has.get(c, np.zeros(shape, dtype=bool)) | (tri(atom) >= UNKNOWN)
    own = np.zeros(codes.shape, dtype=bool)
    other = np.zeros(codes.shape, dtype=bool)
    for k, p in enumerate(plans):
        if not p.inclusion or not p.cancers:
            continue
        for atom, _ in p.cancers:
            own[k] |= tri(atom) == TRUE
        mine = frozenset().union(*(c for _, c in p.cancers))
        elsewhere = [mask for c, mask in has.items() if _unrelated(c, mine)]
        if not elsewhere:
            continue
        row = np.logical_or.reduce(elsewhere)
        for atom, _ in p.cancers:
            row = row & (tri(atom) == FALSE)
        other[k] = row
    return own, other


def other_cancer_lines(
    codes: np.ndarray, plans: Sequence[Plan], value: Callable[[Atom], Any], member: np.ndarray | None = None
) -> np.ndarray:
    """`codes` (criteria x patients outcome codes) with the violated inclusion lines that are another
    cancer's (see module doc) made NOT_APPLICABLE; `value(atom)` is an atom's truth value for every
    patient (an int, or a numpy column). The array is returned unchanged when nothing applies.

    With cohorts (`member`: criteria x leaf cohorts, `CohortPlan.member`), a line of a recognised cohort
    is made not applicable only where the cohort is the patient's: one of the cohort's own lines names
    the patient's cancer, or no cohort does and a line common to all names it. The breast cohort of a
    trial with an ovarian cohort stays the breast cancer patients' (its lines still exclude an ovarian
    cancer patient there); an "expansion phase" naming NSCLC and gastric cancer is a gastric cancer
    patient's; "Lung cancer ..." and "Breast cancer ..." cohorts of a trial whose common lines take
    glioblastoma are no glioblastoma patient's cohorts (`own_cohort` says so)."""
    return _convert(codes, plans, value, member)[0]


def _convert(
    codes: np.ndarray, plans: Sequence[Plan], value: Callable[[Atom], Any], member: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """(`other_cancer_lines`, names): names[j, p] whether one of cohort j's own lines names patient
    p's cancer (None without cohorts or when nothing changed)."""
    read = (codes == VIOLATED) | (codes == HELD)  # a held-back reading is a reading (outcomes.resolve)
    if not read.any():
        return codes, None
    rows = _cancer_rows(codes, plans, value)
    if rows is None:
        return codes, None
    own, other = rows
    hit = read & other
    names = None
    if member is not None and member.shape[1] and hit.any():
        specific = ~member.all(axis=1)
        names = (member[:, :, None] & specific[:, None, None] & own[:, None, :]).any(axis=0)
        # the patient's cancer has no cohort of its own but a common line names it
        homeless = (own & ~specific[:, None]).any(axis=0) & ~names.any(axis=0)
        mine = (member[:, :, None] & names[None, :, :]).any(axis=1)
        hit &= ~specific[:, None] | mine | homeless[None, :]
    if not hit.any():
        return codes, None
    return np.where(hit, np.int8(NOT_APPLICABLE), codes).astype(np.int8), names


def resolve_with_cancers(
    codes: np.ndarray, cplan: CohortPlan, plans: Sequence[Plan], value: Callable[[Atom], Any]
) -> tuple[Resolution, np.ndarray]:
    """`outcomes.resolve`, then, for the patients it excludes from every cohort, again with the lines
    of the trial's other cancers not applicable (`other_cancer_lines`). Returns the resolution and the
    outcome codes before cohorts (criteria x patients) with those lines made NOT_APPLICABLE."""
    codes = codes if codes.ndim == 2 else codes[:, None]
    ruled = cohort_ruled(cplan, plans, value, codes.shape[1])
    res = resolve(codes, cplan, ruled)
    excluded = res.ruled_out if res.ruled_out is not None else res.verdict == EXCLUDED
    # "probably not" (a line in force read as not met, held back by the decision policy) goes through the
    # same second look as an exclusion: the strict engine would have excluded the patient and then made the
    # lines of the trial's other cancers not applicable, so a held-back line of another cancer (a lymphoma
    # line of a trial that also takes ovarian cancer, for an ovarian cancer patient) is not held against them
    excluded = excluded | res.probably_not
    if not excluded.any():
        return res, codes
    lines, names = _convert(codes, plans, value, cplan.member)
    if lines is codes:
        return res, codes
    again = resolve(lines, cplan, ruled)
    cohort = again.cohort
    if names is not None:  # a cohort none of whose lines names the patient's cancer is not theirs
        n = np.arange(cohort.shape[0])
        cohort = np.where((cohort >= 0) & ~names[np.maximum(cohort, 0), n], -1, cohort)
    held = None
    if res.held is not None and again.held is not None:
        held = np.where(excluded[None, :], again.held, res.held)
    ruled = None
    if res.ruled_out is not None and again.ruled_out is not None:
        ruled = np.where(excluded, again.ruled_out, res.ruled_out)
    return (
        Resolution(
            np.where(excluded[None, :], again.codes, res.codes).astype(np.int8),
            np.where(excluded, again.verdict, res.verdict).astype(np.int8),
            np.where(excluded, cohort, res.cohort),
            held,
            ruled,
        ),
        np.where(excluded[None, :], lines, codes).astype(np.int8),
    )


def cohort_ruled(
    cplan: CohortPlan, plans: Sequence[Plan], value: Callable[[Atom], Any], n: int
) -> np.ndarray | None:
    """Cohorts x patients: the cancer reading rules the cohort out for the patient (one of the
    cohort's own inclusion lines names cancers in its statement and every one of them is false for the
    patient), whatever the decision policy trusts: it chooses the cohort, it excludes no one
    (`outcomes.resolve`). None without cohorts."""
    if not cplan.labels or not cplan.parsed:
        return None
    ruled = np.zeros((len(cplan.labels), n), dtype=bool)
    specific = ~cplan.common
    for k, p in enumerate(plans):
        if not (p.inclusion and specific[k]):
            continue
        atoms = [a for a, _ in p.cancers if id(a) in p.statement_ids]
        if not atoms:
            continue
        false = np.ones(n, dtype=bool)
        for atom in atoms:
            false &= np.broadcast_to(np.asarray(value(atom)), (n,)) == FALSE
        ruled[cplan.member[k]] |= false
    return ruled
