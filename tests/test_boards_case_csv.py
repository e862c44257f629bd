"""Every table of a board case's page has its CSV (the candidate trials, the patient summary's facts, the
trail: links on the page, `?format=csv&table=...` in the API, `oncofed boards case --csv --table ...`), the
trail's CSV says each event in the reader's language; a board's page exports its waiting list and members.
The demo's decisions are written in the centres' language (French), like their questions."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow, TrialDecisionRow
from oncofed.synthetic.boards import proposal_text

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")
PAGE_FR = {"accept": "text/html", "accept-language": "fr"}


def _signed_case(db: Database) -> CaseRow:
    with db.session() as s:
        return s.scalars(
            select(CaseRow)
            .where(CaseRow.patient_centre_id == "curie", CaseRow.status == "signed", CaseRow.n_candidates > 0)
            .order_by(CaseRow.id)
        ).first()


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_each_table_of_a_case_page_links_to_its_csv(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    case = _signed_case(demo_db)
    client = client_as(demo_db, CLIN)
    page = client.get(f"/boards/cases/{case.id}", headers=PAGE_FR)
    assert page.status_code == 200
    links = dict(re.findall(r'href="([^"]+)" download id="(csv-[a-z]+)"', page.text))
    by_id = {v: k.replace("&amp;", "&") for k, v in links.items()}
    assert set(by_id) == {"csv-candidates", "csv-facts", "csv-trail"}
    facts = _rows(client.get(by_id["csv-facts"], headers={"accept-language": "fr"}).text)
    assert facts and {"kind", "value", "provenance"} <= set(facts[0])
    trail = _rows(client.get(by_id["csv-trail"], headers={"accept-language": "fr"}).text)
    assert [r["action"] for r in trail][-1] == "signed"
    assert trail[-1]["what"] == "signé" and trail[-1]["detail"]  # the event in the reader's words
    trials = _rows(client.get(by_id["csv-candidates"]).text)
    assert len(trials) == case.n_candidates
    # the trail's table says what its columns are
    assert "<th>Qui</th>" in page.text or "<th>Qui </th>" in page.text


def test_a_board_page_exports_its_waiting_list_and_members(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    case = _signed_case(demo_db)
    client = client_as(demo_db, CLIN)
    with demo_db.session() as s:
        board_id = s.get(CaseRow, case.id).board_id
    page = client.get(f"/boards/{board_id}", headers=PAGE_FR).text
    assert 'id="csv-members"' in page
    members = _rows(client.get(f"/api/boards/{board_id}?format=csv&table=members").text)
    assert members and set(members[0]) == {"name", "specialty", "username"}


def test_the_command_line_writes_the_case_facts_and_trail_as_csv(demo_db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", str(demo_db.engine.url))
    case = _signed_case(demo_db)
    runner = CliRunner()
    base = ["boards", "case", str(case.id), "--centre", "curie", "--csv"]
    facts = runner.invoke(app, [*base, "--table", "facts"])
    assert facts.exit_code == 0, facts.output
    assert facts.output.startswith("kind,code,display,value,unit,when,negated,provenance")
    trail = runner.invoke(app, ["--lang", "fr", *base, "--table", "events"])
    assert trail.exit_code == 0, trail.output
    assert _rows(trail.output)[-1]["what"] == "signé"
    wrong = runner.invoke(app, [*base, "--table", "nope"])
    assert wrong.exit_code == 2 and "--table" in wrong.output


def test_the_demo_decisions_are_written_in_french(demo_db: Database) -> None:
    with demo_db.session() as s:
        proposals = list(s.scalars(select(CaseRow.proposal).where(CaseRow.proposal != "").limit(200)))
        notes = list(
            s.scalars(select(TrialDecisionRow.note).where(TrialDecisionRow.reason == "other").limit(50))
        )
    assert proposals
    english = re.compile(r"\b(Surgery|Systemic therapy|Radiotherapy as|Trial proposed|Demo:)")
    assert not [p for p in proposals if english.search(p)]
    assert all(("Chirurgie" in p or "Radiothérapie" in p or "systémique" in p) for p in proposals)
    assert notes and all(n.startswith("Démo") for n in notes)
    assert proposal_text(["systemic", "trial"], ["NCT1"], "en").endswith("Trial proposed: NCT1.")
    assert proposal_text(["surgery"], ["NCT1", "NCT2"]) == (
        "Chirurgie première, puis nouvelle présentation avec l'anatomopathologie définitive."
        " Essai proposé\u00a0: NCT1, NCT2."
    )
