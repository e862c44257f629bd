"""Demo content for the quality area: pathway events for the demo patients (through the importer,
with a few bad rows so the exclusion report is visible) and example EPiHC self-assessments."""

from __future__ import annotations

from datetime import date

import numpy as np

from oncofed.domain import Actor
from oncofed.errors import NotFound
from oncofed.services.quality import ImportReport, generate_demo_events
from oncofed.services.quality_charter import epihc, save_assessment
from oncofed.store.db import Database

DEMO_ASSESSED_CENTRES = ("curie", "gustave-roussy", "leon-berard")


def seed_quality_demo(db: Database, seed: int = 42) -> ImportReport:
    report = generate_demo_events(db, seed=seed)
    rng = np.random.default_rng(seed)
    actor = Actor.system("demo build")
    for centre_id in DEMO_ASSESSED_CENTRES:
        for p in epihc()["principles"]:
            try:
                save_assessment(
                    db,
                    actor,
                    centre_id,
                    p["id"],
                    int(rng.integers(2, 5)),
                    evidence="Demo: policy document and last internal audit (fictional).",
                    action_plan="Demo: review with the quality committee.",
                    review_date=date(2026, 6, 30),
                )
            except NotFound:  # a centre missing from a trimmed demo network
                break
    return report
