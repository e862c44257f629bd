"""Pre-screening: a trial's candidates at one centre, ranked by the matching evaluator.

Results are stored per (trial, patient) with the patient's `updated_at` and a hash of the
record, plus a hash of the trial's criteria. A refresh re-evaluates only the pairs whose patient
changed (or is new), unless the trial's criteria changed, in which case every pair at the centre
is re-evaluated. Pre-screening is research use: objectors and deceased patients never appear,
whatever the caller's role, and every patient read goes through the actor-scoped repository.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Select, Table, delete, func, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Trial
from oncofed.errors import NotFound, OncofedError
from oncofed.matching.features import BatchProfiles, FeatureBatch
from oncofed.services.matching.match_index import MatchIndex
from oncofed.services.prescreen.engine import (  # noqa: F401  (re-exported: the seam's public names)
    CANDIDATE,
    DEFAULT_ENGINE,
    MET,
    NOT_MET,
    UNKNOWN,
    Assessments,
    Evaluator,
    PrescreenEngine,
    VerdictMatrix,
    _candidate_verdicts,
    _criteria_fingerprint,
    assess,
    criteria_texts,
    criterion_labels,
)
from oncofed.store import audit, locks
from oncofed.store.bulk import bulk_insert
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import (
    PrescreenResultRow,
    PrescreenRunRow,
    PrescreenVisitRow,
    ScreeningCandidateRow,
)
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository

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
)
ELIGIBILITY_ORDER = {"eligible": 0, "possible": 1, "not_eligible": 2}
LOAD_BATCH = 5000
VISIT_SESSION = timedelta(minutes=30)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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


@dataclass
class Candidate:
    patient_id: str
    display_name: str
    eligibility: str
    score: float
    to_check: list[str]
    blocking: list[str]
    status: str
    version: int
    reason: str
    note: str
    updated_by: str
    updated_at: datetime | None
    is_new: bool


@dataclass
class PrescreenList:
    trial: Trial
    centre_id: str
    centre_name: str
    candidates: list[Candidate]
    last_visit_at: datetime | None
    refresh: RefreshReport | None
    counts: dict[str, int] = field(default_factory=dict)
    computed_at: datetime | None = None  # when the stored results were last brought up to date
    stale: bool = True  # never computed, or computed for other criteria or another day: refresh (POST)


# --- hashes and scoped patient reads ---------------------------------------------------------


def trial_criteria_hash(trial: Trial, engine: PrescreenEngine = DEFAULT_ENGINE) -> str:
    """What the evaluator reads from a trial: a change re-evaluates every pair of that trial."""
    payload = [trial.eligibility_text, trial.min_age_years, trial.max_age_years, trial.sex]
    # the day too: ages and washout windows move with it, so results are re-evaluated daily
    payload += [trial.extra.get("oncotree"), engine.fingerprint(trial), date.today().isoformat()]
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def research_actor(actor: Actor) -> Actor:
    """Pre-screening is research use: objectors are hidden for every role."""
    return dataclasses.replace(actor, purpose="research")


class PrescreenPatients(PatientRepository):
    """The actor-scoped patient repository with the two reads pre-screening needs."""

    def living_ids(self, centre_id: str) -> Select[Any]:
        stmt = self._scoped(select(PatientRow.id)).where(PatientRow.centre_id == centre_id)
        return stmt.where(PatientRow.deceased.is_(False))

    def stamps(
        self, centre_id: str, since: datetime | None = None
    ) -> dict[str, tuple[datetime | None, str | None]]:
        """id -> (updated_at, record hash) of the centre's living patients (updated at/after `since`)."""
        base = cast(Select[Any], select(PatientRow.id, PatientRow.updated_at, PatientRow.record_hash))
        stmt = self._scoped(base).where(PatientRow.centre_id == centre_id, PatientRow.deceased.is_(False))
        if since is not None:
            stmt = stmt.where(PatientRow.updated_at >= since)
        return {pid: (at, rhash) for pid, at, rhash in self.session.execute(stmt)}

    def audit(self, action: str, rows: Sequence[Any]) -> None:
        """Record the read in the audit log (trust area) when the repository provides one."""
        record = getattr(self, "_audit", None)
        if record is not None and rows:
            record(action, rows)


def refuse_centre(session: Session, actor: Actor, centre_id: str, what: str) -> None:
    """A centre outside the caller's scope was asked for: a security event for the DPO (written even
    though the request ends in "not found")."""
    audit.record_security(
        session, actor, "refused", centres=[centre_id], detail=f"{what}: centre outside the caller's scope"
    )


def _check_centre(session: Session, actor: Actor, trial: Trial, centre_id: str) -> str:
    centre = CentreRepository(session).get(centre_id)
    if not actor.may_read_patients_of(centre_id):
        refuse_centre(session, actor, centre_id, f"pre-screening of {trial.id}")
        raise NotFound(
            f"no centre {centre_id!r} in your scope",
            fix="pre-screen only the centres you work for (ask an administrator for access)",
        )
    if not any(s.centre_id == centre_id for s in trial.sites):
        raise NotFound(
            f"trial {trial.id} has no site at {centre.name}",
            fix=f"choose one of its centres: {', '.join(s.centre_id for s in trial.sites if s.centre_id)}",
        )
    return centre.name


# --- refresh (incremental) -------------------------------------------------------------------


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
        _check_centre(s, actor, trial, centre_id)
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


# --- the list a research nurse works from ----------------------------------------------------


def prescreen_list(
    db: Database,
    trial_id: str,
    centre_id: str,
    actor: Actor,
    *,
    refresh: bool = True,
    mark_visit: bool = True,
    engine: PrescreenEngine | None = None,
    include_not_eligible: bool = True,
) -> PrescreenList:
    """The ranked candidates, their screening status, and which are new since the user's last visit."""
    report = refresh_prescreen(db, trial_id, centre_id, actor, engine=engine) if refresh else None
    ractor = research_actor(actor)
    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
        centre_name = _check_centre(s, ractor, trial, centre_id)
        visible = PrescreenPatients(s, ractor).living_ids(centre_id)
        stmt = (
            select(PrescreenResultRow, ScreeningCandidateRow, PatientRow.display_name)
            .join(PatientRow, PatientRow.id == PrescreenResultRow.patient_id)
            .outerjoin(
                ScreeningCandidateRow,
                (ScreeningCandidateRow.trial_id == PrescreenResultRow.trial_id)
                & (ScreeningCandidateRow.patient_id == PrescreenResultRow.patient_id),
            )
            .where(
                PrescreenResultRow.trial_id == trial_id,
                PrescreenResultRow.centre_id == centre_id,
                PrescreenResultRow.patient_id.in_(visible),
            )
        )
        if not include_not_eligible:
            stmt = stmt.where(PrescreenResultRow.eligibility.in_(CANDIDATE))
        visit = s.get(PrescreenVisitRow, (actor.user_id, trial_id, centre_id))
        now = utcnow()
        # a visit is a working session: flags stay put while the user filters and screens, and
        # the reference moves on once they come back after VISIT_SESSION away
        new_session = visit is None or now - visit.last_visit_at > VISIT_SESSION
        last: datetime | None = None
        if visit is not None:
            last = visit.last_visit_at if new_session else visit.session_since
        run = s.get(PrescreenRunRow, (trial_id, centre_id))
        labels = run.labels if run is not None else None
        computed_at = run.computed_at if run is not None else None
        stale = run is None or run.trial_hash != trial_criteria_hash(trial, engine or DEFAULT_ENGINE)
        candidates = []
        for res, cand, name in s.execute(stmt):
            became = res.became_candidate_at
            to_check, blocking = criteria_texts(res.verdicts, labels, res.eligibility)
            candidates.append(
                Candidate(
                    patient_id=res.patient_id,
                    display_name=name or "",
                    eligibility=res.eligibility,
                    score=res.score,
                    to_check=to_check,
                    blocking=blocking,
                    status=cand.status if cand else "new",
                    version=cand.version if cand else 0,
                    reason=cand.reason if cand else "",
                    note=cand.note if cand else "",
                    updated_by=cand.updated_by if cand else "",
                    updated_at=cand.updated_at if cand else None,
                    is_new=became is not None and (last is None or became > last),
                )
            )
        repo = PrescreenPatients(s, ractor)
        repo.audit(
            "prescreen.list", [SimpleNamespace(id=c.patient_id, centre_id=centre_id) for c in candidates]
        )
        if mark_visit:
            if visit is None:
                s.add(
                    PrescreenVisitRow(
                        user_id=actor.user_id,
                        trial_id=trial_id,
                        centre_id=centre_id,
                        last_visit_at=now,
                        session_since=None,
                    )
                )
            else:
                if new_session:
                    visit.session_since = visit.last_visit_at
                visit.last_visit_at = now
    candidates.sort(key=lambda c: (ELIGIBILITY_ORDER[c.eligibility], -c.score, len(c.to_check), c.patient_id))
    counts = {k: sum(1 for c in candidates if c.eligibility == k) for k in ELIGIBILITY_ORDER}
    counts["new"] = sum(1 for c in candidates if c.is_new)
    return PrescreenList(trial, centre_id, centre_name, candidates, last, report, counts, computed_at, stale)


def prescreen_index(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """The (trial, centre) pairs the actor can pre-screen: recruiting trials at their centres."""
    out: list[dict[str, Any]] = []
    with db.session() as s:
        centres = {c.id: c for c in CentreRepository(s).list() if actor.may_read_patients_of(c.id)}
        runs = {(r.trial_id, r.centre_id): r for r in s.scalars(select(PrescreenRunRow))}
        for trial in TrialRepository(s).list():
            for site in trial.sites:
                if site.centre_id in centres and site.status.is_recruiting:
                    run = runs.get((trial.id, site.centre_id))
                    out.append(
                        {
                            "trial_id": trial.id,
                            "title": trial.title,
                            "centre_id": site.centre_id,
                            "centre": centres[site.centre_id].name,
                            "last_computed_at": run.computed_at.isoformat(timespec="seconds")
                            if run
                            else None,
                        }
                    )
    return out
