"""The audit log's details stored as a code and its parameters (language-free, inside the hashed row), said
in the reader's language on the DPO's page, in `/api/audit` (`?lang=` or Accept-Language) and its CSV, and in
`oncofed --lang fr audit list`; an entry written before codes keeps its English text; the chain still
verifies. The DPO's next steps: a user's or a patient's every entry one click away, the actions to filter
by listed with their words, the CSV of the filtered rows not cut at the page's 500."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.errors import NotFound
from oncofed.store import audit
from oncofed.store.audit_words import coded, what
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from tests.test_audit import seed_patients

CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
NURSE = Actor("rose", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
DPO = Actor("dora", Role.DPO, purpose="audit")


def _events(db: Database) -> None:
    """A refused read of another centre's patient, a refused pre-screening list, a staff aggregate and
    an entry written as English text before details were coded."""
    seed_patients(db, {"curie": 2, "gustave-roussy": 2})
    token = audit.audit_context.set("GET /api/patients/gustave-roussy-0001")
    try:
        with db.session() as s, pytest.raises(NotFound):
            PatientRepository(s, CLINICIAN).get("gustave-roussy-0001")
    finally:
        audit.audit_context.reset(token)
    audit.record_security(
        db.engine, NURSE, "refused", centres=["gustave-roussy"],
        detail=coded("refused.centre_scope", what=what("prescreen", trial="NCT01234567")),
    )  # fmt: skip
    ev = audit.event_for(
        DPO, "staff.aggregate", detail=coded("staff.aggregate", purpose="aggregate", records=12)
    )
    audit.append(
        db.engine, [ev, audit.event_for(DPO, "staff.read", detail="staff records of an older version")]
    )


def test_a_detail_is_stored_as_its_code_and_said_in_english_by_search(db: Database) -> None:
    _events(db)
    with db.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT detail FROM audit_log ORDER BY seq")]
    first = json.loads(stored[0])
    assert first == {
        "code": "refused.other_centre",
        "params": {"what": "patient.read"},
        "request": "GET /api/patients/gustave-roussy-0001",
    }
    assert "outside" not in stored[0]  # no English words in the stored row
    assert stored[-1] == "staff records of an older version"  # older text kept as it was
    rows = audit.search(db.engine)
    assert (
        rows[-1]["detail"]
        == "GET /api/patients/gustave-roussy-0001 | patient.read: outside the caller's centres"
    )
    assert rows[-1]["detail_code"] == "refused.other_centre" and rows[-1]["request"].startswith("GET ")
    assert rows[-2]["detail"] == "pre-screening of NCT01234567: centre outside the caller's scope"
    assert rows[0]["detail_code"] is None and rows[0]["detail"] == "staff records of an older version"
    assert audit.verify_chain(db.engine).ok


def test_the_api_csv_and_page_say_the_detail_in_the_readers_language(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    _events(db)
    dpo = client_as(db, DPO)
    fr = dpo.get("/api/audit", params={"lang": "fr"}).json()["entries"]
    said = {e["detail_code"]: e["detail"] for e in fr}
    assert (
        said["refused.other_centre"]
        == "lecture d'un dossier patient\u00a0: hors des centres de l'utilisateur"
    )
    assert (
        said["refused.centre_scope"]
        == "présélection de NCT01234567\u00a0: centre hors du périmètre de l'utilisateur"
    )
    assert said["staff.aggregate"] == "chiffres agrégés\u00a0: 12 dossiers du personnel"
    assert said[None] == "staff records of an older version"
    assert {e["action_said"] for e in fr} >= {"refusé\u00a0: hors du périmètre de l'utilisateur"}
    refused = next(e for e in fr if e["detail_code"] == "refused.other_centre")
    assert refused["request"] == "GET /api/patients/gustave-roussy-0001" and refused["detail_params"] == {
        "what": "patient.read"
    }
    english = dpo.get("/api/audit", params={"lang": "en"}).json()["entries"]
    assert any(e["detail"] == "read a patient record: outside the caller's centres" for e in english)
    dpo.cookies.clear()  # `?lang=` is remembered in a cookie: the header alone now
    by_header = dpo.get("/api/audit", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).json()["entries"]
    assert [e["detail"] for e in by_header] == [e["detail"] for e in fr]
    table = list(
        csv.DictReader(io.StringIO(dpo.get("/api/audit", params={"format": "csv", "lang": "fr"}).text))
    )
    assert len(table) == 4 and {"detail", "detail_code", "request", "action_said", "hash"} <= set(table[0])
    assert "hors du périmètre" in " ".join(r["detail"] for r in table)
    page = html.unescape(dpo.get("/audit", params={"lang": "fr"}, headers={"accept": "text/html"}).text)
    assert "présélection de NCT01234567\u00a0: centre hors du périmètre de l'utilisateur" in page
    assert "outside the caller" not in page
    assert 'href="/audit?user=rose"' in page and 'href="/audit?patient=gustave-roussy-0001"' in page
    assert '<datalist id="audit-actions">' in page and 'value="security.refused"' in page


def test_the_csv_of_the_filtered_rows_is_not_cut_at_the_pages_limit(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    seed_patients(db, {"curie": 1})
    audit.append(
        db.engine, [audit.event_for(DPO, "staff.read", detail=coded("staff.read")) for _ in range(503)]
    )
    dpo = client_as(db, DPO)
    assert dpo.get("/api/audit").json()["count"] == 500
    assert len(dpo.get("/api/audit", params={"format": "csv"}).text.strip().splitlines()) == 1 + 503
    assert dpo.get("/api/audit", params={"limit": 3}).json()["count"] == 3
    page = dpo.get("/audit", headers={"accept": "text/html"}).text
    assert 'id="audit-more"' in page


def test_the_command_line_lists_the_details_in_its_language(db: Database, monkeypatch: Any) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.commands.common import set_language

    _events(db)
    monkeypatch.setattr("oncofed.commands.common.open_database", lambda upgrade=True: db)
    try:
        out = CliRunner().invoke(app, ["--lang", "fr", "audit", "list", "--csv"])
    finally:
        set_language("en")
    assert out.exit_code == 0, out.output
    assert "hors des centres de l'utilisateur" in out.output and "outside the caller" not in out.output


@pytest.mark.browser
def test_the_french_audit_page_in_chromium(demo_db: Database, live_server: Any, page: Any) -> None:
    from tests.browser_helpers import log_in, shot

    audit.record_security(
        demo_db.engine, Actor("rose-polish17", Role.RESEARCH_STAFF, frozenset({"curie"}), "research"), "refused",
        centres=["gustave-roussy"], detail=coded("refused.centre_scope", what=what("screening_log", trial="NCT09999999")),
    )  # fmt: skip
    log_in(page, live_server, "dpo", lang="fr")
    page.goto(live_server.url("/audit?lang=fr&user=rose-polish17"))
    row = page.locator("table#audit tbody tr").first
    assert (
        "journal de présélection de NCT09999999\u00a0: centre hors du périmètre"
        in row.locator("td.detail").inner_text()
    )
    row.locator("a", has_text="rose-polish17").click()
    page.wait_for_load_state()
    assert "user=rose-polish17" in page.url and page.locator("table#audit tbody tr").count() == 1
    shot(page, "audit-fr.png", full_page=False)


def test_a_broken_chain_is_said_in_the_readers_language(
    sqlite_db: Database, client_as, monkeypatch: Any
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.commands.common import set_language
    from tests.test_audit import drop_guards

    _events(sqlite_db)
    drop_guards(sqlite_db)
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET user_id = 'nobody' WHERE seq = 2"))
    report = audit.verify_chain(sqlite_db.engine)
    assert report.problems == ["row 2: content does not match its hash (edited row)"]  # English kept
    said = "ligne 2\u00a0: le contenu ne correspond pas à son empreinte (ligne modifiée)"
    dpo = client_as(sqlite_db, DPO)
    assert dpo.get("/api/audit/verify", params={"lang": "fr"}).json()["problems"] == [said]
    page = html.unescape(dpo.get("/audit", params={"lang": "fr"}, headers={"accept": "text/html"}).text)
    assert said in page and "edited row" not in page
    monkeypatch.setattr("oncofed.commands.common.open_database", lambda upgrade=True: sqlite_db)
    try:
        out = CliRunner().invoke(app, ["--lang", "fr", "audit", "verify"])
    finally:
        set_language("en")
    assert out.exit_code == 1 and "chaîne d'audit rompue" in out.output
    assert "le contenu ne correspond pas à son empreinte" in out.output and "edited row" not in out.output
