"""A fingerprint of every table: its row count and a SHA-256 of its rows read in primary-key order.

Two databases with the same digests hold the same rows in every table (a backup and its restore,
a database before and after a crash test). Tables are found by reflection, so a table added by
another area is covered without a change here. Values are read through SQLAlchemy, so the digest
of a table is comparable between two databases of the same backend (SQLite and PostgreSQL return
some types differently: compare a backup with its own backend).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, select


@dataclass(frozen=True)
class TableDigest:
    table: str
    rows: int
    sha256: str


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float) and value != value:  # NaN
        return "NaN"
    return value


def table_digests(bind: Engine | Connection, *, chunk: int = 5000) -> dict[str, TableDigest]:
    """Every table of the database (reflected), in name order, with its rows' digest."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return table_digests(conn, chunk=chunk)
    meta = MetaData()
    meta.reflect(bind)
    out: dict[str, TableDigest] = {}
    for name in sorted(meta.tables):
        table = meta.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        n = 0
        result = bind.execution_options(yield_per=chunk).execute(select(table).order_by(*order))
        for row in result:
            digest.update(
                json.dumps([_canonical(v) for v in row], default=str, ensure_ascii=False).encode("utf-8")
            )
            digest.update(b"\n")
            n += 1
        out[name] = TableDigest(name, n, digest.hexdigest())
    return out


def differences(expected: dict[str, TableDigest], actual: dict[str, TableDigest]) -> list[str]:
    """What differs between two sets of digests, one line per table."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        e, a = expected.get(name), actual.get(name)
        if e is None:
            problems.append(f"table {name}: not in the backup")
        elif a is None:
            problems.append(f"table {name}: missing after the restore")
        elif e.rows != a.rows:
            problems.append(f"table {name}: {a.rows} rows, the backup holds {e.rows}")
        elif e.sha256 != a.sha256:
            problems.append(f"table {name}: same number of rows ({a.rows}) but different content")
    return problems
