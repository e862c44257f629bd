"""A small network for the tumour-board tests: the 19 centres, the demo's fictional trials (each
given a recruiting site at Curie, so a proposal can land on Curie's pre-screening lists), synthetic
patients, and helpers to find a patient with candidate trials."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from oncofed.domain import Actor, Role, TrialSite, TrialStatus
from oncofed.services.boards.access import utcnow
from oncofed.services.boards.boards import Member, create_board, create_meeting
from oncofed.services.matching.match import match_profile
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_boards import BoardRow, MeetingRow
from oncofed.store.repositories import PatientRepository, TrialRepository
from oncofed.synthetic.patients import generate_patients
from oncofed.synthetic.trials import build_demo_trials

HOME, OTHER, THIRD = "curie", "gustave-roussy", "leon-berard"
CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({HOME}), "care")
CLIN_OTHER = Actor("clin-gr", Role.CLINICIAN, frozenset({OTHER}), "care")
CLIN_THIRD = Actor("clin-lb", Role.CLINICIAN, frozenset({THIRD}), "care")
NURSE = Actor("arc-curie", Role.RESEARCH_STAFF, frozenset({HOME}), "research")
MEMBERS = [Member("Dr A", "medical_oncology"), Member("Dr B", "surgery"), Member("Dr C", "pathology")]


def build_network(db: Database, patients: int = 400) -> None:
    load_centres(db)
    centres = network_centres()
    home = next(c for c in centres if c.id == HOME)
    with db.session() as s:
        repo = TrialRepository(s)
        for trial in build_demo_trials(centres, seed=7):
            others = [site for site in trial.sites if site.centre_id != HOME]  # Curie recruits for all
            site = TrialSite(
                facility=home.name,
                status=TrialStatus.RECRUITING,
                centre_id=HOME,
                city=home.city,
                latitude=home.latitude,
                longitude=home.longitude,
            )
            trial = dataclasses.replace(trial, sites=[*others, site])
            repo.upsert(trial)
    with db.session() as s:
        PatientRepository(s, Actor.system("test")).add_rows(
            list(generate_patients(centres, patients, seed=5))
        )


def patients_with_candidates(db: Database, centre_id: str, n: int, *, cancer: str | None = None) -> list[str]:
    """`n` living, non-objecting patients of `centre_id` the pipeline finds candidate trials for."""
    with db.session() as s:
        stmt = select(PatientRow.id).where(
            PatientRow.centre_id == centre_id,
            PatientRow.research_objection.is_(False),
            PatientRow.deceased.is_(False),
        )
        if cancer:
            stmt = stmt.where(PatientRow.primary_cancer == cancer)
        ids = list(s.scalars(stmt.order_by(PatientRow.id)))
        profiles = {
            p.id: p for p in PatientRepository(s, Actor.system("test")).list(centre_id=centre_id, limit=None)
        }
    out = []
    for pid in ids:
        report = match_profile(db, profiles[pid], limit=12)
        if any(str(getattr(r.match.verdict, "value", r.match.verdict)) != "excluded" for r in report.results):
            out.append(pid)
            if len(out) == n:
                break
    assert len(out) == n, f"only {len(out)} patients of {centre_id} with candidate trials"
    return out


def board_with_meeting(
    db: Database, centre_id: str = HOME, *, site: str = "general", recourse: bool = False, actor: Actor = CLIN
) -> tuple[int, int]:
    board = create_board(
        db,
        actor,
        centre_id,
        site,
        f"RCP {site} {centre_id} {recourse}",
        actor.user_id,
        accepts_recourse=recourse,
        members=MEMBERS,
    )
    meeting = create_meeting(db, actor, board, utcnow() + timedelta(days=3))
    return board, meeting


def add_home_sites(db: Database) -> None:
    """Give every recruiting trial a recruiting site at Curie (a copy of the demo network only)."""
    from oncofed.store.models import CentreRow, TrialRow, TrialSiteRow

    with db.session() as s:
        home = s.get(CentreRow, HOME)
        for row in s.scalars(select(TrialSiteRow).where(TrialSiteRow.centre_id == HOME)):
            row.status = "RECRUITING"
        have = set(s.scalars(select(TrialSiteRow.trial_id).where(TrialSiteRow.centre_id == HOME)))
        for tid in s.scalars(select(TrialRow.id).where(TrialRow.status == "RECRUITING")):
            if tid not in have:
                s.add(
                    TrialSiteRow(
                        trial_id=tid,
                        centre_id=HOME,
                        facility=home.name,
                        status="RECRUITING",
                        city=home.city,
                        latitude=home.latitude,
                        longitude=home.longitude,
                    )
                )


def planned_breast_meeting(db: Database, centre: str = "curie") -> int:
    """The demo network's planned breast meeting at `centre` (a copy of the demo database)."""
    with db.session() as s:
        meeting = s.scalar(
            select(MeetingRow.id)
            .join(BoardRow, BoardRow.id == MeetingRow.board_id)
            .where(BoardRow.centre_id == centre, BoardRow.site == "breast", MeetingRow.status == "planned")
        )
    assert meeting is not None, f"the demo network has a planned breast meeting at {centre}"
    return int(meeting)
