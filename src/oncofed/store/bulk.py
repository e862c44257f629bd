"""Bulk inserts of plain tuples, for the few hot paths that write tens of thousands of rows.

SQLAlchemy's executemany builds a parameter dict per row and runs each value through its type's
bind processor (on SQLite, every DateTime is formatted in Python): measured at 50,000 pre-screening
results, that is ~0.6 s of a 2 s budget, about twice the time SQLite itself takes to insert the
rows. On SQLite we therefore hand the DBAPI cursor tuples already in SQLAlchemy's own storage format
(the same text SQLAlchemy writes and reads back, so ORM reads are unchanged); on other databases
the regular Core executemany path is used (psycopg batches it with "insertmanyvalues").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's SQLite DATETIME / DATE storage formats ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d")
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def bulk_insert(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT `rows` (tuples in the order of `columns`) into `table` in one executemany."""
    if not rows:
        return
    for name in columns:
        if name not in table.c:
            raise ValueError(f"table {table.name} has no column {name!r}")
    if session.get_bind().dialect.name != "sqlite":
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    # column by column: only date/time columns are converted, each distinct value once
    cols: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for k, name in enumerate(columns):
        if _is_temporal(table, name):
            memo: dict[Any, Any] = {}
            cols[k] = [memo[v] if v in memo else memo.setdefault(v, _sqlite_value(v)) for v in cols[k]]
    prepared = list(zip(*cols, strict=True))
    session.connection().exec_driver_sql(sql, prepared)


def _is_temporal(table: Table, name: str) -> bool:
    try:
        return table.c[name].type.python_type in (date, datetime)
    except NotImplementedError:
        return False


def upsert(session: Session, table: Table, key: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows`, or UPDATE the row already stored under the same `key` columns.

    For rows that two transactions may write at once (two readers rebuilding the same stale match
    index rows): with a delete-then-insert the second writer's INSERT fails on the key the first one
    committed meanwhile; `INSERT ... ON CONFLICT DO UPDATE` (PostgreSQL and SQLite >= 3.24) waits for
    the first and then updates its row.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    else:
        raise ValueError(f"upsert is not written for {dialect}")
    stmt = dialect_insert(table)
    changed = {c: stmt.excluded[c] for c in rows[0] if c not in key}
    session.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=changed), list(rows))
