"""Grid pay for many employees at once, the cost of a proposal, and the grid minimum check.

Vectorised with numpy: employees are columns (centre, family, level, hire date, FTE, gross pay),
the grid in force on a date becomes a few small lookup arrays, so one month of pay for 400,000
employees is a handful of array operations. A proposal's cost is the difference, month by month
over its window (12 months from its date by default), between the grid pay with and without it,
plus employer contributions at the chosen rate. Experience is counted in completed years since
hire, on each month's date, so a step reached during the year is costed from that month. The
staff list is the payroll snapshot: no hiring or leaving is projected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from gettext import ngettext

import numpy as np

from oncofed.domain.workforce import (
    ALL_FAMILIES,
    AllowanceKind,
    CostingResult,
    CostLine,
    Grid,
    Proposal,
    StaffRecord,
)
from oncofed.errors import InputError
from oncofed.workforce.proposals import apply_proposal

TOLERANCE_EUR = 0.005  # pay rounded to the cent is not "under the minimum"


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class StaffColumns:
    """Employees as numpy columns, with the labels their integer codes refer to."""

    centres: tuple[str, ...]
    families: tuple[str, ...]
    level_keys: tuple[tuple[str, str], ...]
    centre: np.ndarray  # int32 index into centres
    family: np.ndarray  # int32 index into families
    level: np.ndarray  # int32 index into level_keys
    hire_year: np.ndarray
    hire_md: np.ndarray  # month * 100 + day
    fte: np.ndarray
    gross_monthly: np.ndarray

    def __len__(self) -> int:
        return int(self.centre.shape[0])

    @classmethod
    def from_records(cls, records: Sequence[StaffRecord]) -> StaffColumns:
        return cls.from_lists(
            [r.centre_id for r in records],
            [r.family for r in records],
            [r.level for r in records],
            [r.hire_date for r in records],
            [r.fte for r in records],
            [r.gross_monthly for r in records],
        )

    @classmethod
    def from_lists(
        cls,
        centre: Sequence[str],
        family: Sequence[str],
        level: Sequence[str],
        hire: Sequence[date],
        fte: Sequence[float],
        gross: Sequence[float],
    ) -> StaffColumns:
        return cls.from_parts(
            centre, family, level, [d.year for d in hire], [d.month * 100 + d.day for d in hire], fte, gross
        )

    @classmethod
    def from_iso(
        cls,
        centre: Sequence[str],
        family: Sequence[str],
        level: Sequence[str],
        hire_iso: Sequence[str],
        fte: Sequence[float],
        gross: Sequence[float],
    ) -> StaffColumns:
        """Columns with hire dates as ISO text (YYYY-MM-DD), parsed by numpy in C."""
        hire = (
            np.asarray(hire_iso, dtype="datetime64[D]")
            if len(hire_iso)
            else np.zeros(0, dtype="datetime64[D]")
        )
        years = hire.astype("datetime64[Y]")
        months = hire.astype("datetime64[M]")
        month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
        day = (hire - months.astype("datetime64[D]")).astype(np.int64) + 1
        return cls.from_parts(
            centre, family, level, years.astype(np.int64) + 1970, month * 100 + day, fte, gross
        )

    @classmethod
    def from_parts(
        cls,
        centre: Sequence[str],
        family: Sequence[str],
        level: Sequence[str],
        hire_year: Sequence[int] | np.ndarray,
        hire_md: Sequence[int] | np.ndarray,
        fte: Sequence[float],
        gross: Sequence[float],
    ) -> StaffColumns:
        """Columns from plain sequences (hire date as year and month * 100 + day, as the store reads it)."""
        centres, c_idx = _encode(centre)
        families, f_idx = _encode(family)
        levels, lv_idx = _encode(level)
        pair = f_idx.astype(np.int64) * max(len(levels), 1) + lv_idx
        pairs, l_idx = np.unique(pair, return_inverse=True)
        level_keys = [
            (families[int(p) // max(len(levels), 1)], levels[int(p) % max(len(levels), 1)]) for p in pairs
        ]
        return cls(
            tuple(centres),
            tuple(families),
            tuple(level_keys),
            c_idx,
            f_idx,
            l_idx.astype(np.int32),
            np.asarray(hire_year, dtype=np.int64),
            np.asarray(hire_md, dtype=np.int64),
            np.asarray(fte, dtype=np.float64),
            np.asarray(gross, dtype=np.float64),
        )


def _encode(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(sorted distinct values, the index of each value), sorted in C (np.unique on fixed-width text)."""
    if not len(values):
        return [], np.zeros(0, dtype=np.int32)
    labels, idx = np.unique(np.asarray(values, dtype=str), return_inverse=True)
    return [str(x) for x in labels], idx.astype(np.int32)


MAX_YEARS = 80  # experience beyond this uses the highest step (lookup table width)


def experience_years(staff: StaffColumns, day: date) -> np.ndarray:
    """Completed years since hire on `day` (0 before the first anniversary, never negative)."""
    years = day.year - staff.hire_year - ((day.month * 100 + day.day) < staff.hire_md)
    return np.maximum(years, 0)


def _step_table(grid: Grid, staff: StaffColumns, day: date) -> np.ndarray:
    """Extra points per (family, completed years 0..MAX_YEARS) on `day`: the highest step reached
    (a family's own steps replace the all-families step of the same years)."""
    steps = grid.steps_on(day)
    table = np.zeros((len(staff.families), MAX_YEARS + 1))
    for f_idx, fam in enumerate(staff.families):
        own = {s.after_years: s.points for s in steps if s.family == ALL_FAMILIES}
        own.update({s.after_years: s.points for s in steps if s.family == fam})
        for after in sorted(own):
            table[f_idx, min(after, MAX_YEARS) :] = own[after]
    return table


def base_monthly(
    grid: Grid, staff: StaffColumns, day: date, years: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """(full-time base pay per employee on `day`, the point value): (coefficient + step) x point."""
    pv = grid.point_value_on(day)
    if pv is None:
        raise InputError(
            f"the grid {grid.name!r} has no point value on {day}",
            field="point_values",
            fix="add the point value in force on that date to the grid",
        )
    coefs = grid.levels_on(day)
    table = np.array([coefs.get(k, np.nan) for k in staff.level_keys], dtype=np.float64)
    missing = [f"{f}/{lv}" for (f, lv), c in zip(staff.level_keys, table, strict=True) if np.isnan(c)]
    if missing:
        n = int(np.isin(staff.level, [i for i, c in enumerate(table) if np.isnan(c)]).sum())
        raise InputError(
            ngettext("%(num)s employee is", "%(num)s employees are", n) % {"num": n}
            + ngettext(" on level %(levels)s", " on levels %(levels)s", len(missing))
            % {"levels": ", ".join(missing[:8])}
            + f" that the grid {grid.name!r} does not define on {day}",
            field="level",
            fix="add these levels to the grid, or correct the staff records",
        )
    if years is None:
        years = experience_years(staff, day)
    steps = _step_table(grid, staff, day)[staff.family, np.minimum(years, MAX_YEARS)]
    return (table[staff.level] + steps) * pv, pv


def grid_pay_monthly(
    grid: Grid, staff: StaffColumns, day: date, years: np.ndarray | None = None
) -> np.ndarray:
    """Grid pay for the month of `day` per employee at their FTE: base plus allowances."""
    base, pv = base_monthly(grid, staff, day, years)
    fixed = np.zeros(len(staff.families))
    percent = np.zeros(len(staff.families))
    for a in grid.allowances_on(day):
        targets = (
            range(len(staff.families))
            if a.family == ALL_FAMILIES
            else [i for i, f in enumerate(staff.families) if f == a.family]
        )
        for i in targets:
            if a.kind is AllowanceKind.MONTHLY:
                fixed[i] += a.value
            elif a.kind is AllowanceKind.POINTS:
                fixed[i] += a.value * pv
            else:
                percent[i] += a.value
    if not percent.any():
        return (base + fixed[staff.family]) * staff.fte
    full_time = base * (1.0 + percent[staff.family] / 100.0) + fixed[staff.family]
    return full_time * staff.fte


def cost_proposal(
    grid: Grid, staff: StaffColumns, proposal: Proposal, employer_rate: float | None = None
) -> CostingResult:
    """The cost of `proposal` per (centre, family) over its window, against `grid` as it stands."""
    proposed = apply_proposal(grid, proposal)
    rate = (
        employer_rate
        if employer_rate is not None
        else (proposal.employer_rate if proposal.employer_rate is not None else grid.employer_rate)
    )
    n_fam = len(staff.families)
    groups = staff.centre.astype(np.int64) * n_fam + staff.family
    size = len(staff.centres) * n_fam
    before = np.zeros(len(staff))
    after = np.zeros(len(staff))
    for m in range(proposal.months):
        day = add_months(proposal.effective, m)
        years = experience_years(staff, day)  # shared by both grids
        before += grid_pay_monthly(grid, staff, day, years)
        after += grid_pay_monthly(proposed, staff, day, years)
    # per employee over the window first, then one sum per (centre, family)
    delta = np.bincount(groups, weights=after - before, minlength=size)
    baseline = np.bincount(groups, weights=before, minlength=size)
    heads = np.bincount(groups, minlength=size)
    ftes = np.bincount(groups, weights=staff.fte, minlength=size)
    lines = []
    for g in np.flatnonzero(heads):
        c, f = divmod(int(g), n_fam)
        lines.append(
            CostLine(
                staff.centres[c],
                staff.families[f],
                int(heads[g]),
                float(ftes[g]),
                float(baseline[g]),
                float(delta[g]),
                float(delta[g] * rate),
            )
        )
    return CostingResult(
        proposal,
        proposal.effective,
        add_months(proposal.effective, proposal.months),
        float(rate),
        lines,
        len(staff),
    )


@dataclass(frozen=True)
class Shortfall:
    index: int  # row of the staff columns
    minimum: float
    paid: float

    @property
    def gap(self) -> float:
        return self.minimum - self.paid


def below_minimum(grid: Grid, staff: StaffColumns, day: date) -> tuple[np.ndarray, np.ndarray]:
    """(mask of employees paid under the grid minimum on `day`, the minimum per employee)."""
    base, _ = base_monthly(grid, staff, day)
    minimum = base * staff.fte
    return staff.gross_monthly < minimum - TOLERANCE_EUR, minimum
