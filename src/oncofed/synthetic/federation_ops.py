"""The demo's federation operations (issue 21): the fictional pay grid and synthetic payroll per
centre, example proposals, the example emission factors and three years of synthetic activity
data (each kept when already there), and the patient-travel figures (recomputed: the patients
were just built)."""

from __future__ import annotations

from sqlalchemy import func, select

from oncofed.domain import Actor
from oncofed.resources import resource_path
from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.models_carbon import CarbonActivityRow, CarbonTravelRow
from oncofed.store.models_workforce import PayProposalRow, StaffRecordRow

EXAMPLE_PROPOSALS = ("workforce/proposals/point_plus_1pct.yaml", "workforce/proposals/nurses_new_step.yaml")


def seed_federation_ops_demo(db: Database, seed: int = 42, *, travel: bool = True) -> None:
    """`travel=False` (a reused demo): computed only when never computed."""
    from oncofed.services.sustainability.travel import compute_travel
    from oncofed.services.workforce.costing import save_proposal
    from oncofed.synthetic.carbon import seed_carbon_demo
    from oncofed.synthetic.workforce import seed_workforce_demo

    ids = [c.id for c in network_centres()]
    with db.session() as s:
        has_staff = bool(s.scalar(select(func.count()).select_from(StaffRecordRow)))
        has_activity = bool(s.scalar(select(func.count()).select_from(CarbonActivityRow)))
        has_proposals = bool(s.scalar(select(func.count()).select_from(PayProposalRow)))
        has_travel = bool(s.scalar(select(func.count()).select_from(CarbonTravelRow)))
    if not has_staff:
        seed_workforce_demo(db, ids, seed=seed)
    if not has_proposals:
        for name in EXAMPLE_PROPOSALS:
            save_proposal(
                db,
                Actor.system("demo build"),
                resource_path(name).read_text(encoding="utf-8"),
                "oncofed/resources/" + name,
            )
    if not has_activity:
        seed_carbon_demo(db, ids, seed=seed)
    if travel or not has_travel:
        compute_travel(db, Actor.system("demo build"))  # after a (re)build the patients are new: recomputed
