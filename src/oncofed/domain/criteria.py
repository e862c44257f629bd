"""Eligibility criteria as the matcher sees them: ordered criteria made of typed atoms."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Section(StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


@dataclass(frozen=True)
class Atom:
    """One computable statement inside a criterion, tied to the words it came from.

    kind: e.g. "age", "sex", "cancer_type", "biomarker", "ecog", "lab", "prior_therapy",
    "brain_metastases", "pregnancy", "non_evaluable". operator: one of
    ">=", ">", "<=", "<", "==", "!=", "in", "present", "absent".
    `condition`: atoms that must all hold for this atom to state anything ("<= 5 x ULN *if liver
    metastases*"): inside an OR group the atom then reads "condition and statement", alone
    "if condition then statement".
    """

    kind: str
    operator: str
    value: Any = None
    unit: str | None = None
    code: str | None = None
    span: tuple[int, int] | None = None
    text: str = ""
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    window_days: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    condition: tuple[Atom, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """One criterion line. `condition`: atoms that must all hold for the criterion to apply
    ("Women of childbearing potential must ..."; false: the outcome is `not_applicable`).
    `cohort`: the cohort / part / arm heading it belongs to (None: it applies to every cohort)."""

    section: Section
    index: int
    text: str
    span: tuple[int, int] | None = None
    atoms: tuple[Atom, ...] = ()
    parent_index: int | None = None
    condition: tuple[Atom, ...] = ()
    cohort: str | None = None

    @property
    def evaluable(self) -> bool:
        """A criterion is evaluable when it has at least one atom that patient data can decide."""
        return any(a.kind != "non_evaluable" for a in self.atoms)
