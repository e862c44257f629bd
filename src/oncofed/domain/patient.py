"""A patient as the matcher knows them: facts, each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from oncofed.domain.geo import GeoPoint


@dataclass(frozen=True)
class Provenance:
    """Where a fact came from: a FHIR resource id, a file and row, or a span of a note."""

    source: str
    record: str = ""
    span: tuple[int, int] | None = None
    note_id: str | None = None

    def describe(self) -> str:
        parts = [self.source]
        if self.record:
            parts.append(self.record)
        if self.span:
            parts.append(f"chars {self.span[0]}-{self.span[1]}")
        return ":".join(parts)


@dataclass(frozen=True)
class Fact:
    """One thing known about a patient.

    kind: "primary_cancer", "stage", "metastasis", "biomarker", "ecog", "karnofsky",
    "treatment", "lab", "comorbidity", "pregnancy", ... ; code: a normalised code
    (OncoTree, HGNC symbol, LOINC, drug name); value/unit: the measurement or status.
    """

    kind: str
    code: str | None = None
    value: Any = None
    unit: str | None = None
    display: str = ""
    when: date | None = None
    negated: bool = False
    provenance: Provenance = field(default_factory=lambda: Provenance("unknown"))
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class PatientProfile:
    id: str
    centre_id: str
    sex: str | None = None
    birth_date: date | None = None
    age_years: float | None = None
    primary_cancer: str | None = None  # OncoTree code
    stage: str | None = None
    ecog: int | None = None
    home: GeoPoint | None = None
    home_city: str = ""
    research_objection: bool = False
    deceased: bool = False
    facts: list[Fact] = field(default_factory=list)
    display_name: str = ""

    def age_on(self, day: date) -> float | None:
        if self.birth_date is None:
            return self.age_years
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return float(years)

    def facts_of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    def first(self, kind: str, code: str | None = None) -> Fact | None:
        for f in self.facts:
            if f.kind == kind and (code is None or (f.code or "").upper() == code.upper()):
                return f
        return None


def whole_years(age: float | None) -> int | float | None:
    """An age as people read it: whole years as an int (52, not 52.0: a birth date, or a source that
    gives years); a fractional age from the source stays as it is. The evaluator keeps floats."""
    if age is None or not float(age).is_integer():
        return age
    return int(age)
