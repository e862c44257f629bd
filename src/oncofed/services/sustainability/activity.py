"""Yearly activity data per centre: imported from CSV (refused as a whole when a row is wrong),
each (centre, year) in the file replacing what was stored for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select

from oncofed.domain.carbon import Activity
from oncofed.errors import unreadable
from oncofed.ingest.carbon import read_activities
from oncofed.ingest.tabular import decode
from oncofed.services.sustainability.factors import factor_set
from oncofed.store.db import Database
from oncofed.store.models import CentreRow
from oncofed.store.models_carbon import CarbonActivityRow


@dataclass
class ActivityImport:
    source: str
    rows: int
    centre_years: list[tuple[str, int]]
    factor_version: str

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "factor_version": self.factor_version,
            "centre_years": [{"centre_id": c, "year": y} for c, y in self.centre_years],
        }


def import_activities(
    db: Database, raw: bytes, source: str, factor_version: str | None = None
) -> ActivityImport:
    fs = factor_set(db, factor_version)
    with db.session() as s:
        centres = set(s.scalars(select(CentreRow.id)))
    activities = read_activities(decode(raw, source), source, fs.factors, centres)
    return store_activities(db, activities, source, fs.version)


def store_activities(
    db: Database, activities: list[Activity], source: str, factor_version: str = ""
) -> ActivityImport:
    pairs = sorted({(a.centre_id, a.year) for a in activities})
    with db.session() as s:
        s.execute(
            delete(CarbonActivityRow).where(
                or_(*(and_(CarbonActivityRow.centre_id == c, CarbonActivityRow.year == y) for c, y in pairs))
            )
        )
        s.execute(
            insert(CarbonActivityRow),
            [
                {
                    "centre_id": a.centre_id,
                    "year": a.year,
                    "category": a.category,
                    "item": a.item,
                    "quantity": a.quantity,
                    "unit": a.unit,
                    "source_file": source,
                    "row_number": a.line,
                }
                for a in activities
            ],
        )
    return ActivityImport(source, len(activities), pairs, factor_version)


def import_activity_file(db: Database, path: Path, factor_version: str | None = None) -> ActivityImport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    return import_activities(db, raw, str(path), factor_version)


def stored_activities(
    db: Database, *, year: int | None = None, centre_id: str | None = None
) -> list[Activity]:
    stmt = select(
        CarbonActivityRow.centre_id,
        CarbonActivityRow.year,
        CarbonActivityRow.category,
        CarbonActivityRow.item,
        CarbonActivityRow.quantity,
        CarbonActivityRow.unit,
        CarbonActivityRow.row_number,
    )
    if year is not None:
        stmt = stmt.where(CarbonActivityRow.year == year)
    if centre_id is not None:
        stmt = stmt.where(CarbonActivityRow.centre_id == centre_id)
    with db.session() as s:
        return [Activity(*r) for r in s.execute(stmt)]


def years(db: Database) -> list[int]:
    with db.session() as s:
        return sorted(set(s.scalars(select(CarbonActivityRow.year).distinct())))
