"""The tumour-board records handed to the quality module's DuckDB connection (quality/boards.py):
discussed cases with their counts, proposed trials, and enrolments with a patient id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select

from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow, CaseRow, TrialDecisionRow
from oncofed.store.models_prescreen import EnrolmentRow

CASE_TYPES = {
    "case_id": pa.int64(),
    "centre_id": pa.string(),
    "patient_id": pa.string(),
    "kind": pa.string(),
    "meeting_day": pa.date32(),
    "n_specialties": pa.int32(),
    "n_candidates": pa.int32(),
    "n_proposed": pa.int32(),
    "signed": pa.bool_(),
}


def _table(rows: Sequence[Any], types: dict[str, pa.DataType]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in types]
    return pa.table(
        {name: pa.array(list(col), t) for (name, t), col in zip(types.items(), columns, strict=True)}
    )


def board_records(db: Database) -> dict[str, pa.Table]:
    """The three relations `quality.boards.prepare_board_units` reads, from the store."""
    with db.session() as s:
        cases = s.execute(
            select(
                CaseRow.id,
                BoardRow.centre_id,
                CaseRow.patient_id,
                CaseRow.kind,
                CaseRow.meeting_day,
                CaseRow.n_specialties,
                CaseRow.n_candidates,
                CaseRow.n_proposed,
                CaseRow.status == "signed",
            )
            .join(BoardRow, BoardRow.id == CaseRow.board_id)
            .where(CaseRow.status.in_(("decided", "signed")), CaseRow.meeting_day.is_not(None))
        ).all()
        proposals = s.execute(
            select(TrialDecisionRow.case_id, TrialDecisionRow.trial_id).where(
                TrialDecisionRow.proposed.is_(True)
            )
        ).all()
        enrolments = s.execute(
            select(EnrolmentRow.patient_id, EnrolmentRow.trial_id, EnrolmentRow.enrolled_on).where(
                EnrolmentRow.patient_id.is_not(None)
            )
        ).all()
    return {
        "clean_board_cases": _table(cases, CASE_TYPES),
        "clean_board_proposals": _table(proposals, {"case_id": pa.int64(), "trial_id": pa.string()}),
        "clean_board_enrolments": _table(
            enrolments, {"patient_id": pa.string(), "trial_id": pa.string(), "enrolled_on": pa.date32()}
        ),
    }


def register_board_records(con: Any, db: Database) -> None:
    for name, table in board_records(db).items():
        con.register(name, table)


def board_signature(db: Database) -> tuple[Any, ...]:
    """Changes when a case is decided or signed, or an enrolment is recorded (the quality cache key)."""
    with db.session() as s:
        cases = s.execute(
            select(func.count(), func.max(CaseRow.decided_at), func.max(CaseRow.signed_at)).where(
                CaseRow.status.in_(("decided", "signed"))
            )
        ).one()
        enrolled = s.execute(select(func.count(), func.max(EnrolmentRow.id))).one()
    return (*[str(x) for x in cases], *[str(x) for x in enrolled])
