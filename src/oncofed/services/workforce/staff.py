"""Staff records per centre: payroll imports (transactional, every rejected row reported),
headcount and FTE per family and level, and the grid-minimum check for each centre's HR.

Every read goes through `StaffRepository` (store/workforce_repository.py): centre HR sees its own
centre only, federation HR every centre, other roles nothing; reads are audited."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from oncofed.domain import Actor
from oncofed.errors import N_, NN_, InputError, unreadable
from oncofed.ingest.payroll import read_payroll
from oncofed.ingest.tabular import Reject, decode, summary
from oncofed.services.workforce.grids import current_grid, now
from oncofed.store.db import Database
from oncofed.store.models_workforce import StaffImportRow
from oncofed.store.repositories import CentreRepository
from oncofed.store.workforce_repository import StaffRepository, latest_as_of
from oncofed.workforce.costing import StaffColumns, below_minimum

MAX_REJECTS_SHOWN = 20


@dataclass
class StaffImportReport:
    centre_id: str
    source: str
    as_of: date
    rows: int
    imported: int
    rejects: list[Reject] = field(default_factory=list)
    stored: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "centre_id": self.centre_id,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "rows": self.rows,
            "imported": self.imported,
            "rejected": len(self.rejects),
            "stored": self.stored,
            "rejects": [r.as_dict() for r in self.rejects],
        }


def import_payroll(
    db: Database, actor: Actor, raw: bytes, source: str, centre_id: str, as_of: date, *, partial: bool = False
) -> StaffImportReport:
    """Replace `centre_id`'s staff records with this export. Refused as a whole (nothing written) when
    any row is rejected, unless `partial`: then the valid rows are stored and the rejects recorded."""
    with db.session() as s:
        CentreRepository(s).get(centre_id)
        StaffRepository(s, actor).check_centre(centre_id)
    grid = current_grid(db).grid
    good, rejects = read_payroll(decode(raw, source), source, grid, as_of, centre_id)
    n_rows = len(good) + len({r.line for r in rejects})
    report = StaffImportReport(centre_id, source, as_of, n_rows, 0, rejects)
    if rejects and not partial:
        n_bad = len({r.line for r in rejects})
        raise InputError(
            NN_(
                "%(num)s problem (rows to correct: %(rows)s), nothing imported: %(listed)s",
                "%(num)s problems (rows to correct: %(rows)s), nothing imported: %(listed)s",
            ),
            file=source,
            fix=N_(
                "correct these rows, or import the valid rows only with --partial (the rejects are recorded)"
            ),
            code="staff.rejected",
            params={"num": len(rejects), "rows": n_bad, "listed": summary(rejects, MAX_REJECTS_SHOWN)},
        )
    if not good:
        raise InputError(
            N_("no valid staff row"),
            file=source,
            fix=N_("check the export (template: resources/workforce/staff_template.csv)"),
            code="staff.no_valid_row",
        )
    with db.session() as s:
        imp = StaffImportRow(
            centre_id=centre_id,
            source_file=source,
            as_of=as_of,
            imported_at=now(),
            imported_by=actor.user_id,
            rows=n_rows,
            rejected=len({r.line for r in rejects}),
            rejects=[r.as_dict() for r in rejects][:500],
        )
        report.imported = StaffRepository(s, actor).replace_centre(centre_id, good, imp)
    report.stored = True
    return report


def import_payroll_file(
    db: Database, actor: Actor, path: Path, centre_id: str, as_of: date, *, partial: bool = False
) -> StaffImportReport:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    return import_payroll(db, actor, raw, str(path), centre_id, as_of, partial=partial)


_COLUMNS_CACHE: OrderedDict[tuple[Any, ...], StaffColumns] = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def staff_columns(db: Database, actor: Actor, purpose: str, centre_id: str | None = None) -> StaffColumns:
    """The visible staff as columns. Negotiators cost many proposals over one payroll snapshot, so
    the columns (no ids, no names) are kept for the last few (scope, newest import) keys; a new
    import changes the key. Every call still writes its audit record."""
    with db.session() as s:
        repo = StaffRepository(s, actor)
        if centre_id is not None:
            repo.check_centre(centre_id)
        key = (str(db.url), *repo.snapshot_key(centre_id))
        with _CACHE_LOCK:
            cached = _COLUMNS_CACHE.get(key)
            if cached is not None:
                _COLUMNS_CACHE.move_to_end(key)
        if cached is not None:
            repo.record_aggregate(list(cached.centres), len(cached), purpose)
            return cached
        cols = repo.columns(centre_id=centre_id, purpose=purpose)
    staff = StaffColumns.from_iso(
        cols["centre_id"],
        cols["family"],
        cols["level"],
        cols["hire_date"],
        cols["fte"],
        cols["gross_monthly"],
    )
    with _CACHE_LOCK:
        _COLUMNS_CACHE[key] = staff
        while len(_COLUMNS_CACHE) > _CACHE_SIZE:
            _COLUMNS_CACHE.popitem(last=False)
    return staff


def headcount(db: Database, actor: Actor, centre_id: str | None = None) -> list[dict[str, Any]]:
    """Staff and FTE per (centre, family, level) for the centres the actor may see."""
    staff = staff_columns(db, actor, "headcount", centre_id)
    if not len(staff):
        return []
    n_levels = len(staff.level_keys)
    groups = staff.centre.astype(np.int64) * n_levels + staff.level
    heads = np.bincount(groups, minlength=len(staff.centres) * n_levels)
    ftes = np.bincount(groups, weights=staff.fte, minlength=heads.size)
    out = []
    for g in np.flatnonzero(heads):
        c, lv = divmod(int(g), n_levels)
        fam, level = staff.level_keys[lv]
        out.append(
            {
                "centre_id": staff.centres[c],
                "family": fam,
                "level": level,
                "staff": int(heads[g]),
                "fte": round(float(ftes[g]), 2),
            }
        )
    return out


def compliance(
    db: Database, actor: Actor, day: date | None = None, centre_id: str | None = None
) -> dict[str, Any]:
    """Per centre: staff paid under the grid minimum on `day` (default: each centre's export date).
    Counts for every visible centre; the flagged employees themselves only for a centre the actor
    works for (centre HR, or the CLI operator), read as records (audited with their ids)."""
    grid = current_grid(db).grid
    staff = staff_columns(db, actor, "compliance", centre_id)
    summary, flagged = [], []
    with db.session() as s:
        dates = {c: (day or latest_as_of(s, c) or date.today()) for c in staff.centres}
    for c_idx, centre in enumerate(staff.centres):
        mask_c = staff.centre == c_idx
        sub = StaffColumns(
            staff.centres,
            staff.families,
            staff.level_keys,
            staff.centre[mask_c],
            staff.family[mask_c],
            staff.level[mask_c],
            staff.hire_year[mask_c],
            staff.hire_md[mask_c],
            staff.fte[mask_c],
            staff.gross_monthly[mask_c],
        )
        under, minimum = below_minimum(grid, sub, dates[centre])
        summary.append(
            {
                "centre_id": centre,
                "on": dates[centre].isoformat(),
                "staff": int(mask_c.sum()),
                "below_minimum": int(under.sum()),
                "shortfall_monthly": round(float((minimum - sub.gross_monthly)[under].sum()), 2),
            }
        )
        if under.any() and (centre in actor.centre_ids or actor.all_centres and actor.role.value == "system"):
            flagged.append((centre, dates[centre]))
    details: list[dict[str, Any]] = []
    if flagged:
        with db.session() as s:
            repo = StaffRepository(s, actor)
            for centre, on in flagged:
                records = repo.records(centre_id=centre)
                cols = StaffColumns.from_records(records)
                under, minimum = below_minimum(grid, cols, on)
                for k in np.flatnonzero(under):
                    r = records[int(k)]
                    details.append(
                        {
                            "centre_id": centre,
                            "staff_id": r.staff_id,
                            "family": r.family,
                            "level": r.level,
                            "hire_date": r.hire_date.isoformat(),
                            "fte": r.fte,
                            "gross_monthly": r.gross_monthly,
                            "minimum_monthly": round(float(minimum[k]), 2),
                            "gap_monthly": round(float(minimum[k] - r.gross_monthly), 2),
                        }
                    )
    return {"grid": grid.name, "fictional": grid.fictional, "centres": summary, "flagged": details}


def imports(db: Database, actor: Actor) -> list[dict[str, Any]]:
    with db.session() as s:
        return [
            {
                "id": r.id,
                "centre_id": r.centre_id,
                "source_file": r.source_file,
                "as_of": r.as_of.isoformat(),
                "imported_at": r.imported_at.isoformat(timespec="seconds"),
                "imported_by": r.imported_by,
                "rows": r.rows,
                "rejected": r.rejected,
            }
            for r in StaffRepository(s, actor).imports()
        ]
