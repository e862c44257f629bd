"""Pre-screening: a trial's candidates at one centre, ranked by the matching evaluator.

Results are stored per (trial, patient) with the patient's `updated_at` and a hash of the
record, plus a hash of the trial's criteria. A refresh re-evaluates only the pairs whose patient
changed (or is new), unless the trial's criteria changed, in which case every pair at the centre
is re-evaluated. Pre-screening is research use: objectors and deceased patients never appear,
whatever the caller's role, and every patient read goes through the actor-scoped repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, Trial
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.access import (
    PrescreenPatients,
    check_centre,
    research_actor,
    trial_criteria_hash,
    utcnow,
)
from oncofed.services.prescreen.engine import (  # noqa: F401  (re-exported: the seam's public names)
    CANDIDATE,
    DEFAULT_ENGINE,
    ELIGIBILITIES,
    HELD,
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
    held_texts,
)
from oncofed.services.prescreen.refresh import RefreshReport, refresh_prescreen
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import (
    PrescreenResultRow,
    PrescreenRunRow,
    PrescreenVisitRow,
    ScreeningCandidateRow,
)
from oncofed.store.repositories import CentreRepository, TrialRepository

ELIGIBILITY_ORDER = {e: k for k, e in enumerate(ELIGIBILITIES)}
VISIT_SESSION = timedelta(minutes=30)


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
    read_not_met: list[str] = field(default_factory=list)  # held back by the decision policy: to check
    # per criterion read as not met: its kinds of reading and how often each was right (odds.held_back)
    held_back: list[dict[str, Any]] = field(default_factory=list)
    wrong_chance: float | None = None  # "probably not": the chance every held-back reading is wrong
    held_kinds: str = ""  # as stored (readings.py)


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
    engine = engine or DEFAULT_ENGINE  # this module's default (one engine for the refresh and the hash)
    report = refresh_prescreen(db, trial_id, centre_id, actor, engine=engine) if refresh else None
    ractor = research_actor(actor)
    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
        centre_name = check_centre(s, ractor, trial, centre_id)
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
        stale = run is None or run.trial_hash != trial_criteria_hash(trial, engine, db)
        candidates = []
        table = odds.shipped_table()
        row_odds = odds.RowOdds(table)  # each distinct (kinds, count) of the list once
        for res, cand, name in s.execute(stmt):
            became = res.became_candidate_at
            to_check, blocking = criteria_texts(res.verdicts, labels, res.eligibility)
            held = held_texts(res.verdicts, labels)
            held_back, wrong = (
                row_odds.of(res.held_kinds, held) if res.eligibility == "unlikely" else ([], None)
            )
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
                    read_not_met=held,
                    held_back=held_back,
                    wrong_chance=wrong,
                    held_kinds=res.held_kinds or "",
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
    # within "probably not": the patients whose held-back readings are most likely wrong first (odds.py),
    # then the list's own order; the same order as the page's (paging.held_order)
    candidates.sort(
        key=lambda c: (
            ELIGIBILITY_ORDER[c.eligibility],
            odds.place_key(c.held_kinds, len(c.read_not_met), table) if c.eligibility == "unlikely" else (),
            -c.score,
            len(c.to_check),
            c.patient_id,
        )
    )
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
