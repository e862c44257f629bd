"""Serialising writers that read, compute, then write the same rows (two nurses refreshing one
pre-screening list at once): the second waits for the first to commit instead of failing on a
duplicate key or overwriting with what it read before.

PostgreSQL: a transaction-scoped advisory lock on a 64-bit key derived from the lock's name
(`pg_advisory_xact_lock`), released at commit or rollback; other names do not wait.
SQLite: one writer at a time is all SQLite allows, so the transaction takes the database's write
lock before its first read (`BEGIN IMMEDIATE`, waiting up to the connection's busy timeout). Taken
later, after a read, a writer that lost the race could not upgrade its stale snapshot and would fail.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for `name` (PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def hold(on: Session | Connection, name: str) -> None:
    """Hold the writers' lock `name` until the transaction of `on` ends; call it before the first read."""
    conn = on.connection() if isinstance(on, Session) else on
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})
    elif dialect == "sqlite":
        dbapi = conn.connection.dbapi_connection
        # pysqlite opens its own transaction only at the first write; if one is open this
        # connection already holds the write lock
        if dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
