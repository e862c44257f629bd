"""Demo content for the quality area: pathway events for the demo patients (through the importer,
with a few bad rows so the exclusion report is visible) and example EPiHC self-assessments."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.errors import NotFound
from oncofed.services.quality.charter import epihc, save_assessment
from oncofed.services.quality.indicators import ImportReport, import_events, known_centres
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.synthetic.quality_events import generate_events

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


def generate_demo_events(db: Database, seed: int = 42, dirty: float = 0.002) -> ImportReport:
    """Events for the demo network's patients, imported through the importer (source 'synthetic',
    replacing the previous demo events) so the demo's bad rows are reported like real ones."""
    with db.session() as s:
        rows = s.execute(select(PatientRow.id, PatientRow.centre_id).order_by(PatientRow.id)).all()
    centre_ids = sorted({r[1] for r in rows} | set(known_centres(db)))
    index = {c: i for i, c in enumerate(centre_ids)}
    ids = np.array([r[0] for r in rows], dtype=object)
    centres = np.array([index[r[1]] for r in rows], dtype=np.int32)
    table = generate_events(ids, centres, centre_ids, seed=seed, dirty=dirty if len(rows) else 0.0)
    return import_events(db, table, source="synthetic", replace=True)
