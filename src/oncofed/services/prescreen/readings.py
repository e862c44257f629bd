"""Which kinds of reading held a patient back, per held-back criterion: what the "Probably not — to check"
tab is ordered by (`odds.py`).

A criterion read as not met and held back by the decision policy (code 4) is violated by one or more
*kinds of reading* ("inclusion:disease_setting", "inclusion:cancer_organ"): the kinds that
`matching.outcomes.culprits` names for that patient, the very function `benchmarks/verdicts_trust.py`
counts the trust table with (an inclusion's false atoms, a cancer type split into the organ and the
subtype question per patient; an exclusion's atoms). The engine's own function is called, never a copy
of its rules: once per distinct pattern of atom values among the held patients of a criterion (a few
per criterion), not once per patient.

Stored per result (`prescreen_results.held_kinds`) as one string: the held criteria in criterion order
(the order of the `4`s in the verdict string) separated by ";", the kinds of one criterion by "+".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from oncofed.domain import Atom, Criterion
from oncofed.matching import trust
from oncofed.matching.outcomes import Plan, compile_plan, culprits
from oncofed.matching.vectorised import PatientBatch, atom_column, organ_column

CRITERIA_SEP, KINDS_SEP = ";", "+"


def _atoms(criterion_atoms: Sequence[Atom]) -> list[Atom]:
    """The statement's atoms and the atoms of their conditions, each once (by identity)."""
    seen: dict[int, Atom] = {}
    stack = list(criterion_atoms)
    while stack:
        atom = stack.pop()
        if id(atom) in seen:
            continue
        seen[id(atom)] = atom
        stack.extend(atom.condition or ())
    return list(seen.values())


def _kinds_of(plan: Plan, atoms: list[Atom], split: list[Atom], row: list[int]) -> str:
    """`culprits` for one pattern: the atoms' values, then the organ flags of the split atoms."""
    where = {id(a): i for i, a in enumerate(atoms)}
    organ_at = {id(a): len(atoms) + i for i, a in enumerate(split)}

    def value(atom: Atom) -> int:
        return int(row[where[id(atom)]])

    def other_organ(atom: Atom) -> bool:
        return bool(row[organ_at[id(atom)]]) if id(atom) in organ_at else False

    return KINDS_SEP.join(culprits(plan, value, other_organ))


def held_kinds(criteria: Sequence[Criterion], batch: PatientBatch, held: np.ndarray | None) -> list[str]:
    """Per patient of `batch`, the kinds of reading of each criterion held back (`held`: criteria x
    patients, the evaluator's final mask), encoded as the module doc says ("" when none is held)."""
    n = len(batch)
    if held is None or n == 0 or not held.any():
        return [""] * n
    parts: list[list[str]] = [[] for _ in range(n)]
    for k in np.flatnonzero(held.any(axis=1)):
        plan = compile_plan(criteria[k])
        patients = np.flatnonzero(held[k])
        atoms = _atoms([*plan.plain, *(a for g in plan.groups for a in g)])
        split = [a for a in atoms if trust.organ_codes(a)]
        columns = [atom_column(a, batch)[patients] for a in atoms]
        columns += [organ_column(a, batch)[patients].astype(np.int8) for a in split]
        if not columns:
            for j in patients:
                parts[j].append("")
            continue
        patterns, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        inverse = np.asarray(inverse).reshape(-1)
        for p, pattern in enumerate(patterns.tolist()):
            text = _kinds_of(plan, atoms, split, pattern)
            for j in patients[inverse == p]:
                parts[j].append(text)
    return [CRITERIA_SEP.join(p) for p in parts]


def split_kinds(encoded: str | None) -> list[tuple[str, ...]]:
    """The stored string back as one tuple of kinds per held criterion ([] when none; an empty tuple
    for a criterion whose kinds were not recorded)."""
    if not encoded:
        return []
    return [tuple(k for k in part.split(KINDS_SEP) if k) for part in encoded.split(CRITERIA_SEP)]
