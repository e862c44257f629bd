"""The data-protection officer checks objections to research use (a working day, issue 18): per centre how
many patients object, and any read of an objecting patient made for research in the audit log; the same
figures in the JSON API, its CSV, the page (French and English) and `oncofed audit objections`, for the DPO
and the administrator only. On both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.domain import Actor, Role
from oncofed.services.network.centres import load_centres
from oncofed.services.operations.objections import objection_report
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models import PatientRow


def _patient(pid: str, centre: str, objects: bool) -> PatientRow:
    return PatientRow(id=pid, centre_id=centre, display_name=pid, research_objection=objects, facts=[])


@pytest.fixture
def store(db: Database) -> Database:
    """Curie: three patients, one objecting; Gustave Roussy: one, objecting. The log: a research nurse read
    the Curie objector (a breach), a clinician read it for care (allowed), a feasibility question read the
    Roussy one (a breach), research staff read a non-objector (allowed)."""
    load_centres(db)
    with db.session() as s:
        s.add_all([
            _patient("curie-1", "curie", True), _patient("curie-2", "curie", False),
            _patient("curie-3", "curie", False), _patient("gr-1", "gustave-roussy", True),
        ])  # fmt: skip
        s.commit()
    nurse = Actor("arc", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
    doctor = Actor("dr", Role.CLINICIAN, frozenset({"curie"}), "care")
    manager = Actor("tm", Role.TRIAL_MANAGER, frozenset(), "feasibility")
    audit.append(db.engine, [
        audit.event_for(nurse, "prescreen.list", patients=[("curie-2", "curie"), ("curie-1", "curie")]),
        audit.event_for(doctor, "patient.read", patients=[("curie-1", "curie")]),
        audit.event_for(manager, "feasibility", patients=[("gr-1", "gustave-roussy")]),
        audit.event_for(nurse, "patient.read", patients=[("curie-3", "curie")]),
    ])  # fmt: skip
    return db


def test_the_report_counts_objectors_and_research_reads_of_them(store: Database) -> None:
    data = objection_report(store)
    by = {c["centre_id"]: c for c in data["centres"]}
    assert (by["curie"]["patients"], by["curie"]["objecting"], by["curie"]["objecting_percent"]) == (
        3,
        1,
        33.3,
    )
    assert (by["gustave-roussy"]["objecting"], by["gustave-roussy"]["research_reads"]) == (1, 1)
    assert by["curie"]["research_reads"] == 1  # the nurse's list; the clinician's care read is not counted
    assert data["network"] == {"patients": 4, "objecting": 2, "objecting_percent": 50.0, "research_reads": 2}
    assert [(r["user_id"], r["patient_id"]) for r in data["reads"]] == [("arc", "curie-1"), ("tm", "gr-1")]


def test_api_csv_and_page_for_the_dpo_only(store: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    dpo = Actor("dpo", Role.DPO, frozenset(), "audit")
    client = client_as(store, dpo)
    data = client.get("/api/audit/objections").json()
    assert data["network"]["research_reads"] == 2
    csv = client.get("/api/audit/objections?format=csv").text.splitlines()
    assert csv[0].startswith("centre_id,centre,patients,objecting") and len(csv) == 1 + len(data["centres"])
    reads = client.get("/api/audit/objections?format=csv&reads=1").text.splitlines()
    assert reads[0].startswith("seq,at,user_id") and len(reads) == 3
    fr = client.get("/audit/objections?lang=fr").text
    assert "Oppositions à l’usage pour la recherche" in fr and "2 lectures de patients opposés" in fr
    assert "33,3&nbsp;%" in fr and 'href="/audit?patient=gr-1"' in fr
    en = client.get("/audit/objections?lang=en").text
    assert "2 reads of objecting patients for research" in en
    assert 'id="objections-link"' in client.get("/audit").text  # reached from the audit log
    for role in (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.QUALITY_MANAGER):
        other = client_as(store, Actor("x", role, frozenset({"curie"}), "care"))
        assert other.get("/api/audit/objections").status_code == 403


def test_the_command_line_says_it_in_french(store: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from oncofed.cli import app
    from oncofed.commands.common import set_language

    url = store.engine.url.render_as_string(hide_password=False)
    try:
        out = CliRunner().invoke(app, ["--lang", "fr", "audit", "objections"], env={"DATABASE_URL": url,
                                 "ONCOFED_VAR_DIR": str(tmp_path), "COLUMNS": "200"})  # fmt: skip
    finally:
        set_language("en")
    said = " ".join(out.output.split())
    assert out.exit_code == 0, out.output
    assert "Oppositions à l’usage pour la recherche" in said and "2 lectures de patients opposés" in said
    assert "33,3\u00a0%" in out.output and "curie-1" in said


@pytest.mark.browser
def test_the_dpo_goes_from_the_audit_log_to_the_objections_in_french(live_server, page) -> None:  # type: ignore[no-untyped-def]
    """The DPO's path in headless Chromium: the audit log's link, the table in French, a centre's name
    leading back to that centre's entries."""
    from tests.browser_helpers import log_in, shot

    log_in(page, live_server, "dpo", lang="fr")
    page.goto(live_server.url("/audit?lang=fr"))
    page.click("#objections-link")
    assert page.locator("h1").inner_text() == "Oppositions à l’usage pour la recherche"
    assert page.locator("#objection-reads").inner_text().startswith("Aucune lecture")
    foot = page.locator("#objections tfoot").inner_text()
    assert "Réseau" in foot and "\u00a0%" in foot
    shot(page, "audit-objections-fr.png", full_page=False)
    page.locator("#objections tbody a").first.click()
    assert "centre=" in page.url and page.locator("table#audit").count() == 1
