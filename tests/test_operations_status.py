"""The operations page (issue 22): schema, audit chain, last backup and pool for the administrator
and the DPO; JSON twin, CSV export, French and English, refused to everyone else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.services.operations.backup import backup
from oncofed.store.db import Database
from tests.conftest import SCREENSHOTS, LiveServer
from tests.test_browser_trust import log_in

ADMIN = Actor("ada", Role.ADMIN, purpose="administration")
DPO = Actor("dora", Role.DPO, purpose="audit")
CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")


def checks(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["check"]: c for c in body["checks"]}


def test_status_shows_the_last_backup_once_one_is_made(
    sqlite_db: Database, client_as: Any, tmp_path: Path
) -> None:
    client = client_as(sqlite_db, ADMIN)
    before = client.get("/api/operations")
    assert before.status_code == 200
    found = checks(before.json())
    assert found["schema"]["status"] == "ok" and found["audit_chain"]["status"] == "ok"
    assert found["last_backup"]["status"] == "warning" and "oncofed backup" in found["last_backup"]["detail"]
    manifest = backup(sqlite_db, tmp_path / "b.sqlite3")
    after = client.get("/api/operations").json()
    assert checks(after)["last_backup"]["status"] == "ok"
    assert after["last_backup"]["sha256"] == manifest.sha256 and after["ok"] is True
    csv = client.get("/api/operations?format=csv")
    assert csv.text.splitlines()[0] == "check,status,value,detail" and "last_backup,ok" in csv.text


@pytest.mark.parametrize(("actor", "status"), [(DPO, 200), (CLINICIAN, 403), (None, 401)])
def test_only_administrators_and_the_dpo_see_it(
    sqlite_db: Database, client_as: Any, actor: Any, status: int
) -> None:
    client = client_as(sqlite_db, actor)
    assert client.get("/api/operations").status_code == status


def test_a_schema_behind_is_an_error(sqlite_db: Database, client_as: Any) -> None:
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version")
    body = client_as(sqlite_db, ADMIN).get("/api/operations").json()
    assert body["ok"] is False and "oncofed db upgrade" in checks(body)["schema"]["detail"]


@pytest.mark.browser
def test_operations_page_in_english_and_french(live_server: LiveServer, page: Any) -> None:
    log_in(page, live_server, "admin")
    page.goto(live_server.url("/operations?lang=en"))
    assert page.locator("h1").inner_text() == "Operations"
    rows = page.locator("#ops-checks tbody tr")
    assert rows.count() == 4
    assert page.locator("tr[data-check=audit_chain] td").nth(1).inner_text() == "ok"
    assert "/operations" in [a.get_attribute("href") for a in page.locator("header nav a").all()]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "operations.png"), full_page=True)
    page.goto(live_server.url("/operations?lang=fr"))
    assert page.locator("h1").inner_text() == "Exploitation"
    assert "Chaîne d'audit" in page.locator("#ops-checks").inner_text()


def test_a_command_in_an_engine_sentence_is_shown_as_code_not_backticks() -> None:
    """'run `oncofed backup PATH`' showed its raw backticks on the operations page (seen 2026-12-06);
    the rest of the sentence stays escaped."""
    from oncofed.presenters.i18n import said_html

    assert said_html("no backup recorded: run `oncofed backup PATH`") == (
        "no backup recorded: run <code>oncofed backup PATH</code>"
    )
    assert said_html("a <b> & `oncofed x` `not a command`") == (
        "a &lt;b&gt; &amp; <code>oncofed x</code> `not a command`"
    )
