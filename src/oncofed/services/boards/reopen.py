"""Events that re-open a case: progression, a new line of treatment, a new biomarker result.

A patient whose latest discussed case was decided on an older version of their record (the record
hash kept with the card differs) is read again through the actor-scoped repository and compared
with what the board saw. An event puts a new case on the board's next planned meeting (or flags it
waiting for one) with the candidate trials re-matched now and those new since the last discussion
highlighted. Imports need not call anything: freezing an agenda scans its board first, and
`oncofed boards scan` / `POST /api/boards/scan` scan every board of the caller's centres."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from oncofed.domain import Actor, PatientProfile
from oncofed.services.boards.access import may_work_at, trail, utcnow
from oncofed.services.boards.boards import OPEN_STATUSES
from oncofed.services.boards.cards import _mark_new, match_case, snapshot_of
from oncofed.services.boards.vocabulary import PROGRESSION_STATUSES, REASON_OPENINGS, site_for_cancer
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_boards import BoardRow, CaseRow, MeetingRow
from oncofed.store.repositories import PatientRepository

PROGRESSION_RESPONSES = {"pd", "progressive disease", "progression"}
# a re-opened case's question to the board, before its reason (presenters/board_trail.py says it)
REOPEN_QUESTION = "Re-discussion after an event in the record: "


@dataclass(frozen=True)
class ReopenEvent:
    case_id: int
    patient_id: str
    previous_case_id: int
    kind: str
    reason: str
    meeting_id: int | None
    new_trials: tuple[str, ...]


def _facts(snapshot_or_profile: Any) -> list[dict[str, Any]]:
    if isinstance(snapshot_or_profile, PatientProfile):
        from oncofed.store.mapping import fact_to_json

        return [fact_to_json(f) for f in snapshot_or_profile.facts]
    return list(snapshot_or_profile.get("facts") or [])


def _line(f: dict[str, Any]) -> int:
    try:
        return int((f.get("attributes") or {}).get("line") or 0)
    except (TypeError, ValueError):
        return 0


def detect_events(before: dict[str, Any], now: PatientProfile) -> tuple[str, str] | None:
    """(case kind, reason in words) when the record shows progression, a new line or a new biomarker
    result since the board's card `before`; None otherwise. Progression first, then line, biomarker."""
    old, new = _facts(before), _facts(now)

    def keys(facts: list[dict[str, Any]], kind: str) -> set[tuple[str, str]]:
        return {
            (str(f.get("code") or "").upper(), str(f.get("value") or ""))
            for f in facts
            if f.get("kind") == kind and not f.get("negated")
        }

    status_new = {c.lower() for c, _ in keys(new, "disease_status") - keys(old, "disease_status")}
    mets_new = {c for c, _ in keys(new, "metastasis")} - {c for c, _ in keys(old, "metastasis")}
    responses = {
        (str(f.get("code")), str((f.get("attributes") or {}).get("best_response") or "").lower())
        for f in new
        if f.get("kind") == "treatment"
    } - {
        (str(f.get("code")), str((f.get("attributes") or {}).get("best_response") or "").lower())
        for f in old
        if f.get("kind") == "treatment"
    }
    if status_new & PROGRESSION_STATUSES or mets_new or any(r in PROGRESSION_RESPONSES for _, r in responses):
        what = sorted(status_new & PROGRESSION_STATUSES) + [
            f"new {m.lower()} metastasis" for m in sorted(mets_new)
        ]
        what += [f"{d}: progressive disease" for d, r in sorted(responses) if r in PROGRESSION_RESPONSES]
        return "progression", REASON_OPENINGS["progression"] + ", ".join(what)
    old_line = max((_line(f) for f in old if f.get("kind") == "treatment"), default=0)
    new_line = max((_line(f) for f in new if f.get("kind") == "treatment"), default=0)
    new_drugs = sorted(
        {str(f.get("code")) for f in new if f.get("kind") == "treatment"}
        - {str(f.get("code")) for f in old if f.get("kind") == "treatment"}
    )
    if new_line > old_line or new_drugs:
        line = f"line {new_line}" if new_line > old_line else "new treatment"
        return "new_line", REASON_OPENINGS["new_line"] + line + (
            f" ({', '.join(new_drugs)})" if new_drugs else ""
        )
    markers = keys(new, "biomarker") - keys(old, "biomarker")
    if markers:
        return "new_biomarker", REASON_OPENINGS["new_biomarker"] + ", ".join(
            f"{c} {v}".strip() for c, v in sorted(markers)
        )
    return None


def _target_board(s: Any, previous: CaseRow, profile: PatientProfile) -> BoardRow | None:
    board = s.get(BoardRow, previous.board_id)
    if board is not None and board.centre_id == profile.centre_id:
        return board  # type: ignore[no-any-return]
    site = site_for_cancer(profile.primary_cancer)  # after a recourse: the patient's own centre's board
    for wanted in (site, "general"):
        found = s.scalars(
            select(BoardRow)
            .where(BoardRow.centre_id == profile.centre_id, BoardRow.site == wanted)
            .order_by(BoardRow.id)
        ).first()
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None


def next_meeting(s: Any, board_id: int) -> MeetingRow | None:
    return s.scalars(  # type: ignore[no-any-return]
        select(MeetingRow)
        .where(
            MeetingRow.board_id == board_id,
            MeetingRow.status == "planned",
            MeetingRow.scheduled_for >= utcnow(),
        )
        .order_by(MeetingRow.scheduled_for)
        .limit(1)
    ).first()


def scan_events(
    db: Database, actor: Actor, *, board_id: int | None = None, day: date | None = None
) -> list[ReopenEvent]:
    """Find the events of the actor's centres' patients (of one board's patients with `board_id`)."""
    events: list[ReopenEvent] = []
    with db.session() as s:
        latest = (
            select(CaseRow.patient_id, func.max(CaseRow.id).label("case_id"))
            .where(CaseRow.status.in_(("decided", "signed")))
            .group_by(CaseRow.patient_id)
            .subquery()
        )
        stmt = (
            select(CaseRow)
            .join(latest, latest.c.case_id == CaseRow.id)
            .join(PatientRow, PatientRow.id == CaseRow.patient_id)
            .where(PatientRow.record_hash != CaseRow.snapshot_hash, PatientRow.deceased.is_(False))
        )
        if board_id is not None:
            stmt = stmt.where(CaseRow.board_id == board_id)
        if not actor.all_centres:
            stmt = stmt.where(CaseRow.patient_centre_id.in_(sorted(actor.centre_ids)))
        previous_cases = [c for c in s.scalars(stmt) if may_work_at(actor, c.patient_centre_id)]
        busy = set(
            s.scalars(
                select(CaseRow.patient_id).where(
                    CaseRow.status.in_(OPEN_STATUSES),
                    CaseRow.patient_id.in_([c.patient_id for c in previous_cases]),
                )
            )
        )
        repo = PatientRepository(s, actor)
        for prev in previous_cases:
            if prev.patient_id in busy:
                continue
            profile = repo.get(prev.patient_id)
            found = detect_events(prev.snapshot or {}, profile)
            if found is None:
                continue
            kind, reason = found
            board = _target_board(s, prev, profile)
            if board is None:
                continue
            meeting = next_meeting(s, board.id)
            on = meeting.scheduled_for.date() if meeting else (day or utcnow().date())
            cands = match_case(db, profile, on)
            new = _mark_new(cands, {c["trial_id"] for c in prev.candidates or []})
            rhash = s.scalar(select(PatientRow.record_hash).where(PatientRow.id == prev.patient_id)) or ""
            case = CaseRow(
                board_id=board.id,
                meeting_id=meeting.id if meeting else None,
                patient_id=prev.patient_id,
                patient_centre_id=profile.centre_id,
                kind=kind,
                question=REOPEN_QUESTION + reason,
                status="scheduled" if meeting else "flagged",
                requested_by=actor.user_id,
                requested_at=utcnow(),
                previous_case_id=prev.id,
                reopen_reason=reason,
                snapshot=snapshot_of(profile, actor.user_id),
                snapshot_hash=rhash,
                candidates=cands,
                new_trials=new,
                n_candidates=len(cands),
            )
            s.add(case)
            s.flush()
            busy.add(prev.patient_id)
            trail(
                s,
                case,
                actor,
                "re-opened",
                kind=kind,
                reason=reason,
                what=reason.split(": ", 1)[-1],
                previous_case_id=prev.id,
                new_trials=list(new),
            )
            events.append(
                ReopenEvent(case.id, prev.patient_id, prev.id, kind, reason, case.meeting_id, tuple(new))
            )
    return events
