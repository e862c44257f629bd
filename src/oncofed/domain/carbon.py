"""Carbon footprint values (issue 21): emission factors, activity data, emission lines.

GHG Protocol scopes (1 direct, 2 purchased energy, 3 everything else) and the French BEGES posts
(e.g. "1.4" direct fugitive emissions, "4.1" purchased goods) are carried by each factor."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("energy", "anaesthetic_gas", "fleet", "purchase", "waste", "staff_travel", "patient_travel")
NORMALISER = "activity"  # items "stays" and "beds": denominators, not emissions
NORMALISER_ITEMS = {"stays": "stay", "beds": "bed"}


@dataclass(frozen=True)
class EmissionFactor:
    category: str
    item: str
    name_en: str
    name_fr: str
    unit: str  # the activity unit the factor applies to (kWh, kg, L, km, EUR, t)
    kgco2e_per_unit: float
    scope: int
    beges_post: str
    uncertainty_pct: float
    source: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.category, self.item)


@dataclass(frozen=True)
class Activity:
    centre_id: str
    year: int
    category: str
    item: str
    quantity: float
    unit: str
    line: int = 0  # line of the imported file


@dataclass(frozen=True)
class EmissionLine:
    activity: Activity
    factor: EmissionFactor
    quantity_in_factor_unit: float

    @property
    def kgco2e(self) -> float:
        return self.quantity_in_factor_unit * self.factor.kgco2e_per_unit

    @property
    def uncertainty_kg(self) -> float:
        return self.kgco2e * self.factor.uncertainty_pct / 100.0
