"""store/bulk.py writes exactly what SQLAlchemy would (same stored text on SQLite), on both databases."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import pytest
from sqlalchemy import Table, insert, select, text

from oncofed.domain import Trial, TrialStatus
from oncofed.store.bulk import bulk_insert
from oncofed.store.db import Database
from oncofed.store.models_prescreen import PrescreenRunRow
from oncofed.store.repositories import TrialRepository

COLUMNS = ("trial_id", "centre_id", "trial_hash", "computed_at", "evaluated", "seconds")


def test_same_rows_and_stored_text_as_sqlalchemy(db: Database) -> None:
    db.upgrade()
    with db.session() as s:
        TrialRepository(s).upsert(Trial(id="T", title="[Fictional] t", status=TrialStatus.RECRUITING))
    table = cast(Table, PrescreenRunRow.__table__)
    at = [datetime(2026, 11, 29, 22, 55, 4), datetime(2026, 1, 2, 3, 4, 5, 678)]
    with db.session() as s:
        s.execute(insert(table), [dict(zip(COLUMNS, ("T", "core", "h", at[0], 1, 0.5), strict=True))])
        bulk_insert(
            s, table, COLUMNS, [("T", "bulk", "h", at[0], 1, 0.5), ("T", "bulk2", "h", at[1], 2, 1.5)]
        )
    with db.session() as s:
        got = {r.centre_id: r for r in s.scalars(select(PrescreenRunRow))}
        assert got["bulk"].computed_at == got["core"].computed_at == at[0]
        assert got["bulk2"].computed_at == at[1] and got["bulk2"].evaluated == 2
        raw = dict(s.execute(text("SELECT centre_id, CAST(computed_at AS TEXT) FROM prescreen_runs")).all())
        assert raw["bulk"] == raw["core"]


def test_unknown_column_is_refused(sqlite_db: Database) -> None:
    sqlite_db.upgrade()
    with sqlite_db.session() as s, pytest.raises(ValueError, match="no column 'nope'"):
        bulk_insert(s, cast(Table, PrescreenRunRow.__table__), ("nope",), [(1,)])
