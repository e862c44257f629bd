"""Shared fixtures: databases on SQLite and PostgreSQL, a demo database, a live server, a browser."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from oncofed.store.db import Database

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()
PG_URL = os.environ.get("ONCOFED_TEST_DATABASE_URL")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The ranker's dense layer (a sentence-embedding model on CPU) is off in the suite to keep it fast;
# tests/test_ranking.py switches it on where it is under test.
os.environ.setdefault("ONCOFED_RERANK", "off")
# The command line speaks the shell's language (LANG=fr_FR...) unless told: the suite's English runs ask for English.
os.environ.setdefault("ONCOFED_LANG", "en")
# The model's ONNX conversion (matching/ranking/encoder.py) is made once per checkout, whatever a
# test's ONCOFED_VAR_DIR.
os.environ.setdefault("ONCOFED_MODELS_DIR", str(ROOT / "var" / "models"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    pg = make_url(PG_URL).render_as_string(hide_password=True) if PG_URL else "not configured (tests skip)"
    return [
        f"oncofed store tests: SQLite and PostgreSQL at {pg}",
        f"shared data: {SHARED_DATA if SHARED_DATA.exists() else 'absent (tests that need it skip)'}",
        f"chromium: {CHROMIUM or 'absent'}",
    ]


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with the reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not found: {path} (the ../shared/data folder is not on this machine)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- databases -------------------------------------------------------------------------------


def copy_sqlite(source: Database, target: Path) -> Path:
    """A consistent copy of a live SQLite database through SQLite's backup API (WAL content included).

    Never `shutil.copy` a database this process has open: closing any file descriptor of the file drops
    every POSIX lock the process's SQLite connections hold on it (sqlite.org/howtocorrupt.html, 2.2),
    and the shared demo database then fails with "disk I/O error" for later tests."""
    import sqlite3

    with sqlite3.connect(str(source.engine.url.database)) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture(autouse=True)
def _fresh_audit_context() -> Iterator[None]:
    """Each test starts with no audit request context: a command run in-process by `CliRunner` sets
    it ("cli: oncofed ...") and, unlike a real process that ends with its command, would leave it to
    the next test's audit records."""
    from oncofed.store.audit import audit_context

    token = audit_context.set("")
    yield
    audit_context.reset(token)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    if not PG_URL:
        if IN_CI:
            pytest.fail("ONCOFED_TEST_DATABASE_URL is not set in CI: run the suite through `make test`")
        pytest.skip("PostgreSQL not configured: run `make test` (starts a throw-away cluster)")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS oncofed_template"))
        conn.execute(text("CREATE DATABASE oncofed_template"))
    template_url = make_url(PG_URL).set(database="oncofed_template").render_as_string(hide_password=False)
    db = Database(template_url)
    db.upgrade()
    db.dispose()
    admin.dispose()
    yield PG_URL


def _new_pg_database(admin_url: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE oncofed_template'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """An empty, fully migrated database: runs each test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "oncofed.sqlite3"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
    else:
        admin_url = request.getfixturevalue("pg_admin_url")
        url = _new_pg_database(admin_url)
        database = Database(url)
        yield database
        database.dispose()
        _drop_pg_database(admin_url, url)


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "oncofed.sqlite3"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A small demo network (300 synthetic patients) on SQLite, shared read-only by page tests."""
    from oncofed.synthetic.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = Database(f"sqlite:///{path}")
    build_demo(database, patients=300, seed=42)
    return database


# --- live server and browser -----------------------------------------------------------------


class LiveServer:
    def __init__(self, base_url: str, server: object, thread: threading.Thread) -> None:
        self.base_url = base_url
        self._server = server
        self._thread = thread

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve(app: object) -> Iterator[LiveServer]:
    """`app` (a FastAPI app) served by uvicorn in a thread on a free local port; stopped on exit.
    The module fixtures that need their own app (an actor resolver, another database) use it."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_as(database: Database, actor: object) -> Iterator[LiveServer]:
    """The web app over `database`, every request made as `actor` (no sign-in: the resolver is
    replaced, as `client_as` does), served as `serve` does."""
    from oncofed.web.app import create_app

    app = create_app(database)
    app.state.actor_resolver = lambda request: actor
    with serve(app) as server:
        yield server


@pytest.fixture(scope="session")
def live_server(demo_db: Database) -> Iterator[LiveServer]:
    """The web app served by uvicorn on a free local port, over the session's demo database."""
    from oncofed.web.app import create_app

    with serve(create_app(demo_db)) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright (never `playwright install`)."""
    if not CHROMIUM:
        if IN_CI:
            pytest.fail("chromium is missing in CI: `make test` installs Debian's chromium package")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def new_page(browser: object) -> Iterator[Callable[[], Any]]:
    """`new_page()` -> a page in a browser context of its own (one per user signed in at once)."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[attr-defined]
        contexts.append(context)
        return context.new_page()

    yield make
    for c in contexts:
        c.close()


SCREENSHOTS = ROOT / "docs" / "screenshots"


# --- in-process API client as a given actor ---------------------------------------------------


@pytest.fixture
def client_as():
    """`client_as(db, actor)` -> a FastAPI TestClient whose every request is made as `actor`.

    Until authentication exists this sets `app.state.actor_resolver`; with authentication it
    remains the way to test authorisation rules without logging in.
    """
    from fastapi.testclient import TestClient

    from oncofed.web.app import create_app

    clients = []

    def make(database: Database, actor=None):  # type: ignore[no-untyped-def]
        app = create_app(database)
        if actor is not None:
            app.state.actor_resolver = lambda request: actor
        client = TestClient(app)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()
