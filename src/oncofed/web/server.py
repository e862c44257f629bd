"""`oncofed serve --workers N`: uvicorn worker processes, each with a connection pool sized from N.

Each worker is a process with its own engine and pool. uvicorn runs a sync route in a thread pool
(40 threads by default), so a worker could open up to 40 connections; N workers times that would
exhaust PostgreSQL (100 connections by default) and slow everything down. The network's budget of
connections (`ONCOFED_DB_CONNECTIONS`, default 80 on PostgreSQL: a server's default 100 minus room
for backups, migrations and psql) is split evenly between the workers: half kept open, half opened
on demand, and a request waits up to `pool_timeout` seconds for a free connection instead of
failing. A worker never opens more than its share, so the total never exceeds the budget.
SQLite allows one writer at a time whatever the pool; its pools stay small.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI

from oncofed.config import load_settings
from oncofed.store.db import Database

ENV_WORKERS = "ONCOFED_WORKERS"
ENV_CONNECTIONS = "ONCOFED_DB_CONNECTIONS"
ENV_ACCESS_LOG = "ONCOFED_ACCESS_LOG"
DEFAULT_CONNECTIONS = {"postgresql": 80, "sqlite": 32}
POOL_TIMEOUT = 30
WORKER_HEALTHCHECK_S = 60


def pool_for(workers: int, backend: str, budget: int | None = None) -> dict[str, int]:
    """Pool sizes of one worker out of `workers`, within the budget of connections."""
    total = budget if budget is not None else DEFAULT_CONNECTIONS.get(backend, 32)
    share = max(2, total // max(1, workers))
    size = max(1, share // 2)
    return {"pool_size": size, "max_overflow": share - size, "pool_timeout": POOL_TIMEOUT}


def _int_env(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        from oncofed.errors import ConfigError

        raise ConfigError(f"{name}={value!r} is not a whole number", fix=f"set {name} to e.g. 80") from None


def served_app(db: Database | None = None) -> Any:
    """The application as `oncofed serve` runs it (uvicorn calls this in each worker, `factory=True`):
    the pool sized from the number of workers, and the access log when configured."""
    from oncofed.web.access_log import AccessLog, configure
    from oncofed.web.app import create_app

    if db is None:
        settings = load_settings()
        backend = "postgresql" if settings.database_url.startswith("postgresql") else "sqlite"
        pool = pool_for(_int_env(ENV_WORKERS) or 1, backend, _int_env(ENV_CONNECTIONS))
        db = Database(settings.database_url, pool=pool)
    app: FastAPI = create_app(db)
    destination = os.environ.get(ENV_ACCESS_LOG, "-")
    if destination.lower() in ("off", "none", ""):
        return app
    return AccessLog(app, configure(destination))


def run(host: str, port: int, workers: int = 1, access_log: str = "-", **uvicorn_options: Any) -> None:
    """Serve with `workers` processes (uvicorn's supervisor restarts a worker that dies)."""
    import uvicorn

    os.environ[ENV_WORKERS] = str(workers)
    os.environ[ENV_ACCESS_LOG] = access_log
    uvicorn.run(
        "oncofed.web.server:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # uvicorn's line holds the raw path and query: ours (web/access_log.py) does not
        timeout_graceful_shutdown=20,
        # the supervisor kills a worker that does not answer its ping in time; the ping competes for
        # the GIL with the worker's request threads, and on a saturated machine 5 s (uvicorn's
        # default) killed busy, healthy workers mid-request (seen in the load test at 200 users)
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        **uvicorn_options,
    )
