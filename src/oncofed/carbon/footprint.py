"""Footprints: activity x factor (units converted by `units.conversion`), summed per centre and
year by GHG Protocol scope, BEGES post and category, per stay and per bed, with an uncertainty.

Uncertainty: each line's factor uncertainty (a percentage of the line, as in the factor table)
combined in quadrature within a centre-year, i.e. the lines' errors taken as independent (the
usual simplification of the ADEME method; errors shared by many lines, such as one factor used
for several sites, are understated by it)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from oncofed.carbon.units import conversion
from oncofed.domain.carbon import NORMALISER, Activity, EmissionFactor, EmissionLine
from oncofed.errors import InputError


@dataclass
class CentreYear:
    centre_id: str
    year: int
    lines: list[EmissionLine] = field(default_factory=list)
    stays: float | None = None
    beds: float | None = None
    problems: list[str] = field(default_factory=list)  # activities the factor table cannot take

    @property
    def total_kg(self) -> float:
        return sum(ln.kgco2e for ln in self.lines)

    @property
    def uncertainty_kg(self) -> float:
        return math.sqrt(sum(ln.uncertainty_kg**2 for ln in self.lines))

    def by(self, key: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for ln in self.lines:
            k = {
                "scope": str(ln.factor.scope),
                "post": ln.factor.beges_post,
                "category": ln.activity.category,
                "item": f"{ln.activity.category}/{ln.activity.item}",
            }[key]
            out[k] = out.get(k, 0.0) + ln.kgco2e
        return dict(sorted(out.items()))

    def uncertainty_by_post(self) -> dict[str, float]:
        sq: dict[str, float] = {}
        for ln in self.lines:
            sq[ln.factor.beges_post] = sq.get(ln.factor.beges_post, 0.0) + ln.uncertainty_kg**2
        return {k: math.sqrt(v) for k, v in sorted(sq.items())}

    @property
    def kg_per_stay(self) -> float | None:
        return self.total_kg / self.stays if self.stays else None

    @property
    def t_per_bed(self) -> float | None:
        return self.total_kg / 1000.0 / self.beds if self.beds else None

    @property
    def complete(self) -> bool:
        return not self.problems


def footprints(
    activities: Iterable[Activity], factors: Mapping[tuple[str, str], EmissionFactor]
) -> dict[tuple[str, int], CentreYear]:
    """Every (centre, year) with its emission lines. An activity the table has no factor for, or in
    a unit that does not convert, is listed in the centre-year's `problems` (and it is marked
    incomplete), never dropped silently and never summed unconverted."""
    out: dict[tuple[str, int], CentreYear] = {}
    for a in activities:
        cy = out.setdefault((a.centre_id, a.year), CentreYear(a.centre_id, a.year))
        if a.category == NORMALISER:
            if a.item == "stays":
                cy.stays = (cy.stays or 0.0) + a.quantity
            elif a.item == "beds":
                cy.beds = (cy.beds or 0.0) + a.quantity
            continue
        factor = factors.get((a.category, a.item))
        if factor is None:
            cy.problems.append(f"{a.category}/{a.item}: no factor in the table in use")
            continue
        try:
            multiplier = conversion(a.unit, factor.unit)
        except InputError as exc:
            cy.problems.append(f"{a.category}/{a.item}: {exc.reason}")
            continue
        cy.lines.append(EmissionLine(a, factor, a.quantity * multiplier))
    return dict(sorted(out.items()))
