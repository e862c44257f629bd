"""Putting a patient on a board's agenda (new case, progression, new line, new biomarker, recourse
to another centre's board), scheduling waiting cases, and reading a case or a patient's boards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.boards.access import (
    audit_cases,
    case_events,
    get_case,
    may_work_at,
    require_board_staff,
    shows_patient,
    trail,
    utcnow,
    visible_cases,
)
from oncofed.services.boards.boards import (
    OPEN_STATUSES,
    _board,
    _centre_names,
    board_json,
    case_line,
    get_meeting,
    meeting_json,
)
from oncofed.services.boards.cards import prepare_card_text, snapshot_of, summary_rows, when_of
from oncofed.services.boards.vocabulary import check_code, label
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_boards import BoardRow, CaseRow, MeetingRow, TrialDecisionRow
from oncofed.store.repositories import PatientRepository


def _check_meeting_open(meeting: MeetingRow, board_id: int) -> None:
    if meeting.board_id != board_id:
        raise InputError(
            N_("meeting %(meeting)s is not a meeting of this board"),
            field="meeting_id",
            fix=N_("choose one of the board's meetings"),
            code="boards.meeting_of_other_board",
            params={"meeting": meeting.id},
        )
    if meeting.status != "planned":
        raise InputError(
            N_("the agenda of meeting %(meeting)s is frozen"),
            field="meeting_id",
            fix=N_("put the case on the next planned meeting (or leave it waiting)"),
            code="boards.agenda_closed",
            params={"meeting": meeting.id},
        )
    if meeting.scheduled_for < utcnow():
        raise InputError(
            N_("meeting %(meeting)s is in the past"),
            field="meeting_id",
            fix=N_("choose a planned meeting"),
            code="boards.meeting_past",
            params={"meeting": meeting.id},
        )


def latest_decided_case(s: Any, patient_id: str) -> CaseRow | None:
    return s.scalars(  # type: ignore[no-any-return]
        select(CaseRow)
        .where(CaseRow.patient_id == patient_id, CaseRow.status.in_(("decided", "signed")))
        .order_by(CaseRow.meeting_day.desc(), CaseRow.id.desc())
        .limit(1)
    ).first()


def add_case(
    db: Database,
    actor: Actor,
    board_id: int,
    patient_id: str,
    kind: str,
    question: str = "",
    *,
    meeting_id: int | None = None,
) -> int:
    """Put a patient of the actor's centre on a board's agenda. A board of another centre takes the
    case only as a recourse request (kind `recourse`, to a board that accepts recourse cases): the
    card the requester sends is the patient summary taken now, through the requester's scope."""
    check_code("case_kinds", kind, "kind")
    question = (question or "").strip()
    if len(question) > 4000:
        raise InputError(
            N_("the question is longer than %(limit)s characters"),
            field="question",
            fix=N_("shorten it"),
            code="boards.text_too_long",
            params={"limit": 4000},
        )
    with db.session() as s:
        board = _board(s, board_id)
        profile = PatientRepository(s, actor).get(patient_id)  # not found outside the actor's centres
        if not may_work_at(actor, profile.centre_id):
            raise NotFound(
                N_("no patient %(patient)s you can refer"),
                fix=N_("clinicians refer their own centre's patients"),
                code="boards.patient_not_referable",
                params={"patient": patient_id},
            )
        if board.centre_id != profile.centre_id and kind != "recourse":
            raise InputError(
                N_(
                    "%(board)s is a board of another centre (%(board_centre)s); patient %(patient)s is a patient of %(patient_centre)s"
                ),
                field="kind",
                fix=N_(
                    "send a recourse request (kind 'recourse') to a board that accepts recourse cases, or choose a board of your centre"
                ),
                code="boards.board_of_other_centre",
                params={
                    "board": board.name,
                    "board_centre": board.centre_id,
                    "patient": patient_id,
                    "patient_centre": profile.centre_id,
                },
            )
        if kind == "recourse":
            if board.centre_id == profile.centre_id:
                raise InputError(
                    N_("a recourse goes to another centre's board"),
                    field="board_id",
                    fix=N_("choose a board of another centre, or a case kind for your own board"),
                    code="boards.recourse_to_own_centre",
                )
            if not board.accepts_recourse:
                raise InputError(
                    N_("%(board)s does not take recourse cases"),
                    field="board_id",
                    fix=N_("choose a recourse board (listed as such on the tumour boards' page)"),
                    code="boards.no_recourse",
                    params={"board": board.name},
                )
            if meeting_id is not None:
                raise InputError(
                    N_("the expert board schedules recourse cases itself"),
                    field="meeting_id",
                    fix=N_("send the request without a meeting"),
                    code="boards.recourse_with_meeting",
                )
        open_case = s.scalar(
            select(CaseRow.id).where(
                CaseRow.patient_id == patient_id,
                CaseRow.board_id == board_id,
                CaseRow.status.in_(OPEN_STATUSES),
            )
        )
        if open_case is not None:
            raise InputError(
                N_("patient %(patient)s is already on this board's agenda (case %(case)s)"),
                field="patient_id",
                fix=N_("open case %(case)s"),
                code="boards.already_on_agenda",
                params={"patient": patient_id, "case": open_case},
            )
        if meeting_id is not None:
            meeting, _ = get_meeting(s, meeting_id)
            _check_meeting_open(meeting, board_id)
            prepare_card_text(db, s, profile, meeting.scheduled_for.date())
        previous = latest_decided_case(s, patient_id)
        rhash = s.scalar(select(PatientRow.record_hash).where(PatientRow.id == patient_id)) or ""
        case = CaseRow(
            board_id=board_id,
            meeting_id=meeting_id,
            patient_id=patient_id,
            patient_centre_id=profile.centre_id,
            kind=kind,
            question=question,
            status="scheduled" if meeting_id is not None else "flagged",
            requested_by=actor.user_id,
            requested_at=utcnow(),
            previous_case_id=previous.id if previous else None,
            snapshot=snapshot_of(profile, actor.user_id),
            snapshot_hash=rhash,
        )
        s.add(case)
        s.flush()
        trail(
            s,
            case,
            actor,
            "recourse requested" if kind == "recourse" else "put on agenda",
            kind=kind,
            meeting_id=meeting_id,
        )
        return case.id


def schedule_case(db: Database, actor: Actor, case_id: int, meeting_id: int) -> None:
    """Put a waiting case (or move a scheduled one) on a planned meeting of its board."""
    with db.session() as s:
        case, board = get_case(s, actor, case_id, "board.schedule")
        require_board_staff(s, actor, board, "board.schedule")
        if case.status not in ("flagged", "scheduled"):
            raise InputError(
                N_("case %(case)s is %(case_status)s"),
                field="case",
                fix=N_("only waiting or scheduled cases can be (re)scheduled"),
                code="boards.not_schedulable",
                params={"case": case_id, "case_status": case.status},
            )
        meeting, _ = get_meeting(s, meeting_id)
        _check_meeting_open(meeting, board.id)
        case.meeting_id, case.status = meeting_id, "scheduled"
        trail(
            s,
            case,
            actor,
            "scheduled",
            meeting_id=meeting_id,
            scheduled_for=meeting.scheduled_for.isoformat(timespec="minutes"),
        )


def trial_decisions(s: Any, case_id: int) -> list[dict[str, Any]]:
    rows = s.scalars(
        select(TrialDecisionRow)
        .where(TrialDecisionRow.case_id == case_id)
        .order_by(TrialDecisionRow.trial_id)
    )
    return [
        {
            "trial_id": r.trial_id,
            "proposed": r.proposed,
            "reason": r.reason,
            "criterion": r.criterion,
            "note": r.note,
            "site_centre_id": r.site_centre_id,
            "screening": r.screening,
            "screening_detail": r.screening_detail,
        }
        for r in rows
    ]


def _summary(actor: Actor, case: CaseRow, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The card's facts; for a recourse board, sources keep their file and line but never name the
    patient (provenance records often quote the local patient id)."""
    rows = summary_rows(snapshot)
    if not shows_patient(actor, case):
        for r in rows:
            r["provenance"] = r["provenance"].replace(case.patient_id, "(patient)")
    return rows


def case_json(s: Any, actor: Actor, case: CaseRow, board: BoardRow, *, lang: str = "en") -> dict[str, Any]:
    """Everything the case page, its JSON twin and the record show (audited by the caller)."""
    names = _centre_names(s)
    meeting = s.get(MeetingRow, case.meeting_id) if case.meeting_id else None
    data = case_line(actor, case, names, lang)
    snapshot = case.snapshot or {}
    decisions = trial_decisions(s, case.id)
    by_trial = {d["trial_id"]: d for d in decisions}
    data.update(
        {
            "board": board_json(board, names, lang),
            "meeting": meeting_json(meeting, 0) if meeting else None,
            "patient": {
                k: v for k, v in (snapshot.get("patient") or {}).items() if k not in ("latitude", "longitude")
            },
            "summary": _summary(actor, case, snapshot),
            "summary_taken_at": snapshot.get("taken_at"),
            "summary_taken_by": snapshot.get("taken_by"),
            "candidates": [{**c, "decision": by_trial.get(c["trial_id"])} for c in case.candidates or []],
            "frozen_at": when_of(case.frozen_at),
            "proposal": case.proposal,
            "settings": list(case.settings or []),
            "specialties": list(case.specialties or []),
            "decided_by": case.decided_by,
            "decided_at": when_of(case.decided_at),
            "signed_by": case.signed_by,
            "signed_at": when_of(case.signed_at),
            "record_sha256": case.record_sha256,
            "trial_decisions": decisions,
            "previous_case_id": case.previous_case_id,
            "version": case.version,
            "events": case_events(s, case.id),
            "can_decide": may_work_at(actor, board.centre_id) and case.status in ("frozen", "decided"),
            "can_sign": case.status == "decided" and actor.user_id == board.coordinator,
        }
    )
    return data


def case_detail(db: Database, actor: Actor, case_id: int, *, lang: str = "en") -> dict[str, Any]:
    with db.session() as s:
        case, board = get_case(s, actor, case_id, "board.case")
        audit_cases(s, actor, "board.case.read", [case])
        return case_json(s, actor, case, board, lang=lang)


def patient_boards(
    db: Database, actor: Actor, patient_id: str, *, lang: str = "en", already_read: bool = False
) -> list[dict[str, Any]]:
    """The patient's cases at every board, newest first (for the patient's page). The record is read
    through the actor-scoped repository (audited; not found outside the actor's centres) unless the
    caller has just done so (`already_read`: the patient's page)."""
    with db.session() as s:
        if not already_read:
            PatientRepository(s, actor).get(patient_id)
        names = _centre_names(s)
        rows = list(
            s.execute(
                visible_cases(actor)
                .where(CaseRow.patient_id == patient_id)
                .order_by(CaseRow.requested_at.desc(), CaseRow.id.desc())
            )
        )
        out = []
        for case, board in rows:
            line = case_line(actor, case, names, lang)
            meeting = s.get(MeetingRow, case.meeting_id) if case.meeting_id else None
            line.update(
                {
                    "board": board.name,
                    "board_id": board.id,
                    "board_centre": names.get(board.centre_id, board.centre_id),
                    "meeting_day": case.meeting_day.isoformat()
                    if case.meeting_day
                    else (meeting.scheduled_for.date().isoformat() if meeting else None),
                    "proposal": case.proposal,
                    "settings": [label("settings", x, lang) for x in case.settings or []],
                    "signed_at": when_of(case.signed_at),
                    "proposed_trials": [d["trial_id"] for d in trial_decisions(s, case.id) if d["proposed"]],
                }
            )
            out.append(line)
        return out


def waiting_for(actor: Actor, s: Any, board_id: int) -> list[CaseRow]:
    return [
        c
        for c, _ in s.execute(
            visible_cases(actor).where(CaseRow.board_id == board_id, CaseRow.status == "flagged")
        )
    ]


__all__ = ["add_case", "case_detail", "patient_boards", "schedule_case", "shows_patient"]
