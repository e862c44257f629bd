"""The tumour-board records handed to the quality module's DuckDB connection (quality/boards.py):
discussed cases with their counts, proposed trials, and enrolments with a patient id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import func, select, text

from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow
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
    """Rows as typed Arrow columns; dates may come as ISO text (SQLite) or dates (PostgreSQL)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in types]
    out = {}
    for (name, kind), col in zip(types.items(), columns, strict=True):
        if kind == pa.date32() and col and isinstance(col[0], str):
            out[name] = pa.array([str(v)[:10] if v is not None else None for v in col], pa.string()).cast(
                kind
            )
        elif kind == pa.bool_():
            out[name] = pa.array([bool(v) for v in col], kind)
        else:
            out[name] = pa.array(list(col), kind)
    return pa.table(out)


# Plain SQL, read without the ORM's per-value conversions (500,000 cases: measured 11 s with typed
# ORM rows under load, a few seconds this way); the same text runs on SQLite and PostgreSQL.
CASES_SQL = """
SELECT c.id, b.centre_id, c.patient_id, c.kind, c.meeting_day, c.n_specialties, c.n_candidates,
       c.n_proposed, CASE WHEN c.status = 'signed' THEN 1 ELSE 0 END
FROM board_cases c JOIN boards b ON b.id = c.board_id
WHERE c.status IN ('decided', 'signed') AND c.meeting_day IS NOT NULL
"""
PROPOSALS_SQL = "SELECT case_id, trial_id FROM board_trial_decisions WHERE proposed = :yes"
ENROLMENTS_SQL = "SELECT patient_id, trial_id, enrolled_on FROM enrolments WHERE patient_id IS NOT NULL"


def board_records(db: Database) -> dict[str, pa.Table]:
    """The three relations `quality.boards.prepare_board_units` reads, from the store."""
    with db.session() as s:
        cases = s.execute(text(CASES_SQL)).all()
        proposals = s.execute(text(PROPOSALS_SQL), {"yes": True}).all()
        enrolments = s.execute(text(ENROLMENTS_SQL)).all()
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
