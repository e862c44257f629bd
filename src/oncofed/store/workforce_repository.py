"""Staff records are personal data: every read goes through `StaffRepository(session, actor)`,
which filters by the actor's centres exactly as `PatientRepository` does for patients.

- federation HR (and the platform's own jobs) see every centre; centre HR only its own centres;
  every other role sees no staff record at all;
- a record or centre outside the scope is "not found", never "forbidden";
- reads are written to the audit log (store/audit.py): record-level reads name the ids read,
  aggregate reads (headcounts, costing) name the centres and the number of records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from oncofed.domain.actor import STAFF_LEVEL_ROLES, Actor, Role
from oncofed.domain.workforce import StaffRecord
from oncofed.errors import NotFound
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.models_workforce import StaffImportRow, StaffRecordRow


def _all_centres(actor: Actor) -> bool:
    return actor.role in (Role.FEDERATION_HR, Role.SYSTEM) and (
        actor.role is Role.FEDERATION_HR or actor.all_centres
    )


class StaffRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor

    def may_see(self, centre_id: str) -> bool:
        if self.actor.role not in STAFF_LEVEL_ROLES:
            return False
        return _all_centres(self.actor) or centre_id in self.actor.centre_ids

    def _scoped(self, stmt: Any) -> Any:  # a Select of any columns
        if self.actor.role not in STAFF_LEVEL_ROLES:
            return stmt.where(StaffRecordRow.staff_id.is_(None))
        if not _all_centres(self.actor):
            stmt = stmt.where(StaffRecordRow.centre_id.in_(sorted(self.actor.centre_ids)))
        return stmt

    def check_centre(self, centre_id: str) -> None:
        """NotFound unless the actor may see `centre_id`'s staff (same answer as a missing centre)."""
        if not self.may_see(centre_id):
            raise NotFound(
                f"no staff records of centre {centre_id!r} in your scope",
                fix="choose one of your own centres",
            )

    def visible_centres(self, centre_ids: Sequence[str]) -> list[str]:
        return [c for c in centre_ids if self.may_see(c)]

    def records(self, *, centre_id: str | None = None, ids: Sequence[str] | None = None) -> list[StaffRecord]:
        """Record-level read (audited with the ids read)."""
        stmt = self._scoped(select(StaffRecordRow)).order_by(
            StaffRecordRow.centre_id, StaffRecordRow.staff_id
        )
        if centre_id is not None:
            stmt = stmt.where(StaffRecordRow.centre_id == centre_id)
        if ids is not None:
            stmt = stmt.where(StaffRecordRow.staff_id.in_(list(ids)))
        rows = list(self.session.scalars(stmt))
        if rows and audit.audited(self.actor):
            pairs = [(r.staff_id, r.centre_id) for r in rows]
            audit.record_read(
                self.session,
                audit.event_for(self.actor, "staff.read", patients=pairs, detail=coded("staff.read")),
            )
        return [
            StaffRecord(r.staff_id, r.centre_id, r.family, r.level, r.hire_date, r.fte, r.gross_monthly)
            for r in rows
        ]

    def columns(self, *, centre_id: str | None = None, purpose: str = "aggregate") -> dict[str, list[Any]]:
        """Every visible record as columns (no ids), for aggregates (costing, headcounts): the hire
        date as ISO text. Audited as one aggregate read naming the centres and the number of records."""
        cols = [
            StaffRecordRow.centre_id,
            StaffRecordRow.family,
            StaffRecordRow.level,
            cast(StaffRecordRow.hire_date, String(10)),  # ISO text on both databases, parsed by numpy in C
            StaffRecordRow.fte,
            StaffRecordRow.gross_monthly,
        ]
        stmt = self._scoped(select(*cols))
        if centre_id is not None:
            stmt = stmt.where(StaffRecordRow.centre_id == centre_id)
        # Core execution (no ORM row loading): a few hundred thousand rows are read in about a second
        rows = self.session.connection().execute(stmt).all()
        names = ("centre_id", "family", "level", "hire_date", "fte", "gross_monthly")
        out: dict[str, list[Any]] = (
            {n: list(c) for n, c in zip(names, zip(*rows, strict=True), strict=True)}
            if rows
            else {n: [] for n in names}
        )
        if rows:
            self.record_aggregate(sorted(set(out["centre_id"])), len(rows), purpose)
        return out

    def record_aggregate(self, centres: Sequence[str], n_records: int, purpose: str) -> None:
        """The audit record of an aggregate read (also written when the columns come from a cache)."""
        if n_records and audit.audited(self.actor):
            event = audit.event_for(
                self.actor,
                "staff.aggregate",
                detail=coded("staff.aggregate", purpose=purpose, records=n_records),
            )
            event.centre_ids = " ".join(centres)
            event.n_records = n_records
            audit.record_read(self.session, event)

    def snapshot_key(self, centre_id: str | None = None) -> tuple[Any, ...]:
        """Identifies the visible staff data: the scope and the newest import (a new import changes it)."""
        newest = self.session.execute(
            select(StaffImportRow.id, StaffImportRow.imported_at).order_by(StaffImportRow.id.desc()).limit(1)
        ).first()  # id and time: a database rebuilt at the same path restarts its ids, not its clock
        scope = "*" if _all_centres(self.actor) else tuple(sorted(self.actor.centre_ids))
        return (self.actor.role in STAFF_LEVEL_ROLES, scope, centre_id, tuple(newest) if newest else None)

    def count_by_centre(self) -> dict[str, int]:
        stmt = self._scoped(select(StaffRecordRow.centre_id, func.count()).group_by(StaffRecordRow.centre_id))
        return {c: int(n) for c, n in self.session.execute(stmt)}

    def replace_centre(
        self, centre_id: str, records: Sequence[dict[str, Any]], import_row: StaffImportRow
    ) -> int:
        """Replace `centre_id`'s staff by a new payroll snapshot (one transaction with the caller's)."""
        self.check_centre(centre_id)
        self.session.add(import_row)
        self.session.flush()
        self.session.execute(delete(StaffRecordRow).where(StaffRecordRow.centre_id == centre_id))
        rows = [{**r, "centre_id": centre_id, "import_id": import_row.id} for r in records]
        for start in range(0, len(rows), 5000):
            self.session.execute(insert(StaffRecordRow), rows[start : start + 5000])
        return len(rows)

    def imports(self, *, centre_id: str | None = None) -> list[StaffImportRow]:
        stmt = select(StaffImportRow).order_by(StaffImportRow.id.desc())
        if self.actor.role not in STAFF_LEVEL_ROLES:
            return []
        if not _all_centres(self.actor):
            stmt = stmt.where(StaffImportRow.centre_id.in_(sorted(self.actor.centre_ids)))
        if centre_id is not None:
            stmt = stmt.where(StaffImportRow.centre_id == centre_id)
        return list(self.session.scalars(stmt))


def latest_as_of(session: Session, centre_id: str) -> date | None:
    return session.scalar(
        select(StaffImportRow.as_of)
        .where(StaffImportRow.centre_id == centre_id)
        .order_by(StaffImportRow.id.desc())
        .limit(1)
    )
