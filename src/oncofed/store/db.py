"""Engine, sessions and schema upgrades for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from oncofed.errors import ConfigError, StoreError

STORE_DIR = Path(__file__).resolve().parent


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str, pool: dict[str, int] | None = None) -> Engine:
    """Create an engine for `url`, preparing the SQLite file's folder, with one clear error on failure.
    `pool`: QueuePool sizes (`pool_size`, `max_overflow`, `pool_timeout`), e.g. from `serve --workers`."""
    pool = dict(pool or {})
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"DATABASE_URL {url!r} is not a database URL",
            fix="use e.g. sqlite:///var/oncofed.sqlite3 or postgresql+psycopg://user@host:5432/oncofed",
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:":
            pool = {}  # one connection held by SQLAlchemy's singleton pool: no pool sizes apply
        else:
            folder = Path(database).resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"cannot create the database folder {folder}: {exc.strerror}",
                    fix="make it writable or set ONCOFED_VAR_DIR / DATABASE_URL to a writable place",
                ) from exc
            if not os.access(folder, os.W_OK):
                raise ConfigError(
                    f"the database folder {folder} is not writable",
                    fix="make it writable or set ONCOFED_VAR_DIR / DATABASE_URL to a writable place",
                )
        engine = create_engine(url, connect_args={"timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **pool)
    raise ConfigError(
        f"unsupported database {backend!r} in DATABASE_URL",
        fix="use sqlite:///PATH or postgresql+psycopg://...",
    )


def alembic_config(url: str) -> Config:
    cfg = Config(str(STORE_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(STORE_DIR / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    """One database: an engine plus a session factory. Sessions are units of work."""

    def __init__(self, url: str, pool: dict[str, int] | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, pool)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def check(self) -> None:
        """Connect once; raise StoreError with a fix when the database cannot be reached."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(
                f"cannot connect to the database at {make_url(self.url).render_as_string(hide_password=True)}: {reason}",
                fix="check DATABASE_URL (host, port, user, database) and that the server is running",
            ) from exc

    def upgrade(self) -> None:
        """Bring the schema to the newest revision (all Alembic heads)."""
        self.check()
        try:
            cfg = alembic_config(self.url)
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")
        except SQLAlchemyError as exc:
            raise StoreError(f"schema upgrade failed: {exc}", fix="see the message above") from exc

    def current_revisions(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())

    def head_revisions(self) -> set[str]:
        return set(ScriptDirectory.from_config(alembic_config(self.url)).get_heads())

    def is_up_to_date(self) -> bool:
        return self.current_revisions() == self.head_revisions()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def session_or(self, session: Session | None) -> AbstractContextManager[Session]:
        """`session` when the caller already holds one (a request's single unit of work: the match
        page), else a new unit of work (`session()`); the caller's session is not committed here."""
        return nullcontext(session) if session is not None else self.session()

    def analyze(self) -> None:
        """Refresh the query planner's statistics after bulk writes. Without them SQLite guesses
        that a centre holds ~10 patients and reads a whole centre to find a few hundred records
        by id (measured 10x slower at 50,000 patients); PostgreSQL's autovacuum would get there
        eventually, an explicit ANALYZE gets there now (SQLite reads only the indexes: measured
        0.06 s at 50,000 patients; a sampled `analysis_limit` pass gave estimates too rough to help)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self.engine.dispose()
