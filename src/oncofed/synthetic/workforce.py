"""Synthetic staff for the demo network (issue 21): a payroll snapshot per centre on the demo's
fictional grid, seeded. No real person: ids are random hex, pay is drawn around the grid pay.

About 1 employee in 150 is paid a little under the grid minimum, so the compliance page has
something to flag (as a real payroll audit sometimes does)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import numpy as np

from oncofed.domain import Actor
from oncofed.domain.actor import Role
from oncofed.services.workforce.grids import current_grid, load_demo_grid
from oncofed.services.workforce.staff import import_payroll
from oncofed.store.db import Database
from oncofed.workforce.costing import StaffColumns, base_monthly

FAMILY_SHARE = {"NUR": 0.34, "AID": 0.2, "TEC": 0.12, "RES": 0.08, "ADM": 0.18, "MGT": 0.08}
FTE_CHOICES, FTE_SHARE = (1.0, 0.9, 0.8, 0.5), (0.7, 0.08, 0.16, 0.06)
UNDERPAID_SHARE = 1 / 150
DEMO_SOURCE = "synthetic demo payroll"


def synthetic_payroll(
    centre_ids: list[str], per_centre: int | list[int], as_of: date, seed: int = 42
) -> dict[str, str]:
    """One payroll CSV text per centre (the layout of resources/workforce/staff_template.csv)."""
    rng = np.random.default_rng(seed)
    from oncofed.resources import resource_path
    from oncofed.services.workforce.documents import read_document
    from oncofed.workforce.grid import parse_grid

    grid = parse_grid(read_document(resource_path("workforce/demo_grid.yaml")), "demo grid")
    levels = grid.levels_on(as_of)
    families = list(FAMILY_SHARE)
    sizes = per_centre if isinstance(per_centre, list) else [per_centre] * len(centre_ids)
    out = {}
    for centre, n in zip(centre_ids, sizes, strict=True):
        fam = rng.choice(families, size=n, p=list(FAMILY_SHARE.values()))
        lvl = np.array([rng.choice(sorted(lv for f2, lv in levels if f2 == f), p=None) for f in fam])
        service_days = (rng.gamma(1.6, 4.5, size=n).clip(0, 40) * 365.25).astype(int)
        hire = [as_of - timedelta(days=int(d)) for d in service_days]
        fte = rng.choice(FTE_CHOICES, size=n, p=FTE_SHARE)
        cols = StaffColumns.from_lists(
            [centre] * n, fam.tolist(), lvl.tolist(), hire, fte.tolist(), [0.0] * n
        )
        base, _ = base_monthly(grid, cols, as_of)
        factor = rng.uniform(1.0, 1.12, size=n)
        under = rng.random(n) < UNDERPAID_SHARE
        factor[under] = rng.uniform(0.95, 0.995, size=int(under.sum()))
        gross = np.round(base * fte * factor, 2)
        ids = rng.choice(16**8, size=n, replace=False)
        buf = io.StringIO()
        buf.write("staff_id,family,level,hire_date,fte,gross_monthly\n")
        for i in range(n):
            buf.write(
                f"E{int(ids[i]):08X},{fam[i]},{lvl[i]},{hire[i].isoformat()},{fte[i]:g},{gross[i]:.2f}\n"
            )
        out[centre] = buf.getvalue()
    return out


def seed_workforce_demo(
    db: Database,
    centre_ids: list[str],
    *,
    seed: int = 42,
    per_centre: int | None = None,
    as_of: date | None = None,
) -> int:
    """Load the fictional grid (once) and a synthetic payroll for every centre; returns the staff count."""
    try:
        current_grid(db)
    except Exception:  # noqa: BLE001 - no grid yet: the demo's own
        load_demo_grid(db)
    as_of = as_of or date.today().replace(day=1)
    rng = np.random.default_rng(seed + 1)
    sizes = (
        [per_centre] * len(centre_ids)
        if per_centre
        else [int(x) for x in rng.integers(250, 900, size=len(centre_ids))]
    )
    system = Actor("demo build", Role.SYSTEM, frozenset({"*"}), "human resources")
    total = 0
    for centre, text in synthetic_payroll(centre_ids, sizes, as_of, seed).items():
        total += import_payroll(
            db, system, text.encode(), f"{DEMO_SOURCE} ({centre})", centre, as_of
        ).imported
    return total
