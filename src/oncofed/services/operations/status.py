"""What an administrator or the DPO checks on a running installation: the schema, the connection
pool, the audit chain, the last backup (recorded by `oncofed backup` in `meta`)."""

from __future__ import annotations

import json
import os
from typing import Any

from sqlalchemy import text

from oncofed import __version__
from oncofed.store.audit import verify_chain
from oncofed.store.db import Database

LAST_BACKUP_KEY = "last_backup"


def record_backup(db: Database, summary: dict[str, Any]) -> None:
    """Remember the last backup (written after the copy, so the copy itself does not hold it)."""
    value = json.dumps(summary, sort_keys=True)
    with db.engine.begin() as conn:
        done = conn.execute(
            text("UPDATE meta SET value = :v WHERE key = :k"), {"v": value, "k": LAST_BACKUP_KEY}
        )
        if not done.rowcount:
            conn.execute(
                text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": LAST_BACKUP_KEY, "v": value}
            )


def last_backup(db: Database) -> dict[str, Any] | None:
    with db.engine.connect() as conn:
        value = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": LAST_BACKUP_KEY}).scalar()
    return json.loads(value) if value else None


def operations_status(db: Database) -> dict[str, Any]:
    """Checks, each `ok` / `warning` / `error` with its value, and the facts behind them."""
    current, newest = sorted(db.current_revisions()), sorted(db.head_revisions())
    chain = verify_chain(db.engine)
    backup = last_backup(db)
    pool = db.engine.pool
    checked_out = int(getattr(pool, "checkedout", lambda: 0)())
    size = int(getattr(pool, "size", lambda: 0)())
    overflow = int(getattr(pool, "_max_overflow", 0))
    checks = [
        {
            "check": "schema",
            "status": "ok" if current == newest else "error",
            "value": ", ".join(current) or "none",
            "detail": "" if current == newest else f"newest is {', '.join(newest)}: run `oncofed db upgrade`",
        },
        {
            "check": "audit_chain",
            "status": "ok" if chain.ok else "error",
            "value": str(chain.rows),
            "detail": "; ".join(chain.problems[:3]),
        },
        {
            "check": "last_backup",
            "status": "ok" if backup else "warning",
            "value": backup["created_at"] if backup else "",
            "detail": f"{backup['file']} sha256 {backup['sha256'][:16]}..."
            if backup
            else "no backup recorded: run `oncofed backup PATH`",
        },
        {
            "check": "connection_pool",
            "status": "ok" if size == 0 or checked_out < size + overflow else "warning",
            "value": f"{checked_out} / {size + overflow}",
            "detail": "connections in use / this worker's limit",
        },
    ]
    return {
        "version": __version__,
        "pid": os.getpid(),
        "workers": int(os.environ.get("ONCOFED_WORKERS", "1") or 1),
        "database": db.backend,
        "checks": checks,
        "last_backup": backup,
        "ok": all(c["status"] != "error" for c in checks),
    }
