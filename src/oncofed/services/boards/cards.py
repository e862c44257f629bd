"""Case cards: the patient summary (facts with provenance) and the candidate trials re-matched by
the match pipeline (services/matching/match.py) at the moment the agenda is frozen, each with the
criteria still to check; trials that were not candidates at the patient's previous case are new."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, GeoPoint, PatientProfile
from oncofed.errors import N_, InputError
from oncofed.matching.pipeline import MatchReport, match_patient
from oncofed.matching.retrieve import TrialIndex
from oncofed.services.boards.access import require_board_staff, trail, utcnow
from oncofed.services.boards.boards import get_meeting
from oncofed.services.matching.dense import rerank_enabled
from oncofed.services.matching.match import match_profile, prepare_stored_profiles, trial_index
from oncofed.store.db import Database
from oncofed.store.mapping import fact_from_json, fact_to_json
from oncofed.store.models import PatientRow
from oncofed.store.models_boards import CaseRow
from oncofed.store.repositories import PatientRepository

MATCH_LIMIT = 12  # trials re-matched per case; the excluded ones are dropped from the card
SUMMARY_SKIP = ("note", "record_field")  # note texts stay in the record: the card cites them
PATIENT_FIELDS = ("sex", "birth_date", "age_years", "primary_cancer", "stage", "ecog", "home_city")


def snapshot_of(profile: PatientProfile, taken_by: str) -> dict[str, Any]:
    """What the board sees of the patient: fields and facts, each fact with its provenance."""
    fields = {k: getattr(profile, k) for k in PATIENT_FIELDS}
    fields["birth_date"] = profile.birth_date.isoformat() if profile.birth_date else None
    if profile.home is not None:
        fields["latitude"], fields["longitude"] = profile.home.latitude, profile.home.longitude
    return {
        "patient": fields,
        "facts": [fact_to_json(f) for f in profile.facts if f.kind not in SUMMARY_SKIP],
        "taken_at": utcnow().isoformat(timespec="seconds"),
        "taken_by": taken_by,
    }


def profile_from_snapshot(snapshot: dict[str, Any], patient_id: str, centre_id: str) -> PatientProfile:
    p = snapshot.get("patient") or {}
    home = None
    if p.get("latitude") is not None and p.get("longitude") is not None:
        home = GeoPoint(float(p["latitude"]), float(p["longitude"]))
    return PatientProfile(
        id=patient_id,
        centre_id=centre_id,
        sex=p.get("sex"),
        birth_date=date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
        age_years=p.get("age_years"),
        primary_cancer=p.get("primary_cancer"),
        stage=p.get("stage"),
        ecog=p.get("ecog"),
        home=home,
        home_city=p.get("home_city") or "",
        facts=[fact_from_json(f) for f in snapshot.get("facts") or []],
    )


def _value(x: Any) -> str:
    return str(getattr(x, "value", x))


def candidates_from_report(report: MatchReport, previous: set[str] | None = None) -> list[dict[str, Any]]:
    """The trials of a match report that are not excluded, in the pipeline's order, each with what
    is still to check (`held_back`: read as not met, a reading not trusted to exclude), what the data
    says against it and what it meets (public report fields only)."""
    out: list[dict[str, Any]] = []
    for rt in report.results:
        m, trial = rt.match, rt.trial
        verdict = _value(m.verdict)
        if verdict == "excluded":
            continue
        to_check, against, met = [], [], []
        for o in m.outcomes:
            item = {
                "section": _value(o.criterion.section),
                "criterion": o.criterion.text,
                "sentence": o.sentence,
                "checks": list(o.checks),
                "investigator": bool(o.investigator),
                "held_back": bool(o.held_back),
            }
            if _value(o.outcome) == "unknown":
                to_check.append(item)
            elif _value(o.outcome) == "violated":
                against.append(item)
            elif _value(o.outcome) == "satisfied":
                met.append(item)
        site = m.nearest_site
        out.append(
            {
                "trial_id": trial.id,
                "title": trial.title,
                "phases": list(trial.phases),
                "verdict": verdict,
                # unknown with a criterion read as not met and held back: "probably not — to check"
                "probably_not": bool(getattr(m, "probably_not", False)),
                "cohort": m.cohort,
                "score": round(float(m.score), 4),
                "site_centre_id": site.centre_id if site else None,
                "site": site.facility if site else "",
                "site_city": site.city if site else "",
                "distance_km": round(m.distance_km, 1) if m.distance_km is not None else None,
                "network_sites": sorted(
                    {s.centre_id for s in trial.sites if s.centre_id and s.status.is_recruiting}
                ),
                "to_check": to_check,
                "against": against,
                "met": met,
                "new": previous is not None and trial.id not in previous,
            }
        )
    return out


def previous_candidates(s: Session, case: CaseRow) -> set[str] | None:
    """The candidate trials of the patient's previous case (None for a first case)."""
    if case.previous_case_id is None:
        return None
    prev = s.get(CaseRow, case.previous_case_id)
    return {c["trial_id"] for c in (prev.candidates or [])} if prev is not None else None


def previous_candidates_of(s: Session, cases: list[CaseRow]) -> dict[int, set[str] | None]:
    """`previous_candidates` of every case of an agenda in one query, read before any card is
    written (one `session.get` per case would flush the cards written so far, case after case)."""
    wanted = {c.previous_case_id for c in cases if c.previous_case_id is not None}
    found: dict[int, set[str]] = {}
    if wanted:
        for cid, cands in s.execute(select(CaseRow.id, CaseRow.candidates).where(CaseRow.id.in_(wanted))):
            found[cid] = {c["trial_id"] for c in (cands or [])}
    return {c.id: found.get(c.previous_case_id) if c.previous_case_id is not None else None for c in cases}


def prepare_card_text(db: Database, s: Session, profile: PatientProfile, on: date) -> None:
    """When a case is put on a meeting's agenda (dense layer on), encode now the text it will be
    matched by on the meeting day: its vectors are stored with the patient, so the freeze reads the
    agenda's vectors back instead of encoding 40 records at once (about 1.5 s of model time on one
    core); a record changed since is encoded again at the freeze. Runs before the caller writes
    anything, so no write lock is held while the model runs."""
    if rerank_enabled():
        prepare_stored_profiles(db, s, [profile], on)


def match_case(
    db: Database, profile: PatientProfile, on: date, index: TrialIndex | None = None
) -> list[dict[str, Any]]:
    """The case's candidate trials for the meeting day: `match_profile`, on the index given (an agenda
    takes the open-trial index once instead of checking it is current for every case)."""
    if index is None:
        return candidates_from_report(match_profile(db, profile, day=on, limit=MATCH_LIMIT))
    return candidates_from_report(match_patient(index, profile, day=on, limit=MATCH_LIMIT))


def _mark_new(cands: list[dict[str, Any]], previous: set[str] | None) -> list[str]:
    new = []
    for c in cands:
        c["new"] = previous is not None and c["trial_id"] not in previous
        if c["new"]:
            new.append(c["trial_id"])
    return new


def card_profile(s: Session, actor: Actor, case: CaseRow) -> tuple[PatientProfile, str]:
    """The profile a card is built from: the record itself for the patient's own centre (read through
    the actor-scoped repository, audited), the card the referring centre sent for a recourse case."""
    if actor.may_read_patients_of(case.patient_centre_id):
        profile = PatientRepository(s, actor).get(case.patient_id)
        rhash = s.scalar(select(PatientRow.record_hash).where(PatientRow.id == case.patient_id)) or ""
        return profile, rhash
    return profile_from_snapshot(
        case.snapshot or {}, case.patient_id, case.patient_centre_id
    ), case.snapshot_hash


@dataclass
class FreezeReport:
    meeting_id: int
    cases: int
    candidates: int
    new_trials: int
    seconds: float
    match_seconds: float
    flagged: list[int] = field(default_factory=list)


def freeze_meeting(db: Database, actor: Actor, meeting_id: int, *, scan: bool = True) -> FreezeReport:
    """Freeze the agenda: first pick up the events that re-open a case of this board (progression,
    new line, new biomarker), then re-match every case now and store its card. All or nothing."""
    started = time.perf_counter()
    flagged: list[int] = []
    with db.session() as s:
        meeting, board = get_meeting(s, meeting_id)
        require_board_staff(s, actor, board, "board.freeze")
        if meeting.status != "planned":
            raise InputError(
                N_("the agenda of meeting %(meeting)s is already frozen"),
                field="meeting",
                fix=N_("decide its cases, or put new cases on the next meeting"),
                code="boards.agenda_frozen",
                params={"meeting": meeting_id},
            )
    if scan:
        from oncofed.services.boards.reopen import scan_events

        flagged = [e.case_id for e in scan_events(db, actor, board_id=board.id)]
    match_seconds = 0.0
    n_cand = n_new = 0
    with db.session() as s:
        meeting, board = get_meeting(s, meeting_id)
        if meeting.status != "planned":  # someone froze it meanwhile
            raise InputError(
                N_("the agenda of meeting %(meeting)s is already frozen"),
                field="meeting",
                fix=N_("reload the page"),
                code="boards.agenda_frozen_meanwhile",
                params={"meeting": meeting_id},
            )
        cases = list(
            s.scalars(
                select(CaseRow)
                .where(CaseRow.meeting_id == meeting_id, CaseRow.status == "scheduled")
                .order_by(CaseRow.id)
            )
        )
        on = meeting.scheduled_for.date()
        now = utcnow()
        cards = [card_profile(s, actor, case) for case in cases]
        t0 = time.perf_counter()
        # the agenda's texts encoded in one batch (or read back from the store) before the matches
        prepare_stored_profiles(db, s, [profile for profile, _ in cards], on)
        index = trial_index(db)  # the same index for the whole agenda
        match_seconds += time.perf_counter() - t0
        previous = previous_candidates_of(s, cases)
        for case, (profile, rhash) in zip(cases, cards, strict=True):
            t0 = time.perf_counter()
            cands = match_case(db, profile, on, index)
            match_seconds += time.perf_counter() - t0
            new = _mark_new(cands, previous[case.id])
            if actor.may_read_patients_of(case.patient_centre_id):
                case.snapshot, case.snapshot_hash = snapshot_of(profile, actor.user_id), rhash
            case.candidates, case.new_trials = cands, new
            case.n_candidates, case.status, case.frozen_at = len(cands), "frozen", now
            case.meeting_day = on
            n_cand += len(cands)
            n_new += len(new)
            trail(s, case, actor, "frozen", candidates=len(cands), new=len(new), on=on.isoformat())
        meeting.status, meeting.frozen_at, meeting.frozen_by = "frozen", now, actor.user_id
    return FreezeReport(
        meeting_id, len(cases), n_cand, n_new, time.perf_counter() - started, match_seconds, flagged
    )


def summary_rows(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The card's facts, one row each, with where the fact came from."""
    rows = []
    for f in snapshot.get("facts") or []:
        where = ":".join(str(x) for x in (f.get("source"), f.get("record")) if x)
        if f.get("span"):
            where += f" chars {f['span'][0]}-{f['span'][1]}"
        rows.append(
            {
                "kind": f.get("kind", ""),
                "code": f.get("code", ""),
                "display": f.get("display") or f.get("code") or f.get("kind"),
                "value": f.get("value", ""),
                "unit": f.get("unit", ""),
                "when": f.get("when", ""),
                "negated": bool(f.get("negated")),
                "provenance": where,
            }
        )
    return rows


def when_of(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
