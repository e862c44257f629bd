"""Synthetic carbon activity data for the demo network (issue 21): three years per centre, in
mixed units (MWh and kWh, t, k€) so conversions are exercised, seeded. Invented quantities
with plausible proportions for a cancer centre, labelled as synthetic; not any centre's data."""

from __future__ import annotations

from datetime import date

import numpy as np

from oncofed.domain.carbon import Activity
from oncofed.services.sustainability.activity import store_activities
from oncofed.services.sustainability.factors import load_example_factors
from oncofed.store.db import Database

DEMO_SOURCE = "synthetic demo activity data"
# item: (category, unit, amount per bed per year in that unit, yearly trend)
PER_BED = {
    ("energy", "electricity"): ("MWh", 32.0, -0.02),
    ("energy", "natural_gas"): ("kWh", 24000.0, -0.04),
    ("energy", "district_heat"): ("MWh", 4.0, 0.0),
    ("anaesthetic_gas", "desflurane"): ("kg", 0.12, -0.45),
    ("anaesthetic_gas", "sevoflurane"): ("kg", 0.55, 0.05),
    ("anaesthetic_gas", "nitrous_oxide"): ("kg", 2.2, -0.15),
    ("fleet", "diesel"): ("L", 45.0, -0.05),
    ("purchase", "medicines"): ("k€", 42.0, 0.06),
    ("purchase", "medical_devices"): ("k€", 14.0, 0.03),
    ("purchase", "food"): ("k€", 3.0, 0.0),
    ("purchase", "services"): ("k€", 18.0, 0.02),
    ("waste", "infectious"): ("t", 0.55, -0.02),
    ("waste", "household"): ("t", 1.4, -0.03),
    ("waste", "recycled"): ("t", 0.35, 0.08),
    ("staff_travel", "car"): ("km", 21000.0, -0.03),
    ("staff_travel", "public_transport"): ("km", 9000.0, 0.04),
    ("patient_travel", "car"): ("km", 52000.0, 0.0),
    ("patient_travel", "ambulance"): ("km", 9000.0, 0.0),
    ("patient_travel", "train"): ("km", 6000.0, 0.02),
}


def synthetic_activities(centre_ids: list[str], years: list[int], seed: int = 42) -> list[Activity]:
    rng = np.random.default_rng(seed + 2)
    out = []
    for centre in centre_ids:
        beds = int(rng.integers(120, 620))
        efficiency = float(rng.lognormal(0.0, 0.18))
        stays_per_bed = float(rng.uniform(120, 220))
        for k, year in enumerate(years):
            out.append(Activity(centre, year, "activity", "beds", float(beds), "bed"))
            out.append(
                Activity(
                    centre,
                    year,
                    "activity",
                    "stays",
                    float(round(beds * stays_per_bed * (1 + 0.02 * k))),
                    "stay",
                )
            )
            for (category, item), (unit, per_bed, trend) in PER_BED.items():
                noise = float(rng.lognormal(0.0, 0.08))
                q = beds * per_bed * efficiency * noise * (1 + trend) ** k
                out.append(Activity(centre, year, category, item, round(q, 3), unit))
    return out


def seed_carbon_demo(
    db: Database, centre_ids: list[str], *, seed: int = 42, last_year: int | None = None
) -> int:
    """The example factor table (once) and three years of synthetic activity data per centre."""
    load_example_factors(db)
    last = last_year or date.today().year - 1
    activities = synthetic_activities(centre_ids, [last - 2, last - 1, last], seed)
    return store_activities(db, activities, DEMO_SOURCE).rows
