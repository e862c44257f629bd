"""`oncofed backup PATH` / `oncofed restore PATH`: a consistent copy of the whole database, a
manifest beside it (`PATH.manifest.json`: SHA-256 of the file, schema revision, every table's row
count and digest, the audit chain's head), and a restore that refuses a file whose checksum does
not match, then proves the result: every table equal to the backup's digests, the audit chain
verified.

- SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent snapshot
  while the server keeps serving (WAL: readers and the copy never block writers).
- PostgreSQL: Debian's `pg_dump --format=custom` and `pg_restore --clean --if-exists
  --single-transaction` (the server's own tools; a hand-written dump would miss sequences,
  triggers, types). The digests are read in the very snapshot `pg_dump` copies
  (`pg_export_snapshot()` + `pg_dump --snapshot`), so the manifest describes exactly the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from oncofed import __version__
from oncofed.errors import N_, ConfigError, InputError, StoreError
from oncofed.services.operations.digests import TableDigest, differences, table_digests
from oncofed.services.operations.status import record_backup
from oncofed.store.audit import HEAD_KEY, verify_chain
from oncofed.store.db import Database

MANIFEST_SUFFIX = ".manifest.json"
FORMATS = {"sqlite": "sqlite-database", "postgresql": "pg_dump-custom"}


@dataclass
class Manifest:
    format: str
    backend: str
    file: str
    sha256: str
    bytes: int
    created_at: str
    oncofed_version: str
    revisions: list[str]
    audit_head: str | None
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def digests(self) -> dict[str, TableDigest]:
        return {n: TableDigest(n, int(t["rows"]), str(t["sha256"])) for n, t in self.tables.items()}


@dataclass
class RestoreReport:
    manifest: Manifest
    tables: int
    rows: int
    audit_rows: int
    seconds: float


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_file(db: Database) -> Path:
    database = make_url(db.url).database or ""
    if not database or database == ":memory:":
        raise ConfigError(
            N_("an in-memory SQLite database cannot be backed up"),
            fix=N_("use a database file"),
            code="backup.in_memory",
        )
    return Path(database)


def _libpq(db: Database) -> tuple[str, dict[str, str]]:
    """The database as a libpq URL without its password (given in PGPASSWORD: never on a command
    line, where `ps` would show it)."""
    url: URL = make_url(db.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigError(
            N_("%(program)s is not installed"),
            fix=N_(
                "install Debian's postgresql-client package (apt-get install postgresql-client), "
                "the same major version as the server or newer"
            ),
            code="backup.no_client",
            params={"program": name},
        )
    return found


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise StoreError(
            N_("%(what)s failed: %(detail)s"),
            fix=N_("see the message"),
            code="backup.command_failed",
            params={"what": what, "detail": " / ".join(detail[-3:]) or str(done.returncode)},
        )


def _audit_head(conn: Any) -> str | None:
    value = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": HEAD_KEY}).scalar()
    return None if value is None else str(value)


def _revisions(conn: Any) -> list[str]:
    return sorted(str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version")))


def backup(db: Database, path: Path, *, overwrite: bool = False) -> Manifest:
    """Write a consistent copy of `db` to `path` and its manifest beside it."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise InputError(
            N_("the backup file already exists"),
            file=str(path),
            fix=N_("choose a new name or pass --force"),
            code="backup.exists",
        )
    if not path.parent.exists():
        raise InputError(
            N_("the folder does not exist"),
            file=str(path.parent),
            fix=N_("create it first"),
            code="backup.no_folder",
        )
    if db.backend == "sqlite":
        tables, head, revisions = _backup_sqlite(db, path)
    elif db.backend == "postgresql":
        tables, head, revisions = _backup_postgres(db, path)
    else:  # pragma: no cover - make_engine refuses other backends
        raise ConfigError(
            N_("no backup for %(backend)s"), code="backup.unsupported", params={"backend": db.backend}
        )
    manifest = Manifest(
        format=FORMATS[db.backend],
        backend=db.backend,
        file=path.name,
        sha256=file_sha256(path),
        bytes=path.stat().st_size,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        oncofed_version=__version__,
        revisions=revisions,
        audit_head=head,
        tables={n: {"rows": d.rows, "sha256": d.sha256} for n, d in tables.items()},
    )
    manifest_path(path).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    record_backup(
        db,
        {
            "created_at": manifest.created_at,
            "file": str(path.resolve()),
            "sha256": manifest.sha256,
            "bytes": manifest.bytes,
            "tables": len(manifest.tables),
            "rows": sum(int(t["rows"]) for t in manifest.tables.values()),
            "audit_head": manifest.audit_head,
        },
    )
    return manifest


def _backup_sqlite(db: Database, path: Path) -> tuple[dict[str, TableDigest], str | None, list[str]]:
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)  # one step: a consistent snapshot of the source
        finally:
            target.close()
    finally:
        raw.close()
    os.replace(tmp, path)  # never a half-written file under the final name
    copy = create_engine(f"sqlite:///{path}")
    try:
        with copy.connect() as conn:
            return table_digests(conn), _audit_head(conn), _revisions(conn)
    finally:
        copy.dispose()


def _backup_postgres(db: Database, path: Path) -> tuple[dict[str, TableDigest], str | None, list[str]]:
    url, env = _libpq(db)
    tmp = path.with_name(path.name + ".partial")
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={tmp}",
                f"--dbname={url}",
            ],
            env,
            "pg_dump",
        )
        tables, head, revisions = table_digests(conn), _audit_head(conn), _revisions(conn)
        conn.rollback()
    os.replace(tmp, path)
    return tables, head, revisions


def read_manifest(path: Path) -> Manifest:
    mpath = manifest_path(path)
    if not path.exists():
        raise InputError(
            N_("backup file not found"),
            file=str(path),
            fix=N_("give the path used with `oncofed backup`"),
            code="backup.not_found",
        )
    if not mpath.exists():
        raise InputError(
            N_("the manifest is missing beside the backup"),
            file=str(mpath),
            fix=N_("copy the .manifest.json written with the backup next to it (it holds the checksum)"),
            code="backup.no_manifest",
        )
    try:
        data = json.loads(mpath.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (ValueError, TypeError) as exc:
        raise InputError(
            N_("unreadable manifest (%(detail)s)"),
            file=str(mpath),
            fix=N_("restore the manifest from the same backup"),
            code="backup.manifest_unreadable",
            params={"detail": str(exc)},
        ) from exc


def restore(db: Database, path: Path, *, progress: Callable[[str], None] | None = None) -> RestoreReport:
    """Replace the content of `db` with the backup at `path`, after checking its checksum; then
    check every table against the manifest and verify the audit chain."""
    started = time.perf_counter()
    path = Path(path)
    manifest = read_manifest(path)
    say = progress or (lambda _msg: None)
    say("checking the checksum")
    actual = file_sha256(path)
    if actual != manifest.sha256:
        raise InputError(
            N_("checksum mismatch: the file's SHA-256 is %(actual)s..., the manifest says %(expected)s..."),
            file=str(path),
            fix=N_(
                "the file is damaged or not the one this manifest describes: use another copy; nothing was changed"
            ),
            code="backup.checksum",
            params={"actual": actual[:16], "expected": manifest.sha256[:16]},
        )
    if manifest.backend != db.backend:
        raise InputError(
            N_("this is a %(backup)s backup and DATABASE_URL is %(database)s"),
            file=str(path),
            field="backend",
            fix=N_("restore into a %(backup)s database"),
            code="backup.backend",
            params={"backup": manifest.backend, "database": db.backend},
        )
    say("restoring")
    db.dispose()
    if db.backend == "sqlite":
        _restore_sqlite(db, path)
    else:
        url, env = _libpq(db)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={url}",
                str(path),
            ],
            env,
            "pg_restore",
        )
    db.dispose()
    say("comparing every table with the backup")
    found = table_digests(db.engine)
    problems = differences(manifest.digests(), found)
    if problems:
        raise StoreError(
            N_("the restored database differs from the backup: %(problems)s"),
            code="backup.restore_differs",
            params={"problems": "; ".join(problems[:10])},
        )
    say("verifying the audit chain")
    chain = verify_chain(db.engine)
    if not chain.ok:
        raise StoreError(
            N_("the restored audit chain does not verify: %(problems)s"),
            code="backup.restore_chain",
            params={"problems": chain.said[:5]},  # each said in the reader's language
        )
    with db.engine.connect() as conn:
        head = _audit_head(conn)
    if head != manifest.audit_head:
        raise StoreError(
            N_("the restored audit head %(head)s is not the backup's %(expected)s"),
            code="backup.restore_head",
            params={"head": head, "expected": manifest.audit_head},
        )
    return RestoreReport(
        manifest,
        tables=len(found),
        rows=sum(d.rows for d in found.values()),
        audit_rows=chain.rows,
        seconds=time.perf_counter() - started,
    )


def _restore_sqlite(db: Database, path: Path) -> None:
    """Copy the backup into the database through the backup API (page by page, in one
    transaction of the target: a reader sees the old or the new database, never a mix)."""
    with tempfile.TemporaryDirectory() as tmp:
        # read a private copy: the backup file itself is never opened for writing
        private = Path(tmp) / "restore.sqlite3"
        shutil.copyfile(path, private)
        source = sqlite3.connect(private)
        raw = db.engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            source.backup(target)
        finally:
            raw.close()
            source.close()
