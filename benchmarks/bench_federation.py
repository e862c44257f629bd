"""Federation operations (issue 21): costing a proposal over 20 centres x 20,000 staff records, and
a year of carbon activity data for 20 centres, each under 1 s.

"20 centres x 20,000 staff records" is read both ways: 20,000 records in all (about the size of the
real federation) and 20,000 per centre (400,000). Timed: the costing engine alone (numpy over the
staff columns, the proposal's 12 months), and the service end to end (staff read from SQLite
through the actor-scoped repository, audit record included). Carbon: the footprint engine alone,
the service end to end (activities read from SQLite, factors, results by scope and post), and the
CSV import of that year (every row checked, units converted with pint). Median of 5 runs.

    python -m benchmarks.bench_federation [--quick]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.report import write_section
from oncofed.domain import Actor, Role
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.store.db import Database

RUNS = 5


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, float, Any]:
    out, times = None, []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), out


def costing_rows(db: Database, per_centre: int, centres: list[str]) -> list[str]:
    from oncofed.resources import resource_path
    from oncofed.services.workforce.costing import cost, proposal_from_file
    from oncofed.services.workforce.grids import current_grid
    from oncofed.services.workforce.staff import _COLUMNS_CACHE as staff_columns_cache
    from oncofed.services.workforce.staff import import_payroll, staff_columns
    from oncofed.synthetic.workforce import synthetic_payroll
    from oncofed.workforce.costing import cost_proposal

    system = Actor("bench", Role.SYSTEM, frozenset({"*"}), "human resources")
    as_of = date(2025, 12, 1)
    started = time.perf_counter()
    for centre, text in synthetic_payroll(centres, per_centre, as_of, seed=7).items():
        import_payroll(db, system, text.encode(), f"bench {centre}", centre, as_of)
    imported = time.perf_counter() - started
    grid = current_grid(db).grid
    fed = Actor("bench-hr", Role.FEDERATION_HR, purpose="human resources")
    staff = staff_columns(db, fed, "bench")
    rows = []
    for k, name in enumerate(("point_plus_1pct", "nurses_new_step")):
        proposal = proposal_from_file(resource_path(f"workforce/proposals/{name}.yaml"))
        e_med, e_min, e_max, result = timed(functools.partial(cost_proposal, grid, staff, proposal))
        if k == 0:
            staff_columns_cache.clear()  # the first costing after an import reads the staff from the database
            first, *_ = timed(functools.partial(cost, db, fed, proposal), runs=1)
        s_med, s_min, s_max, _ = timed(functools.partial(cost, db, fed, proposal))
        total = sum(ln.total for ln in result.lines)
        rows.append(
            f"| {len(centres)} x {per_centre:,} = {len(staff):,} | {proposal.name} | {e_med:.3f} ({e_min:.3f}-{e_max:.3f}) | "
            f"{first:.3f} | {s_med:.3f} ({s_min:.3f}-{s_max:.3f}) | {total:,.0f} | {imported:.1f} |"
        )
    return rows


def carbon_rows(db: Database) -> list[str]:
    from oncofed.carbon.footprint import footprints
    from oncofed.ingest.carbon import read_activities
    from oncofed.services.sustainability.activity import store_activities
    from oncofed.services.sustainability.factors import load_example_factors
    from oncofed.services.sustainability.footprint import footprint_report
    from oncofed.synthetic.carbon import synthetic_activities

    fs = load_example_factors(db)
    centres = [f"bench-{i:02d}" for i in range(1, 21)]
    activities = synthetic_activities(centres, [2025], seed=3)
    store_activities(db, activities, "bench")
    e_med, e_min, e_max, result = timed(lambda: footprints(activities, fs.factors))
    s_med, s_min, s_max, report = timed(lambda: footprint_report(db, year=2025))
    text = "centre,year,category,item,quantity,unit\n" + "".join(
        f"{a.centre_id},{a.year},{a.category},{a.item},{a.quantity},{a.unit}\n" for a in activities
    )
    i_med, i_min, i_max, parsed = timed(lambda: read_activities(text, "bench.csv", fs.factors, set(centres)))
    total_t = sum(cy.total_kg for cy in report.results.values()) / 1000
    assert len(result) == 20 and len(parsed) == len(activities)
    return [
        f"| footprint engine (activities in memory) | 20 | {len(activities):,} | {e_med:.4f} ({e_min:.4f}-{e_max:.4f}) | {total_t:,.0f} |",
        f"| footprint service (read from SQLite, factors, results) | 20 | {len(activities):,} | {s_med:.4f} ({s_min:.4f}-{s_max:.4f}) | {total_t:,.0f} |",
        f"| CSV import check (every row, units converted) | 20 | {len(activities):,} | {i_med:.4f} ({i_min:.4f}-{i_max:.4f}) | |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 records in all only (skip 20 x 20,000)")
    args = parser.parse_args()
    from oncofed.services.workforce.grids import load_demo_grid

    costing: list[str] = []
    sizes = [1_000] if args.quick else [1_000, 20_000]
    centres = [c.id for c in network_centres()] + ["bench-extra"]
    for per_centre in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            db.upgrade()
            load_centres(db)
            from oncofed.store.models import CentreRow

            with db.session() as s:
                s.add(
                    CentreRow(
                        id="bench-extra",
                        name="Bench centre",
                        city="Paris",
                        region="IDF",
                        latitude=48.85,
                        longitude=2.35,
                    )
                )
            load_demo_grid(db)
            costing += costing_rows(db, per_centre, centres)
            if per_centre == sizes[0]:
                carbon = carbon_rows(db)
            db.dispose()
    body = "\n".join(
        [
            "### Negotiation costing (target: under 1 s for 20 centres x 20,000 staff records)",
            "",
            "| centres x staff per centre | proposal | engine, s: median (min-max) | service, first costing after an import, s | service, further costings, s | annual cost incl. employer contributions (EUR) | payroll import of all centres, s |",
            "|---|---|---:|---:|---:|---:|---:|",
            *costing,
            "",
            "Engine: `workforce.costing.cost_proposal` over numpy columns, 12 monthly grid evaluations with and without the "
            "proposal. Service: `services.workforce.costing.cost` as federation HR: the first costing after a payroll import "
            "reads the staff columns from the database (through `StaffRepository`, hire dates as ISO text parsed by numpy); "
            "further costings over the same snapshot reuse those columns (kept per scope and newest import, no ids), and every "
            "costing writes its audit record and parses the grid from its stored revision. Synthetic payrolls on the demo's "
            "fictional grid (`synthetic/workforce.py`), SQLite (WAL).",
            "",
            "### Carbon footprint (target: a year of activity data for 20 centres under 1 s)",
            "",
            "| step | centres | activity rows | seconds: median (min-max) | tCO2e (all centres) |",
            "|---|---:|---:|---:|---:|",
            *carbon,
            "",
            "Synthetic activity data (`synthetic/carbon.py`, 21 items per centre-year in mixed units: MWh, kWh, kg, L, k€, t, km), "
            "the example factor table (`resources/carbon/factors_example.csv`).",
        ]
    )
    command = "python -m benchmarks.bench_federation" + (" --quick" if args.quick else "")
    write_section(
        "federation",
        "Federation operations: pay grid costing and carbon footprints (issue 21)",
        command,
        body,
    )
    print(body)


if __name__ == "__main__":
    main()
