"""Liveness and readiness for a process supervisor or a load balancer (issue 22).

- `GET /api/health/live`: the worker answers (no database access): restart it when this fails.
- `GET /api/health/ready`: the worker can serve: the database answers within a second and the
  schema is at the newest revision; 503 otherwise, so a load balancer sends no traffic there.
  It also shows the worker's connection pool (in use / open / budget).
`GET /api/health` (core.py) stays as the combined check it always was.
"""

from __future__ import annotations

import os
import time

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import text

from oncofed import __version__
from oncofed.store.db import Database
from oncofed.web.deps import get_db

router = APIRouter()


@router.get("/api/health/live", tags=["core"], summary="Liveness: the worker process answers")
def live() -> JSONResponse:
    return JSONResponse({"status": "alive", "pid": os.getpid(), "version": __version__})


_HEADS: dict[str, frozenset[str]] = {}


def _heads(db: Database) -> frozenset[str]:
    """The newest revisions shipped with this code (read from the migration files once)."""
    if db.url not in _HEADS:
        _HEADS[db.url] = frozenset(db.head_revisions())
    return _HEADS[db.url]


@router.get("/api/health/ready", tags=["core"], summary="Readiness: database reachable, schema current")
def ready(db: Database = Depends(get_db)) -> JSONResponse:
    started = time.perf_counter()
    body: dict[str, object] = {"pid": os.getpid(), "version": __version__, "database": db.backend}
    try:
        with db.engine.connect() as conn:
            if db.backend == "postgresql":
                conn.exec_driver_sql("SET LOCAL statement_timeout = 1000")
            conn.execute(text("SELECT 1"))
            current = frozenset(
                str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
            )
    except Exception as exc:  # noqa: BLE001 - readiness reports, never crashes
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return JSONResponse({**body, "status": "not_ready", "problem": f"database: {first[:300]}"}, 503)
    body["database_ms"] = round((time.perf_counter() - started) * 1000, 1)
    pool = db.engine.pool
    body["pool"] = {
        "checked_out": int(getattr(pool, "checkedout", lambda: 0)()),
        "open": int(getattr(pool, "checkedin", lambda: 0)()) + int(getattr(pool, "checkedout", lambda: 0)()),
        "size": int(getattr(pool, "size", lambda: 0)()),
        "max_overflow": int(getattr(pool, "_max_overflow", 0)),
    }
    if current != _heads(db):
        return JSONResponse(
            {
                **body,
                "status": "not_ready",
                "problem": "schema is not at the newest revision: run `oncofed db upgrade`",
            },
            503,
        )
    return JSONResponse({**body, "status": "ready"})
