"""Tumour boards through the API, the pages and the CLI, on a copy of the demo network (which has a
year of boards): roles, JSON twins and CSV exports, the record as PDF, the patient's page, the
indicators under /quality, and bad input refused with the field and the fix."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.services.boards.access import utcnow
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow, CaseRow
from tests.conftest import copy_sqlite
from tests.route_matrix import PATIENT_ID

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")
TM = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")


@pytest.fixture(scope="module")
def web_db(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    target = tmp_path_factory.mktemp("boards-web") / "web.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


def _signed_case(db: Database, centre: str = "curie") -> CaseRow:
    with db.session() as s:
        return s.scalars(
            select(CaseRow)
            .where(CaseRow.patient_centre_id == centre, CaseRow.status == "signed", CaseRow.n_candidates > 0)
            .order_by(CaseRow.id)
        ).first()


def test_board_pages_need_a_login_and_screen_failures_are_for_trial_managers(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    public = client_as(web_db, Actor.public())
    assert public.get("/api/boards").status_code == 401
    assert public.get("/api/boards/screen-failures").status_code == 401
    clin = client_as(web_db, CLIN)
    assert clin.get("/api/boards/screen-failures").status_code == 403
    tm = client_as(web_db, TM)
    data = tm.get("/api/boards/screen-failures").json()
    assert data["failures"] and data["trials"] and not PATIENT_ID.search(str(data))
    csv_text = tm.get("/api/boards/screen-failures?format=csv").text
    assert csv_text.startswith("trial_id,title,board_centre_id,reason") and not PATIENT_ID.search(csv_text)
    assert tm.get("/boards/screen-failures", headers={"accept": "text/html"}).status_code == 200
    assert tm.get("/api/boards").status_code == 403


def test_json_twins_csv_exports_and_the_record_as_pdf(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    clin = client_as(web_db, CLIN)
    boards = clin.get("/api/boards").json()["boards"]
    assert len(boards) >= 19 * 7 and any(b["accepts_recourse"] for b in boards)
    assert clin.get("/api/boards?format=csv").text.startswith("id,name,centre_id")
    case = _signed_case(web_db)
    card = clin.get(f"/api/boards/cases/{case.id}").json()
    assert card["patient_id"] == case.patient_id and card["signed_at"] and card["candidates"]
    assert clin.get(f"/api/boards/cases/{case.id}?format=csv").text.startswith("trial_id,title,verdict")
    assert clin.get(f"/api/boards/cases/{case.id}?format=csv&table=facts").text.startswith(
        "kind,code,display"
    )
    page = clin.get(f"/boards/cases/{case.id}", headers={"accept": "text/html"})
    assert page.status_code == 200 and "decision-form" in page.text
    record = clin.get(f"/boards/cases/{case.id}/record?lang=fr")
    assert record.status_code == 200 and "Fiche RCP" in record.text and case.patient_id in record.text
    pdf = clin.get(f"/boards/cases/{case.id}/record.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    from weasyprint import HTML

    assert len(HTML(string=record.text).render().pages) >= 1  # the same document, laid out in pages
    meeting = clin.get(f"/api/boards/meetings/{case.meeting_id}?format=csv").text
    assert meeting.startswith("case_id,patient_id") and case.patient_id in meeting


def test_the_patients_page_lists_their_boards_and_other_centres_get_not_found(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    case = _signed_case(web_db)
    clin = client_as(web_db, CLIN)
    rows = clin.get(f"/api/boards/patients/{case.patient_id}").json()["cases"]
    assert rows and rows[0]["case_id"] == case.id or any(r["case_id"] == case.id for r in rows)
    page = clin.get(f"/patients/{case.patient_id}", headers={"accept": "text/html"})
    assert 'id="patient-boards"' in page.text and f"/boards/cases/{case.id}" in page.text
    other = _signed_case(web_db, "gustave-roussy")
    assert clin.get(f"/api/boards/patients/{other.patient_id}").status_code == 404
    assert clin.get(f"/api/boards/cases/{other.id}").status_code == 404


def test_bad_input_through_the_api_names_the_field_and_the_fix(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    clin = client_as(web_db, CLIN)
    with web_db.session() as s:
        board = s.scalar(select(BoardRow.id).where(BoardRow.centre_id == "curie", BoardRow.site == "general"))
        other_board = s.scalar(
            select(BoardRow.id).where(BoardRow.centre_id == "icm", BoardRow.site == "general")
        )
    past = (utcnow() - timedelta(days=1)).isoformat(timespec="minutes")
    r = clin.post(f"/api/boards/{board}/meetings", json={"scheduled_for": past})
    assert r.status_code == 422 and "in the past" in r.json()["detail"] and r.json()["fix"]
    mine = _signed_case(web_db).patient_id
    r = clin.post(f"/api/boards/{other_board}/cases", json={"patient_id": mine, "kind": "new_case"})
    assert r.status_code == 422 and "recourse" in r.json()["fix"]
    case = _signed_case(web_db)
    r = clin.post(
        f"/api/boards/cases/{case.id}/decision",
        json={"proposal": "x", "settings": ["surgery"], "specialties": []},
    )
    assert r.status_code == 422 and "specialt" in r.json()["detail"]
    form = clin.post(
        f"/boards/{board}/meetings", data={"scheduled_for": past}, headers={"accept": "text/html"}
    )
    assert form.status_code == 422 and "in the past" in form.text


def test_board_indicators_appear_under_quality_with_funnel_plots(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    public = client_as(web_db, Actor.public())
    ids = {i["id"] for i in public.get("/api/quality/indicators").json()["indicators"]}
    assert {
        "rcp_before_treatment",
        "rcp_three_specialties",
        "rcp_inclusions_new_patients",
        "rcp_days_to_inclusion",
    } <= ids
    svg = public.get("/api/quality/indicators/rcp_trial_proposed/funnel.svg")
    assert svg.status_code == 200 and "<svg" in svg.text


def test_cli_lists_boards_and_writes_the_record_pdf(
    web_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", str(web_db.engine.url))
    runner = CliRunner()
    out = runner.invoke(app, ["boards", "list", "--centre", "curie", "--json"])
    assert out.exit_code == 0, out.output
    assert {b["centre_id"] for b in json.loads(out.output)} == {"curie"}
    case = _signed_case(web_db)
    pdf = tmp_path / "record.pdf"
    out = runner.invoke(app, ["boards", "record", str(case.id), "--pdf", str(pdf), "--lang", "fr"])
    assert out.exit_code == 0, out.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    out = runner.invoke(app, ["boards", "meeting", "1", "--when", "2001-01-01T10:00", "--centre", "curie"])
    assert out.exit_code == 2 and "in the past" in out.output
    # the case's trail as the page says it: the JSON twin carries 'said' in the asked language, the text lists it
    out = runner.invoke(app, ["boards", "case", str(case.id), "--centre", "curie", "--json", "--lang", "fr"])
    assert out.exit_code == 0, out.output
    events = json.loads(out.output)["events"]
    assert events and all(e["said"] is not None for e in events)
    out = runner.invoke(app, ["boards", "case", str(case.id), "--centre", "curie"])
    assert out.exit_code == 0, out.output
    assert events[-1]["action"] in out.output


def test_a_recourse_request_through_the_pages_reaches_the_expert_board_without_identity(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    expert_actor = Actor("clin-lb", Role.CLINICIAN, frozenset({"leon-berard"}), "care")
    with web_db.session() as s:
        sarcoma = s.scalar(
            select(BoardRow.id).where(BoardRow.centre_id == "leon-berard", BoardRow.site == "sarcoma")
        )
        busy = set(s.scalars(select(CaseRow.patient_id).where(CaseRow.board_id == sarcoma)))
        mine = next(
            p
            for p in s.scalars(select(CaseRow.patient_id).where(CaseRow.patient_centre_id == "curie"))
            if p not in busy
        )
    clin = client_as(web_db, CLIN)
    r = clin.post(
        f"/boards/{sarcoma}/cases",
        data={"patient_id": mine, "kind": "recourse", "question": "expert opinion"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    case_id = int(r.headers["location"].rsplit("/", 1)[1])
    expert = client_as(web_db, expert_actor)
    page = expert.get(f"/boards/{sarcoma}", headers={"accept": "text/html"}).text
    assert f"/boards/cases/{case_id}/schedule" in page and mine not in page
    when = (utcnow() + timedelta(days=5)).isoformat(timespec="minutes")
    meeting = expert.post(f"/api/boards/{sarcoma}/meetings", json={"scheduled_for": when}).json()["id"]
    r = expert.post(
        f"/boards/cases/{case_id}/schedule", data={"meeting_id": str(meeting)}, follow_redirects=False
    )
    assert r.status_code == 303
    agenda = expert.get(f"/api/boards/meetings/{meeting}").json()["cases"]
    assert [(c["case_id"], c["patient_id"], c["kind"]) for c in agenda] == [(case_id, None, "recourse")]
    assert clin.get(f"/api/boards/cases/{case_id}").json()["patient_id"] == mine
