"""Boards (per centre and cancer site, with members and their specialties) and their meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.boards.access import (
    audit_cases,
    may_work_at,
    require_board_staff,
    shows_patient,
    utcnow,
    visible_cases,
)
from oncofed.services.boards.vocabulary import check_code, label
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardMemberRow, BoardRow, CaseRow, MeetingRow
from oncofed.store.repositories import CentreRepository

OPEN_STATUSES = ("flagged", "scheduled", "frozen")


@dataclass(frozen=True)
class Member:
    name: str
    specialty: str
    username: str = ""


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InputError(
            N_("the %(field)s is empty"),
            field=field,
            fix=N_("write the %(field)s"),
            code="boards.text_empty",
            params={"field": field.replace("_", " ")},
        )
    if len(value) > limit:
        raise InputError(
            N_("the %(field)s is longer than %(limit)s characters"),
            field=field,
            fix=N_("shorten it"),
            code="boards.text_too_long",
            params={"field": field.replace("_", " "), "limit": limit},
        )
    return value


def create_board(
    db: Database,
    actor: Actor,
    centre_id: str,
    site: str,
    name: str,
    coordinator: str,
    *,
    accepts_recourse: bool = False,
    members: list[Member] | None = None,
) -> int:
    """A new board of `centre_id` (clinicians of that centre and administrators create boards)."""
    check_code("board_sites", site, "site")
    name = _text(name, "name", 200)
    coordinator = _text(coordinator, "coordinator", 100)
    members = members or []
    for m in members:
        check_code("specialties", m.specialty, "specialty")
        _text(m.name, "member name", 200)
    with db.session() as s:
        CentreRepository(s).get(centre_id)
        if not (may_work_at(actor, centre_id) or actor.role in (Role.ADMIN, Role.SYSTEM)):
            raise NotFound(
                N_("no centre %(centre)s in your scope"),
                fix=N_("create boards for your own centre"),
                code="boards.centre_out_of_scope",
                params={"centre": centre_id},
            )
        if s.scalar(select(BoardRow.id).where(BoardRow.name == name)) is not None:
            raise InputError(
                N_("a board is already called '%(name)s'"),
                field="name",
                fix=N_("choose another name"),
                code="boards.name_taken",
                params={"name": name},
            )
        board = BoardRow(
            centre_id=centre_id,
            site=site,
            name=name,
            coordinator=coordinator,
            accepts_recourse=accepts_recourse,
            created_at=utcnow(),
        )
        s.add(board)
        s.flush()
        for m in members:
            s.add(
                BoardMemberRow(
                    board_id=board.id, name=m.name.strip(), specialty=m.specialty, username=m.username
                )
            )
        return board.id


def add_member(db: Database, actor: Actor, board_id: int, member: Member) -> None:
    check_code("specialties", member.specialty, "specialty")
    name = _text(member.name, "name", 200)
    with db.session() as s:
        board = _board(s, board_id)
        if actor.role is not Role.ADMIN:
            require_board_staff(s, actor, board, "board.member")
        s.add(
            BoardMemberRow(board_id=board_id, name=name, specialty=member.specialty, username=member.username)
        )


def _board(s: Any, board_id: int) -> BoardRow:
    board = s.get(BoardRow, board_id)
    if board is None:
        raise NotFound(
            N_("no board %(board)s"),
            fix=N_("open the board from the list of tumour boards"),
            code="boards.no_board",
            params={"board": board_id},
        )
    return board  # type: ignore[no-any-return]


def board_json(board: BoardRow, centre_names: dict[str, str], lang: str = "en") -> dict[str, Any]:
    return {
        "id": board.id,
        "name": board.name,
        "centre_id": board.centre_id,
        "centre": centre_names.get(board.centre_id, board.centre_id),
        "site": board.site,
        "site_label": label("board_sites", board.site, lang),
        "coordinator": board.coordinator,
        "accepts_recourse": board.accepts_recourse,
    }


def _centre_names(s: Any) -> dict[str, str]:
    return {c.id: c.name for c in CentreRepository(s).list()}


def list_boards(
    db: Database, actor: Actor, *, centre_id: str | None = None, lang: str = "en"
) -> list[dict[str, Any]]:
    """Every board (boards and meetings are not patient data), with its next meeting and, for the
    actor's own centres, the number of cases waiting for a meeting."""
    now = utcnow()
    with db.session() as s:
        names = _centre_names(s)
        stmt = select(BoardRow).order_by(BoardRow.centre_id, BoardRow.name)
        if centre_id:
            stmt = stmt.where(BoardRow.centre_id == centre_id)
        boards = list(s.scalars(stmt))
        nxt = dict(
            s.execute(
                select(MeetingRow.board_id, func.min(MeetingRow.scheduled_for))
                .where(MeetingRow.scheduled_for >= now, MeetingRow.status != "closed")
                .group_by(MeetingRow.board_id)
            ).all()
        )
        waiting: dict[int, int] = {}
        for case, _board_row in s.execute(visible_cases(actor).where(CaseRow.status == "flagged")):
            waiting[case.board_id] = waiting.get(case.board_id, 0) + 1
    out = []
    for b in boards:
        row = board_json(b, names, lang)
        row["next_meeting"] = nxt[b.id].isoformat(timespec="minutes") if nxt.get(b.id) else None
        row["waiting"] = waiting.get(b.id, 0)
        row["mine"] = may_work_at(actor, b.centre_id)
        out.append(row)
    return out


def case_line(actor: Actor, case: CaseRow, names: dict[str, str], lang: str = "en") -> dict[str, Any]:
    """One case as a line of an agenda: the patient id only for the patient's own centre."""
    own = shows_patient(actor, case)
    return {
        "case_id": case.id,
        "patient_id": case.patient_id if own else None,
        "patient_centre": names.get(case.patient_centre_id, case.patient_centre_id),
        "kind": case.kind,
        "kind_label": label("case_kinds", case.kind, lang),
        "question": case.question,
        "status": case.status,
        "meeting_id": case.meeting_id,
        "requested_by": case.requested_by,
        "requested_at": case.requested_at.isoformat(timespec="minutes"),
        "reopen_reason": case.reopen_reason,
        "n_candidates": case.n_candidates,
        "new_trials": list(case.new_trials or []),
        "n_proposed": case.n_proposed,
    }


def board_detail(
    db: Database, actor: Actor, board_id: int, *, lang: str = "en", meetings: int = 30
) -> dict[str, Any]:
    with db.session() as s:
        board = _board(s, board_id)
        names = _centre_names(s)
        members = list(
            s.scalars(
                select(BoardMemberRow).where(BoardMemberRow.board_id == board_id).order_by(BoardMemberRow.id)
            )
        )
        rows = list(
            s.scalars(
                select(MeetingRow)
                .where(MeetingRow.board_id == board_id)
                .order_by(MeetingRow.scheduled_for.desc())
                .limit(meetings)
            )
        )
        counts = dict(
            s.execute(
                select(CaseRow.meeting_id, func.count())
                .where(CaseRow.meeting_id.in_([m.id for m in rows]))
                .group_by(CaseRow.meeting_id)
            ).all()
        )
        waiting = [
            c
            for c, _ in s.execute(
                visible_cases(actor)
                .where(CaseRow.board_id == board_id, CaseRow.status == "flagged")
                .order_by(CaseRow.id)
            )
        ]
        audit_cases(s, actor, "board.waiting", [c for c in waiting if shows_patient(actor, c)])
        data = board_json(board, names, lang)
        data.update(
            {
                "members": [
                    {
                        "name": m.name,
                        "specialty": m.specialty,
                        "specialty_label": label("specialties", m.specialty, lang),
                        "username": m.username,
                    }
                    for m in members
                ],
                "meetings": [meeting_json(m, counts.get(m.id, 0)) for m in rows],
                "waiting": [case_line(actor, c, names, lang) for c in waiting],
                "can_manage": may_work_at(actor, board.centre_id),
            }
        )
        return data


def meeting_json(m: MeetingRow, n_cases: int) -> dict[str, Any]:
    return {
        "id": m.id,
        "board_id": m.board_id,
        "scheduled_for": m.scheduled_for.isoformat(timespec="minutes"),
        "status": m.status,
        "frozen_at": m.frozen_at.isoformat(timespec="seconds") if m.frozen_at else None,
        "frozen_by": m.frozen_by,
        "cases": n_cases,
    }


def create_meeting(db: Database, actor: Actor, board_id: int, when: datetime) -> int:
    """A meeting of the board; a meeting in the past is refused (a record dates what happened)."""
    try:
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError) as exc:
        raise InputError(
            N_("the date and time are out of range"),
            field="scheduled_for",
            fix=N_("give a date within the next years"),
            code="boards.meeting_out_of_range",
        ) from exc
    if when < utcnow():
        raise InputError(
            N_("the meeting on %(when)s is in the past"),
            field="scheduled_for",
            fix=N_("choose a date and time from now on (records of past meetings are not back-dated)"),
            code="boards.meeting_in_past",
            params={"when": when},
        )
    with db.session() as s:
        board = _board(s, board_id)
        require_board_staff(s, actor, board, "board.meeting")
        clash = s.scalar(
            select(MeetingRow.id).where(MeetingRow.board_id == board_id, MeetingRow.scheduled_for == when)
        )
        if clash is not None:
            raise InputError(
                N_("the board already meets on %(when)s (meeting %(meeting)s)"),
                field="scheduled_for",
                fix=N_("open that meeting"),
                code="boards.meeting_clash",
                params={"when": when, "meeting": clash},
            )
        meeting = MeetingRow(
            board_id=board_id,
            scheduled_for=when,
            status="planned",
            created_by=actor.user_id,
            created_at=utcnow(),
        )
        s.add(meeting)
        try:
            s.flush()
        except IntegrityError as exc:  # pragma: no cover - the board was deleted meanwhile
            raise NotFound(
                N_("no board %(board)s"),
                fix=N_("reload the page"),
                code="boards.no_board",
                params={"board": board_id},
            ) from exc
        return meeting.id


def get_meeting(s: Any, meeting_id: int) -> tuple[MeetingRow, BoardRow]:
    meeting = s.get(MeetingRow, meeting_id)
    if meeting is None:
        raise NotFound(
            N_("no meeting %(meeting)s"),
            fix=N_("open the meeting from its board's page"),
            code="boards.no_meeting",
            params={"meeting": meeting_id},
        )
    return meeting, s.get(BoardRow, meeting.board_id)


def meeting_detail(db: Database, actor: Actor, meeting_id: int, *, lang: str = "en") -> dict[str, Any]:
    """The agenda: the cases of the meeting the actor may see (recourse cases without identifiers)."""
    with db.session() as s:
        meeting, board = get_meeting(s, meeting_id)
        names = _centre_names(s)
        cases = [
            c
            for c, _ in s.execute(
                visible_cases(actor).where(CaseRow.meeting_id == meeting_id).order_by(CaseRow.id)
            )
        ]
        audit_cases(s, actor, "board.agenda", cases)
        return {
            "meeting": meeting_json(meeting, len(cases)),
            "board": board_json(board, names, lang),
            "cases": [case_line(actor, c, names, lang) for c in cases],
            "can_manage": may_work_at(actor, board.centre_id),
        }
