"""The signed record of a board's decision: what it attests, its SHA-256 over canonical JSON, and the
coordinator's signature; a signed record never changes (its SHA-256 is kept)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.boards.access import audit_cases, get_case, trail, utcnow
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow, CaseRow, MeetingRow


def record_content(case: dict[str, Any]) -> dict[str, Any]:
    """What the signed record attests (the SHA-256 is computed over this, canonical JSON)."""
    keys = (
        "case_id",
        "kind",
        "question",
        "patient",
        "summary",
        "proposal",
        "settings",
        "specialties",
        "decided_by",
        "decided_at",
    )
    out = {k: case.get(k) for k in keys}
    out["board"] = case["board"]["name"]
    out["meeting"] = case["meeting"]["scheduled_for"] if case.get("meeting") else None
    out["trials"] = [
        {
            "trial_id": c["trial_id"],
            "verdict": c["verdict"],
            "to_check": [x["criterion"] for x in c["to_check"]],
            "decision": c.get("decision"),
        }
        for c in case.get("candidates") or []
    ]
    return out


def record_sha256(case: dict[str, Any]) -> str:
    blob = json.dumps(record_content(case), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _signable(s: Session, actor: Actor, case_id: int, signer: str | None) -> tuple[CaseRow, BoardRow, str]:
    """The case, its board and who signs, when the actor may sign its record now."""
    case, board = get_case(s, actor, case_id, "board.sign")
    who = signer or actor.user_id
    if who != board.coordinator or (signer is not None and not actor.user_id.startswith("cli:")):
        raise NotFound(
            N_("no record of case %(case)s for you to sign"),
            fix=N_("the board's coordinator (%(coordinator)s) signs its records"),
            code="boards.not_coordinator",
            params={"case": case_id, "coordinator": board.coordinator},
        )
    if case.status != "decided":
        fix = N_("it is already signed") if case.status == "signed" else N_("record the decision first")
        raise InputError(
            N_("case %(case)s is %(case_status)s"),
            field="case",
            fix=fix,
            code="boards.not_signable",
            params={"case": case_id, "case_status": case.status},
        )
    return case, board, who


def sign_record(db: Database, actor: Actor, case_id: int, *, signer: str | None = None) -> str:
    """The coordinator signs the record (`signer`: the coordinator's username when an operator signs
    from the command line). Returns the record's SHA-256."""
    from oncofed.services.boards.cases import case_json
    from oncofed.services.boards.decisions import resume_screenings

    with db.session() as s:
        _signable(s, actor, case_id, signer)
    # a pre-screening entry left pending (its process died after the decision) is finished first,
    # so the signed record says where each proposed trial's entry stands
    resume_screenings(db, actor, case_id)
    with db.session() as s:
        case, board, who = _signable(s, actor, case_id, signer)
        digest = record_sha256(case_json(s, actor, case, board))
        case.signed_by, case.signed_at, case.status, case.record_sha256 = who, utcnow(), "signed", digest
        trail(s, case, actor, "signed", by=who, sha256=digest)
        audit_cases(s, actor, "board.record.sign", [case])
        if case.meeting_id is not None:
            s.flush()
            left = s.scalar(
                select(func.count())
                .select_from(CaseRow)
                .where(CaseRow.meeting_id == case.meeting_id, CaseRow.status != "signed")
            )
            meeting = s.get(MeetingRow, case.meeting_id)
            if meeting is not None and not left:
                meeting.status = "closed"
        return digest
