"""Refreshing a pre-screening list: the stored results of (trial, centre) brought up to date, only the
records that changed evaluated (a full pass when the trial's criteria or the day changed)."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, select

from oncofed.domain import Actor
from oncofed.errors import OncofedError
from oncofed.matching.features import BatchProfiles, FeatureBatch
from oncofed.services.matching.match_index import MatchIndex
from oncofed.services.prescreen.access import (
    PrescreenPatients,
    check_centre,
    research_actor,
    trial_criteria_hash,
    utcnow,
)
from oncofed.services.prescreen.engine import (
    CANDIDATE,
    DEFAULT_ENGINE,
    PrescreenEngine,
    assess,
    criterion_labels,
)
from oncofed.store import locks
from oncofed.store.bulk import bulk_insert
from oncofed.store.db import Database
from oncofed.store.models_prescreen import PrescreenResultRow, PrescreenRunRow
from oncofed.store.repositories import TrialRepository

RESULT_COLUMNS = (
    "trial_id",
    "patient_id",
    "centre_id",
    "eligibility",
    "score",
    "n_met",
    "n_unknown",
    "n_not_met",
    "verdicts",
    "patient_hash",
    "patient_updated_at",
    "first_seen_at",
    "became_candidate_at",
    "held_kinds",
)
LOAD_BATCH = 5000


@dataclass
class RefreshReport:
    trial_id: str
    centre_id: str
    patients: int
    evaluated: int
    removed: int
    new_candidates: int
    full: bool
    seconds: float


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading a centre allocates ~15 small objects per patient fact and keeps them alive: CPython's
    generational collector would rescan that growing heap again and again (measured: more than half
    of the reading time at 5,000 patients, worse as the centre grows). Nothing here builds cycles
    that must be freed before the end, so the cyclic collector waits until the pass is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def refresh_prescreen(
    db: Database,
    trial_id: str,
    centre_id: str,
    actor: Actor,
    *,
    engine: PrescreenEngine | None = None,
    force: bool = False,
) -> RefreshReport:
    """Bring the stored results of `trial_id` at `centre_id` up to date; evaluate only what changed.

    Full pass (first run, trial criteria or day changed, `force`): every living, non-objecting
    patient of the centre, read from the match index (services/matching/match_index.py: a few hundred bytes
    of evaluator features per patient, recomputed first for records that changed since). Incremental
    pass: only patients whose `updated_at` (the database's own clock) is at or after the newest stamp
    already evaluated, i.e. new or changed records; among those the record hash decides (SQLite's
    CURRENT_TIMESTAMP has one-second resolution, so a record touched in the same second is
    re-hashed, not missed). Patients who object, die or are deleted after evaluation are hidden at
    read time (and deleted rows cascade); the next full pass removes their stale rows."""
    started = time.perf_counter()
    engine = engine or DEFAULT_ENGINE
    actor = research_actor(actor)
    now = utcnow()
    with _no_cyclic_gc(), db.session() as s:
        # two refreshes of one list at once (two nurses, two tabs): the second waits for the first
        # and then sees its rows, instead of inserting the same rows again
        locks.hold(s, f"prescreen:{trial_id}:{centre_id}")
        trial = TrialRepository(s).get(trial_id)
        check_centre(s, actor, trial, centre_id)
        thash = trial_criteria_hash(trial, engine)
        run = s.get(PrescreenRunRow, (trial_id, centre_id))
        full = force or run is None or run.trial_hash != thash
        repo = PrescreenPatients(s, actor)
        index = MatchIndex(s, actor)
        mine = (PrescreenResultRow.trial_id == trial_id) & (PrescreenResultRow.centre_id == centre_id)
        stored_stmt = select(
            PrescreenResultRow.patient_id,
            PrescreenResultRow.patient_updated_at,
            PrescreenResultRow.patient_hash,
            PrescreenResultRow.eligibility,
            PrescreenResultRow.first_seen_at,
            PrescreenResultRow.became_candidate_at,
        ).where(mine)
        stored: dict[str, tuple[Any, ...]] = {}
        if full:
            data = index.read(centre_id=centre_id, action="prescreen.evaluate")
            stored = {r[0]: tuple(r[1:]) for r in s.execute(stored_stmt)}
            visible = set(data.ids)
            gone = [pid for pid in stored if pid not in visible]
        else:
            watermark = s.scalar(select(func.max(PrescreenResultRow.patient_updated_at)).where(mine))
            # one second earlier: SQLite compares these as text, and CURRENT_TIMESTAMP ("...:03")
            # sorts before the same instant written by Python ("...:03.000000")
            since = watermark - timedelta(seconds=1) if watermark is not None else None
            stamps = repo.stamps(centre_id, since=since)
            ids = list(stamps)
            for k in range(0, len(ids), LOAD_BATCH):
                chunk = stored_stmt.where(PrescreenResultRow.patient_id.in_(ids[k : k + LOAD_BATCH]))
                stored.update({r[0]: tuple(r[1:]) for r in s.execute(chunk)})
            changed = [
                pid
                for pid, (_, rhash) in stamps.items()
                if rhash is None or pid not in stored or stored[pid][1] != rhash
            ]
            data = index.read(centre_id=centre_id, ids=changed, action="prescreen.evaluate")
            gone = []
        evaluated = len(data)
        matrix = None
        if evaluated:
            batch = FeatureBatch.from_columns(
                data.ids, data.columns, lambda idx: index.profiles([data.ids[i] for i in idx])
            )
            matrix = engine.evaluate(trial, BatchProfiles(batch))
        a = assess(matrix) if matrix is not None else None
        if a is not None and len(a) != evaluated:
            raise OncofedError(
                f"the evaluator returned {len(a)} results for {evaluated} patients",
                fix="report this as a bug of the matching engine",
            )
        new_candidates = 0
        values: list[tuple[Any, ...]] = []
        if a is not None:
            for j, pid in enumerate(data.ids):
                eligibility = a.eligibility[j]
                before = stored.get(pid)
                became: Any = None
                if eligibility in CANDIDATE:
                    if before is None or before[2] not in CANDIDATE:
                        became = now
                        new_candidates += 1
                    else:
                        became = before[4]  # still a candidate: keep the date it first became one
                values.append(
                    (
                        trial_id,
                        pid,
                        centre_id,
                        eligibility,
                        a.score[j],
                        a.n_met[j],
                        a.n_unknown[j],
                        a.n_not_met[j],
                        a.verdicts[j],
                        data.record_hashes[j],
                        data.updated_at[j],
                        before[3] if before else now,
                        became,
                        a.held_kinds[j] if a.held_kinds is not None else "",
                    )
                )
        stale = gone + [pid for pid in data.ids if pid in stored] if stored else gone
        table = cast(Table, PrescreenResultRow.__table__)
        for k in range(0, len(stale), LOAD_BATCH):
            s.execute(
                delete(table).where(
                    table.c.trial_id == trial_id, table.c.patient_id.in_(stale[k : k + LOAD_BATCH])
                )
            )
        bulk_insert(s, table, RESULT_COLUMNS, values)
        total = len(data) if full else int(s.scalar(select(func.count()).select_from(table).where(mine)) or 0)
        seconds = time.perf_counter() - started
        if run is None:
            run = PrescreenRunRow(trial_id=trial_id, centre_id=centre_id)
            s.add(run)
        run.trial_hash, run.computed_at, run.evaluated, run.seconds = thash, now, len(values), seconds
        if matrix is not None:
            run.labels = criterion_labels(matrix)
        elif full:
            run.labels = []
    report = RefreshReport(trial_id, centre_id, total, len(values), len(gone), new_candidates, full, seconds)
    if new_candidates:
        from oncofed.services.prescreen.notify import notify_new_candidates

        notify_new_candidates(db, trial_id, centre_id, new_candidates)
    return report
