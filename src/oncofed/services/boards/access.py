"""Who sees which case, the audit of every read of a case, and the case trail.

A case is patient-level data. It is visible to the patient's own centre (through the same scope as
`PatientRepository`) and, for a recourse case only, to the centre whose board was asked: that board
sees the case card the referring clinician sent, never the patient's identifiers. Research roles
never see a patient who objects to research use. Every read is written to the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor
from oncofed.domain.actor import PATIENT_LEVEL_ROLES
from oncofed.errors import N_, NotFound
from oncofed.services.boards.trail_params import event_params
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.models import PatientRow
from oncofed.store.models_boards import BoardRow, CaseEventRow, CaseRow


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def visible_cases(actor: Actor) -> Any:
    """Cases the actor may see, joined with their board (CaseRow, BoardRow)."""
    stmt: Any = (
        select(CaseRow, BoardRow)
        .join(BoardRow, BoardRow.id == CaseRow.board_id)
        .join(PatientRow, PatientRow.id == CaseRow.patient_id)
    )
    if actor.role not in PATIENT_LEVEL_ROLES:
        return stmt.where(false())
    if not actor.all_centres:
        scope = sorted(actor.centre_ids)
        stmt = stmt.where(
            or_(
                CaseRow.patient_centre_id.in_(scope),
                and_(CaseRow.kind == "recourse", BoardRow.centre_id.in_(scope)),
            )
        )
    if actor.hides_research_objectors:
        stmt = stmt.where(PatientRow.research_objection.is_(False))
    return stmt


def shows_patient(actor: Actor, case: CaseRow) -> bool:
    """Whether the actor sees who the patient is (their own centre), not only the case card."""
    return actor.may_read_patients_of(case.patient_centre_id)


def may_work_at(actor: Actor, centre_id: str) -> bool:
    """Clinicians (and the platform) of a centre run its boards; research staff read only."""
    return actor.may_read_patients_of(centre_id) and actor.role.value in ("clinician", "system")


def require_board_staff(session: Session, actor: Actor, board: BoardRow, what: str) -> None:
    if not may_work_at(actor, board.centre_id):
        audit.record_security(
            session,
            actor,
            "refused",
            centres=[board.centre_id],
            detail=coded("refused.board_centre", what=what),
        )
        raise NotFound(
            N_("no board %(board)s you can work on"),
            fix=N_("only clinicians of the board's centre run its meetings and record its decisions"),
            code="boards.not_board_staff",
            params={"board": board.id},
        )


def get_case(
    session: Session, actor: Actor, case_id: int, what: str = "board.case"
) -> tuple[CaseRow, BoardRow]:
    """The case as the actor may see it (else "not found", with a security event when it exists)."""
    found = session.execute(visible_cases(actor).where(CaseRow.id == case_id)).first()
    if found is None:
        row = session.get(CaseRow, case_id)
        if row is not None:
            audit.record_security(
                session,
                actor,
                "refused",
                patients=[(row.patient_id, row.patient_centre_id)],
                detail=coded("refused.case_centre", what=what),
            )
        raise NotFound(
            N_("no case %(case)s in your centres"),
            fix=N_("open the case from your board's page"),
            code="boards.no_case",
            params={"case": case_id},
        )
    return found[0], found[1]


def audit_cases(session: Session, actor: Actor, action: str, cases: Iterable[CaseRow]) -> None:
    """One audit record naming every patient whose case the actor was shown."""
    pairs = list(dict.fromkeys((c.patient_id, c.patient_centre_id) for c in cases))
    if pairs and audit.audited(actor):
        audit.record_read(session, audit.event_for(actor, action, patients=pairs))


def trail(session: Session, case: CaseRow, actor: Actor, action: str, **params: Any) -> None:
    """One line of the case's trail: the event's code (`action`) and its parameters, stored as JSON
    (language-free: `presenters/board_trail.py` says them in the reader's language)."""
    detail = json.dumps(params, sort_keys=True, ensure_ascii=False, default=str) if params else ""
    session.add(
        CaseEventRow(case_id=case.id, at=utcnow(), user_id=actor.user_id, action=action, detail=detail)
    )


def case_events(session: Session, case_id: int) -> list[dict[str, Any]]:
    rows: Sequence[CaseEventRow] = list(
        session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id))
    )
    return [
        {
            "at": r.at.isoformat(timespec="seconds"),
            "user_id": r.user_id,
            "action": r.action,
            **event_params(r.action, r.detail),
        }
        for r in rows
    ]
