"""The collective agreement's pay grid, staff records and negotiation proposals (issue 21).

A grid is a set of dated components (point value, level coefficients, experience steps,
allowances), each valid from a date to an optional end date, so the grid in force on any date
can be read back. Pay for one month at full time:

    base  = (coefficient of the level + points of the highest experience step reached) x point value
    grid  = base + allowances (euros per month, points x point value, or a percentage of base)

and scales with the employee's FTE. The grid minimum (compliance) is `base x FTE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

ALL_FAMILIES = "*"


@dataclass(frozen=True)
class Period:
    """Valid from `start` to `end` inclusive (`end` None: open)."""

    start: date
    end: date | None = None

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        a_end = self.end or date.max
        b_end = other.end or date.max
        return self.start <= b_end and other.start <= a_end

    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"


@dataclass(frozen=True)
class JobFamily:
    code: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class PointValue:
    """Euros per point per month."""

    value: float
    period: Period


@dataclass(frozen=True)
class LevelCoefficient:
    family: str
    level: str
    coefficient: float
    period: Period


@dataclass(frozen=True)
class ExperienceStep:
    """From `after_years` of experience, `points` extra points (the highest step reached applies)."""

    family: str  # a family code or ALL_FAMILIES
    after_years: int
    points: float
    period: Period


class AllowanceKind(StrEnum):
    MONTHLY = "monthly"  # euros per month at full time
    POINTS = "points"  # points x point value per month
    PERCENT = "percent"  # percentage of the base pay


@dataclass(frozen=True)
class Allowance:
    code: str
    name_en: str
    name_fr: str
    family: str  # a family code or ALL_FAMILIES
    kind: AllowanceKind
    value: float
    period: Period


@dataclass(frozen=True)
class Grid:
    """Every dated component of one grid document (one stored revision)."""

    name: str
    fictional: bool
    source: str
    employer_rate: float  # default employer contributions as a share of gross pay
    families: tuple[JobFamily, ...]
    point_values: tuple[PointValue, ...]
    levels: tuple[LevelCoefficient, ...]
    steps: tuple[ExperienceStep, ...] = ()
    allowances: tuple[Allowance, ...] = ()

    def family_codes(self) -> list[str]:
        return [f.code for f in self.families]

    def point_value_on(self, day: date) -> float | None:
        for pv in self.point_values:
            if pv.period.contains(day):
                return pv.value
        return None

    def levels_on(self, day: date) -> dict[tuple[str, str], float]:
        return {(lv.family, lv.level): lv.coefficient for lv in self.levels if lv.period.contains(day)}

    def steps_on(self, day: date) -> list[ExperienceStep]:
        return [s for s in self.steps if s.period.contains(day)]

    def allowances_on(self, day: date) -> list[Allowance]:
        return [a for a in self.allowances if a.period.contains(day)]

    def change_dates(self) -> list[date]:
        """Every date on which some component starts or stops (the grid's versions)."""
        periods: list[Period] = [x.period for x in self.point_values] + [x.period for x in self.levels]
        periods += [x.period for x in self.steps] + [x.period for x in self.allowances]
        return sorted({p.start for p in periods})


@dataclass(frozen=True)
class StaffRecord:
    """One employee in one centre's payroll export (pseudonymised id)."""

    staff_id: str
    centre_id: str
    family: str
    level: str
    hire_date: date
    fte: float
    gross_monthly: float  # monthly gross base pay at the employee's FTE (before allowances)


@dataclass(frozen=True)
class Change:
    """One change of a proposal; `kind` in point_value, coefficient, step, move_step, allowance."""

    kind: str
    family: str = ""
    level: str = ""
    code: str = ""
    percent: float | None = None
    value: float | None = None
    add: float | None = None
    after_years: int | None = None
    to_years: int | None = None
    allowance_kind: AllowanceKind | None = None
    name_en: str = ""
    name_fr: str = ""


@dataclass(frozen=True)
class Proposal:
    name: str
    effective: date
    changes: tuple[Change, ...]
    employer_rate: float | None = None  # None: the grid's default
    months: int = 12
    notes: str = ""
    source: str = ""


@dataclass
class CostLine:
    """The annual cost of a proposal for one (centre, family)."""

    centre_id: str
    family: str
    staff: int = 0
    fte: float = 0.0
    baseline_gross: float = 0.0  # grid pay over the window without the proposal
    gross_delta: float = 0.0
    employer_delta: float = 0.0

    @property
    def total(self) -> float:
        return self.gross_delta + self.employer_delta


@dataclass
class CostingResult:
    proposal: Proposal
    window_start: date
    window_end: date
    employer_rate: float
    lines: list[CostLine] = field(default_factory=list)
    staff_counted: int = 0
