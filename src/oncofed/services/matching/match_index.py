"""The match index: what the evaluator reads from each patient record (matching/features.py),
stored in `patient_match_features` and read through the actor-scoped patient repository.

A stored row is used only when its `record_hash` equals the patient's current one (set on every
write, see `store.mapping.record_hash`) and its `version` equals the running code's; otherwise the
record is read in full, its features recomputed and stored, within the caller's transaction. So
the index can be built ahead of time (`refresh_match_index`, run after imports and by the demo)
but is never trusted when stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, case, func, select, update

from oncofed.domain import Actor, PatientProfile
from oncofed.matching.features import FEATURE_COLUMNS, FEATURE_VERSION, features_of
from oncofed.store import audit
from oncofed.store.bulk import upsert
from oncofed.store.db import Database
from oncofed.store.mapping import patient_to_domain, record_hash
from oncofed.store.models import PatientRow
from oncofed.store.models_matchindex import PatientMatchFeaturesRow
from oncofed.store.repositories import PatientRepository

CHUNK = 5000
F = PatientMatchFeaturesRow


@dataclass
class IndexedPatients:
    """Living patients in scope with their stamps and stored features, as columns (same order)."""

    ids: list[str]
    centre_ids: list[str]
    updated_at: list[datetime | None]
    record_hashes: list[str]
    columns: dict[str, Sequence[Any]]
    rebuilt: int  # records whose features were (re)computed by this read

    def __len__(self) -> int:
        return len(self.ids)


def _stale() -> ColumnElement[bool]:
    """A stored row is stale when the record has no hash yet, or the row is missing, was built from
    another version of the record, or by another version of the code (FEATURE_VERSION)."""
    return (
        PatientRow.record_hash.is_(None)
        | F.record_hash.is_(None)
        | (F.record_hash != PatientRow.record_hash)
        | (F.version != FEATURE_VERSION)
    )


class MatchIndex(PatientRepository):
    """Scoped reads of the match index (the repository's centre isolation and objection rules)."""

    def _base(self) -> Select[Any]:
        cols = [getattr(F, name) for name in FEATURE_COLUMNS]
        stmt = select(
            PatientRow.id,
            PatientRow.centre_id,
            PatientRow.updated_at,
            PatientRow.record_hash,
            _stale().label("stale"),
            *cols,
        ).outerjoin(F, F.patient_id == PatientRow.id)
        return self._scoped(cast(Select[Any], stmt)).where(PatientRow.deceased.is_(False))

    def read(
        self, *, centre_id: str | None = None, ids: Sequence[str] | None = None, action: str = "match.read"
    ) -> IndexedPatients:
        """Features of the living patients of `centre_id` (or of `ids`), fresh ones computed first."""
        rows: list[Any] = []
        if ids is None:
            stmt = self._base()
            if centre_id is not None:
                stmt = stmt.where(PatientRow.centre_id == centre_id)
            rows = list(self.session.connection().execute(stmt).all())  # Core, one fetchall
        else:
            wanted = list(ids)
            for k in range(0, len(wanted), CHUNK):
                stmt = self._base().where(PatientRow.id.in_(wanted[k : k + CHUNK]))
                if centre_id is not None:
                    stmt = stmt.where(PatientRow.centre_id == centre_id)
                rows.extend(self.session.connection().execute(stmt).all())
        stale = [i for i, r in enumerate(rows) if r[4]]
        n = len(rows)
        first = 5  # the feature columns follow id, centre, stamp, hash, stale
        columns: list[list[Any]] = (
            [list(c) for c in zip(*rows, strict=True)]
            if rows
            else [[] for _ in range(first + len(FEATURE_COLUMNS))]
        )
        if stale:
            fresh = self.rebuild([rows[i][0] for i in stale])
            for i in stale:
                hash_, values = fresh[rows[i][0]]
                columns[3][i] = hash_
                for k, name in enumerate(FEATURE_COLUMNS):
                    columns[first + k][i] = values[name]
        if n and audit.audited(self.actor):
            pairs = list(zip(columns[0], columns[1], strict=True))
            audit.record_read(self.session, audit.event_for(self.actor, action, patients=pairs))
        return IndexedPatients(
            ids=columns[0],
            centre_ids=columns[1],
            updated_at=columns[2],
            record_hashes=columns[3],
            columns={name: columns[first + k] for k, name in enumerate(FEATURE_COLUMNS)},
            rebuilt=len(stale),
        )

    def profiles(self, ids: Sequence[str]) -> list[PatientProfile]:
        """Full records of `ids` (in that order), for the few representatives the evaluator reads
        in full; the read itself was audited with the index read that led to it."""
        table = cast(Table, PatientRow.__table__)
        found: dict[str, PatientProfile] = {}
        wanted = list(ids)
        for k in range(0, len(wanted), CHUNK):
            stmt = self._scoped(select(table)).where(table.c.id.in_(wanted[k : k + CHUNK]))
            for row in self.session.connection().execute(stmt).all():
                found[row.id] = patient_to_domain(cast(PatientRow, row))
        return [found[i] for i in wanted]

    def rebuild(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Recompute and store the features of `ids` (those in scope): id -> (record hash, features)."""
        ids = sorted(set(ids))  # one order for every writer: two PostgreSQL upserts cannot deadlock
        table = cast(Table, PatientRow.__table__)
        ftable = cast(Table, F.__table__)
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for k in range(0, len(ids), CHUNK):
            chunk = ids[k : k + CHUNK]
            values: list[dict[str, Any]] = []
            missing_hash: list[dict[str, Any]] = []
            for row in self.session.execute(self._scoped(select(table)).where(table.c.id.in_(chunk))):
                hash_ = row.record_hash
                if hash_ is None:
                    hash_ = record_hash(row)
                    missing_hash.append({"b_id": row.id, "b_hash": hash_})
                feats = features_of(patient_to_domain(cast(PatientRow, row))).as_row()
                out[row.id] = (hash_, feats)
                values.append(
                    {"patient_id": row.id, "record_hash": hash_, "version": FEATURE_VERSION, **feats}
                )
            if missing_hash:  # records written before hashes existed: hash them once (no new stamp)
                self.session.execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values(record_hash=bindparam("b_hash")),
                    missing_hash,
                )
            upsert(self.session, ftable, ["patient_id"], values)  # another reader may rebuild them too
        return out

    def stale_ids(self, centre_id: str | None = None) -> list[str]:
        """Living patients in scope whose stored features are missing or stale."""
        stmt = (
            select(PatientRow.id)
            .outerjoin(F, F.patient_id == PatientRow.id)
            .where(PatientRow.deceased.is_(False), _stale())
        )
        stmt = self._scoped(cast(Select[Any], stmt))
        if centre_id is not None:
            stmt = stmt.where(PatientRow.centre_id == centre_id)
        return list(self.session.scalars(stmt))


@dataclass(frozen=True)
class CentreIndexState:
    """How many living patients of a centre the match index holds, and how many of their rows are
    stale (missing, built from another version of the record or by another version of the code)."""

    centre_id: str
    patients: int
    stale: int


def match_index_state(
    db: Database, actor: Actor, centre_ids: Sequence[str] | None = None
) -> list[CentreIndexState]:
    """Per centre in scope (or of `centre_ids`), living patients and stale rows, by centre id. Counts
    only: no record is read, so nothing is audited."""
    stale = func.sum(case((_stale(), 1), else_=0))
    stmt: Select[Any] = cast(
        Select[Any],
        select(PatientRow.centre_id, func.count(), stale)
        .outerjoin(F, F.patient_id == PatientRow.id)
        .where(PatientRow.deceased.is_(False))
        .group_by(PatientRow.centre_id)
        .order_by(PatientRow.centre_id),
    )
    with db.session() as s:
        stmt = MatchIndex(s, actor)._scoped(stmt)
        if centre_ids is not None:
            stmt = stmt.where(PatientRow.centre_id.in_(list(centre_ids)))
        rows = s.execute(stmt).all()
    return [CentreIndexState(str(c), int(n), int(k or 0)) for c, n, k in rows]


def refresh_match_index(
    db: Database,
    actor: Actor,
    centre_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Bring the stored features of these centres (default: every centre in scope) up to date;
    returns how many records were recomputed. Run after imports so that the first pre-screening
    of a trial does not pay for it. `progress(done, total)` is called after each chunk."""
    with db.session() as s:
        index = MatchIndex(s, actor)
        ids: list[str] = []
        for centre_id in centre_ids if centre_ids is not None else [None]:
            ids.extend(index.stale_ids(centre_id))
    done = 0
    for k in range(0, len(ids), CHUNK):  # one transaction per chunk: progress survives an interruption
        with db.session() as s:
            done += len(MatchIndex(s, actor).rebuild(ids[k : k + CHUNK]))
        if progress is not None:
            progress(done, len(ids))
    if done:
        db.analyze()  # after a bulk rebuild: the planner's statistics (see Database.analyze)
    return done
