"""The pay grid: load a document as a new revision (every earlier one kept), read the current one,
and the grid in force on a date as rows for pages, CSV and the CLI."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.domain.workforce import ALL_FAMILIES, Grid
from oncofed.errors import N_, NotFound
from oncofed.resources import resource_path
from oncofed.services.workforce.documents import read_document
from oncofed.store.db import Database
from oncofed.store.models_workforce import PayGridRow
from oncofed.workforce.grid import parse_grid

DEMO_GRID = "workforce/demo_grid.yaml"


@dataclass(frozen=True)
class GridRevision:
    id: int
    grid: Grid
    source_file: str
    loaded_at: datetime
    loaded_by: str


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def cli_user() -> str:
    return f"cli:{getpass.getuser()}"


def load_grid(db: Database, doc: Any, source: str, loaded_by: str) -> GridRevision:
    """Check `doc` (every problem named; nothing stored when one is found), store it as the current grid."""
    grid = parse_grid(doc, source)
    from oncofed.workforce.grid import grid_document

    with db.session() as s:
        row = PayGridRow(
            name=grid.name,
            fictional=grid.fictional,
            source_file=source,
            document=grid_document(grid),
            loaded_at=now(),
            loaded_by=loaded_by,
        )
        s.add(row)
        s.flush()
        return GridRevision(row.id, grid, source, row.loaded_at, loaded_by)


def load_grid_file(db: Database, path: Path, loaded_by: str) -> GridRevision:
    return load_grid(db, read_document(path), str(path), loaded_by)


def load_demo_grid(db: Database) -> GridRevision:
    path = resource_path(DEMO_GRID)
    return load_grid(db, read_document(path), "oncofed/resources/" + DEMO_GRID, "demo build")


def current_grid(db: Database, revision: int | None = None) -> GridRevision:
    with db.session() as s:
        stmt = select(PayGridRow).order_by(PayGridRow.id.desc()).limit(1)
        if revision is not None:
            stmt = select(PayGridRow).where(PayGridRow.id == revision)
        row = s.scalar(stmt)
        if row is None:
            raise NotFound(
                N_("no pay grid loaded") if revision is None else N_("no grid revision %(revision)s"),
                fix=N_("load the grid with `oncofed grid load FILE` (the demo ships a fictional one)"),
                code="grid.none" if revision is None else "grid.unknown_revision",
                params={} if revision is None else {"revision": revision},
            )
        return GridRevision(
            row.id,
            parse_grid(row.document, f"grid revision {row.id}"),
            row.source_file,
            row.loaded_at,
            row.loaded_by,
        )


def grid_revisions(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.execute(
            select(
                PayGridRow.id,
                PayGridRow.name,
                PayGridRow.fictional,
                PayGridRow.source_file,
                PayGridRow.loaded_at,
                PayGridRow.loaded_by,
            ).order_by(PayGridRow.id.desc())
        )
        return [dict(r._mapping) for r in rows]


def grid_on(grid: Grid, day: date) -> dict[str, Any]:
    """The grid in force on `day`: levels with their full-time base pay at hire, steps, allowances."""
    pv = grid.point_value_on(day)
    names = {f.code: f for f in grid.families}
    levels = [
        {
            "family": fam,
            "family_en": names[fam].name_en,
            "family_fr": names[fam].name_fr,
            "level": lv,
            "coefficient": coef,
            "point_value": pv,
            "base_monthly": round(coef * pv, 2) if pv else None,
        }
        for (fam, lv), coef in sorted(grid.levels_on(day).items())
    ]
    steps = [
        {
            "family": s.family,
            "after_years": s.after_years,
            "points": s.points,
            "monthly": round(s.points * pv, 2) if pv else None,
            "from": s.period.start.isoformat(),
        }
        for s in sorted(grid.steps_on(day), key=lambda s: (s.family != ALL_FAMILIES, s.family, s.after_years))
    ]
    allowances = [
        {
            "code": a.code,
            "name_en": a.name_en,
            "name_fr": a.name_fr,
            "family": a.family,
            "kind": a.kind.value,
            "value": a.value,
            "from": a.period.start.isoformat(),
        }
        for a in grid.allowances_on(day)
    ]
    return {
        "day": day.isoformat(),
        "point_value": pv,
        "levels": levels,
        "steps": steps,
        "allowances": allowances,
        "versions": [d.isoformat() for d in grid.change_dates()],
    }


def actor_label(actor: Actor) -> str:
    return actor.user_id
