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


@dataclass(frozen=True)
class Criterion:
    section: Section
    index: int
    text: str
    span: tuple[int, int] | None = None
    atoms: tuple[Atom, ...] = ()
    parent_index: int | None = None

    @property
    def evaluable(self) -> bool:
        """A criterion is evaluable when it has at least one atom that patient data can decide."""
        return any(a.kind != "non_evaluable" for a in self.atoms)
