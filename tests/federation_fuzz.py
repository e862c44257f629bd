"""The issue-21 importers for the fuzzing harness (tests/fuzzing.py): payroll exports, carbon
activity data and emission factor tables, each with a valid seed file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from oncofed.domain import Actor
from oncofed.errors import NotFound
from oncofed.resources import resource_path
from oncofed.store.db import Database

PAYROLL_CSV = (
    b"staff_id,family,level,hire_date,fte,gross_monthly\n"
    b"E0000001,NUR,N2,2015-09-01,1.0,2450.00\nE0000002,ADM,D1,2022-03-14,0.8,1420.50\nE0000003,TEC,T3,1999-01-04,0.5,1400\n"
)
ACTIVITY_CSV = (
    "centre,year,category,item,quantity,unit\ncurie,2025,energy,electricity,12.4,GWh\n"
    "curie,2025,anaesthetic_gas,sevoflurane,310,kg\ncurie,2025,purchase,medicines,1200,k€\ncurie,2025,activity,beds,380,bed\n"
).encode()


def _grid(db: Database) -> None:
    from oncofed.services.workforce.grids import current_grid, load_demo_grid

    try:
        current_grid(db)
    except NotFound:
        load_demo_grid(db)


def _payroll(db: Database, path: Path) -> Any:
    from oncofed.services.workforce.staff import import_payroll_file

    _grid(db)
    return import_payroll_file(db, Actor.system("fuzz"), path, "curie", date(2025, 12, 1))


def _activity(db: Database, path: Path) -> Any:
    from oncofed.services.sustainability.activity import import_activity_file
    from oncofed.services.sustainability.factors import load_example_factors

    load_example_factors(db)
    return import_activity_file(db, path)


def _factors(db: Database, path: Path) -> Any:
    from oncofed.services.sustainability.factors import load_factor_file

    return load_factor_file(db, path, "fuzz", version=f"fuzz-{path.stat().st_mtime_ns}")


def federation_importers() -> dict[str, tuple[Callable[[Database, Path], Any], dict[str, bytes], list[str]]]:
    return {
        "payroll": (_payroll, {"payroll.csv": PAYROLL_CSV}, ["staff_records", "staff_imports"]),
        "carbon activity": (_activity, {"activity.csv": ACTIVITY_CSV}, ["carbon_activities"]),
        "emission factors": (
            _factors,
            {"factors.csv": resource_path("carbon/factors_example.csv").read_bytes()},
            ["carbon_factor_sets", "carbon_factors"],
        ),
    }
