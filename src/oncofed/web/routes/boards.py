"""Tumour boards API (issue 19): boards, meetings, agendas, case cards, decisions, signed records,
events that re-open a case, the patient's boards, and screen failures for trial managers.
Pages are in `boards_pages.py`; both call services/boards and presenters/boards."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.presenters.board_trail import TRAIL_COLUMNS, trail_csv_rows, trail_rows
from oncofed.presenters.boards import (
    BOARD_COLUMNS,
    CANDIDATE_COLUMNS,
    CASE_COLUMNS,
    FACT_COLUMNS,
    MEETING_COLUMNS,
    PATIENT_BOARD_COLUMNS,
    candidate_rows,
    patient_board_rows,
)
from oncofed.services.boards.boards import (
    Member,
    add_member,
    board_detail,
    create_board,
    create_meeting,
    list_boards,
    meeting_detail,
)
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.cases import add_case, case_detail, patient_boards, schedule_case
from oncofed.services.boards.decisions import DecisionConflict, TrialChoice, enter_screening, record_decision
from oncofed.services.boards.reopen import scan_events
from oncofed.services.boards.screen_failures import SCREEN_FAILURE_COLUMNS, screen_failures
from oncofed.services.boards.signing import sign_record
from oncofed.services.network.names import resolve_centre_id
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_ID, Db, Lang, RowId
from oncofed.web.errors import error_json

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
BOARD_ROLES = (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.ADMIN, Role.SYSTEM)
board_user = require_roles(*BOARD_ROLES)
trial_manager = require_roles(Role.TRIAL_MANAGER, Role.ADMIN)
BoardUser = Annotated[Actor, Depends(board_user)]
TrialManager = Annotated[Actor, Depends(trial_manager)]
Key = Annotated[str, Path(max_length=64)]
TEXT = Field(max_length=200)


class MemberIn(BaseModel):
    name: str = Field(max_length=200)
    specialty: str = Field(max_length=32)
    username: str = Field("", max_length=100)


class BoardIn(BaseModel):
    centre_id: str = Field(max_length=64)
    site: str = Field(max_length=32)
    name: str = TEXT
    coordinator: str = Field(max_length=100)
    accepts_recourse: bool = False
    members: list[MemberIn] = Field(default_factory=list, max_length=50)


class MeetingIn(BaseModel):
    scheduled_for: datetime


class CaseIn(BaseModel):
    patient_id: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    question: str = Field("", max_length=4000)
    meeting_id: int | None = Field(None, ge=1, le=MAX_ID)


class ScheduleIn(BaseModel):
    meeting_id: int = Field(..., ge=1, le=MAX_ID)


class TrialChoiceIn(BaseModel):
    trial_id: str = Field(max_length=64)
    proposed: bool
    reason: str = Field("", max_length=32)
    criterion: str = Field("", max_length=1000)
    note: str = Field("", max_length=2000)


class DecisionIn(BaseModel):
    proposal: str = Field(max_length=8000)
    settings: list[str] = Field(max_length=10)
    specialties: list[str] = Field(max_length=30)
    trials: list[TrialChoiceIn] = Field(default_factory=list, max_length=50)
    version: int | None = Field(None, ge=0, le=MAX_ID)


def _conflict(request: Request, exc: DecisionConflict) -> JSONResponse:
    return error_json(request, exc, 409)


def to_choices(items: list[TrialChoiceIn]) -> list[TrialChoice]:
    return [TrialChoice(i.trial_id, i.proposed, i.reason, i.criterion, i.note) for i in items]


@router.get("/api/boards", tags=["boards"], summary="Tumour boards of the network")
def api_boards(
    db: Db,
    actor: BoardUser,
    lang: Lang,
    centre: str | None = Query(None, max_length=200, description="A centre: id, name or city"),
    format: str = FORMAT,
) -> Any:
    centre = resolve_centre_id(db, (centre or "").strip(), field="centre")  # unknown: 422 naming it
    rows = list_boards(db, actor, centre_id=centre, lang=lang)
    if format == "csv":
        return csv_response(rows, BOARD_COLUMNS, "boards.csv")
    return {"count": len(rows), "boards": rows}


@router.post(
    "/api/boards", tags=["boards"], summary="Create a board (clinicians of its centre, administrators)"
)
def api_create_board(body: BoardIn, db: Db, actor: BoardUser) -> Any:
    members = [Member(m.name, m.specialty, m.username) for m in body.members]
    bid = create_board(
        db,
        actor,
        body.centre_id,
        body.site,
        body.name,
        body.coordinator,
        accepts_recourse=body.accepts_recourse,
        members=members,
    )
    return {"id": bid}


@router.get(
    "/api/boards/screen-failures",
    tags=["boards"],
    summary="Why boards did not propose each trial (counts, no patient)",
)
def api_screen_failures(
    db: Db,
    actor: TrialManager,
    lang: Lang,
    trial: str | None = Query(None, max_length=64),
    format: str = FORMAT,
) -> Any:
    data = screen_failures(db, trial_id=trial, lang=lang)
    if format == "csv":
        return csv_response(data["failures"], SCREEN_FAILURE_COLUMNS, "board-screen-failures.csv")
    return data


@router.post(
    "/api/boards/scan",
    tags=["boards"],
    summary="Re-open cases after progression, a new line or a new biomarker",
)
def api_scan(db: Db, actor: BoardUser) -> Any:
    events = scan_events(db, actor)
    return {"reopened": [e.__dict__ | {"new_trials": list(e.new_trials)} for e in events]}


@router.get("/api/boards/patients/{patient_id}", tags=["boards"], summary="A patient's boards and decisions")
def api_patient_boards(
    patient_id: Key,
    db: Db,
    actor: BoardUser,
    lang: Lang,
    format: str = FORMAT,
) -> Any:
    rows = patient_boards(db, actor, patient_id, lang=lang)
    if format == "csv":
        return csv_response(patient_board_rows(rows), PATIENT_BOARD_COLUMNS, f"{patient_id}-boards.csv")
    return {"patient_id": patient_id, "cases": rows}


@router.get("/api/boards/meetings/{meeting_id}", tags=["boards"], summary="A meeting and its agenda")
def api_meeting(
    meeting_id: RowId,
    db: Db,
    actor: BoardUser,
    lang: Lang,
    format: str = FORMAT,
) -> Any:
    data = meeting_detail(db, actor, meeting_id, lang=lang)
    if format == "csv":
        return csv_response(data["cases"], CASE_COLUMNS, f"meeting-{meeting_id}.csv")
    return data


@router.post(
    "/api/boards/meetings/{meeting_id}/freeze",
    tags=["boards"],
    summary="Freeze the agenda: re-match every case, build the cards",
)
def api_freeze(
    meeting_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    return freeze_meeting(db, actor, meeting_id).__dict__


@router.get(
    "/api/boards/cases/{case_id}",
    tags=["boards"],
    summary="A case card (patient summary, candidate trials, decision, trail)",
)
def api_case(
    case_id: RowId,
    db: Db,
    actor: BoardUser,
    lang: Lang,
    format: str = FORMAT,
    table: str = Query("candidates", pattern="^(candidates|facts|events)$"),
) -> Any:
    data = case_detail(db, actor, case_id, lang=lang)
    data["events"] = trail_rows(data["events"], lang)
    if format == "csv":
        if table == "facts":
            return csv_response(data["summary"], FACT_COLUMNS, f"case-{case_id}-facts.csv")
        if table == "events":
            return csv_response(
                trail_csv_rows(data["events"], lang), TRAIL_COLUMNS, f"case-{case_id}-trail.csv"
            )
        return csv_response(candidate_rows(data), CANDIDATE_COLUMNS, f"case-{case_id}-trials.csv")
    return data


@router.post(
    "/api/boards/cases/{case_id}/schedule", tags=["boards"], summary="Put a waiting case on a planned meeting"
)
def api_schedule(
    body: ScheduleIn,
    case_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    schedule_case(db, actor, case_id, body.meeting_id)
    return {"case_id": case_id, "meeting_id": body.meeting_id, "status": "scheduled"}


@router.post("/api/boards/cases/{case_id}/decision", tags=["boards"], summary="Record the board's decision")
def api_decision(
    request: Request,
    body: DecisionIn,
    case_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    try:
        return record_decision(
            db,
            actor,
            case_id,
            proposal=body.proposal,
            settings=body.settings,
            specialties=body.specialties,
            trials=to_choices(body.trials),
            version=body.version,
        )
    except DecisionConflict as exc:
        return _conflict(request, exc)


@router.post(
    "/api/boards/cases/{case_id}/sign", tags=["boards"], summary="Sign the record (the board's coordinator)"
)
def api_sign(
    case_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    return {"case_id": case_id, "status": "signed", "record_sha256": sign_record(db, actor, case_id)}


@router.post(
    "/api/boards/cases/{case_id}/screening/{trial_id}",
    tags=["boards"],
    summary="Put the patient on a proposed trial's pre-screening list",
)
def api_screening(
    case_id: RowId,
    trial_id: Key,
    db: Db,
    actor: BoardUser,
) -> Any:
    return {"case_id": case_id, "trial_id": trial_id, **enter_screening(db, actor, case_id, trial_id)}


@router.get(
    "/api/boards/{board_id}",
    tags=["boards"],
    summary="A board: members, meetings, cases waiting for a meeting",
)
def api_board(
    board_id: RowId,
    db: Db,
    actor: BoardUser,
    lang: Lang,
    format: str = FORMAT,
    table: str = Query("meetings", pattern="^(meetings|waiting|members)$"),
) -> Any:
    data = board_detail(db, actor, board_id, lang=lang)
    if format == "csv":
        columns = {
            "meetings": MEETING_COLUMNS,
            "waiting": CASE_COLUMNS,
            "members": ["name", "specialty", "username"],
        }[table]
        return csv_response(data[table], columns, f"board-{board_id}-{table}.csv")
    return data


@router.post("/api/boards/{board_id}/members", tags=["boards"], summary="Add a member")
def api_add_member(
    body: MemberIn,
    board_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    add_member(db, actor, board_id, Member(body.name, body.specialty, body.username))
    return {"board_id": board_id, "added": body.name}


@router.post("/api/boards/{board_id}/meetings", tags=["boards"], summary="Plan a meeting (never in the past)")
def api_create_meeting(
    body: MeetingIn,
    board_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    return {"id": create_meeting(db, actor, board_id, body.scheduled_for)}


@router.post(
    "/api/boards/{board_id}/cases",
    tags=["boards"],
    summary="Put a patient on the agenda (another centre: recourse only)",
)
def api_add_case(
    body: CaseIn,
    request: Request,
    board_id: RowId,
    db: Db,
    actor: BoardUser,
) -> Any:
    cid = add_case(db, actor, board_id, body.patient_id, body.kind, body.question, meeting_id=body.meeting_id)
    return {"id": cid}
