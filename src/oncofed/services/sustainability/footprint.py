"""Footprints per centre and year from the stored activity data and a factor table version:
results by scope, BEGES post and category, per stay and per bed, trends and comparisons."""

from __future__ import annotations

from dataclasses import dataclass

from oncofed.carbon.footprint import CentreYear, footprints
from oncofed.services.sustainability.activity import stored_activities
from oncofed.services.sustainability.factors import FactorSet, factor_set
from oncofed.store.db import Database


@dataclass(frozen=True)
class FootprintReport:
    factors: FactorSet
    results: dict[tuple[str, int], CentreYear]

    def years(self) -> list[int]:
        return sorted({y for _, y in self.results})

    def for_year(self, year: int) -> list[CentreYear]:
        return [cy for (_, y), cy in self.results.items() if y == year]

    def for_centre(self, centre_id: str) -> list[CentreYear]:
        return [cy for (c, _), cy in self.results.items() if c == centre_id]


def footprint_report(
    db: Database, *, year: int | None = None, centre_id: str | None = None, version: str | None = None
) -> FootprintReport:
    fs = factor_set(db, version)
    return FootprintReport(fs, footprints(stored_activities(db, year=year, centre_id=centre_id), fs.factors))
