"""A refused board or pre-screening action is said in the reader's language: services raise errors with
a code and parameters (oncofed.errors), said by presenters/errors.py on the pages, in the API's JSON
(`detail` in the request's language, with `code` and `params`) and on the command line (`--lang`).
Error pages give a way back (the page the action was on, or the page the browser came from)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.presenters.errors import said
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, change_status
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow
from tests.conftest import copy_sqlite
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")
FR = {"accept-language": "fr"}
PAGE_FR = {"accept": "text/html", "accept-language": "fr"}


@pytest.fixture(scope="module")
def web_db(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    target = tmp_path_factory.mktemp("errors-lang") / "web.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    yield db
    db.dispose()


def _curie_board(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(BoardRow.id).where(BoardRow.centre_id == "curie").order_by(BoardRow.id)))


def test_an_error_with_a_code_is_english_in_the_service_and_said_in_french() -> None:
    exc = InputError(
        N_("the meeting on %(when)s is in the past"),
        field="scheduled_for",
        fix=N_("choose a date and time from now on (records of past meetings are not back-dated)"),
        code="boards.meeting_in_past",
        params={"when": datetime(2001, 1, 1, 10, 0)},
    )
    assert exc.message == "scheduled_for: the meeting on 2001-01-01 10:00 is in the past"
    fr = said(exc, "fr")
    assert fr["code"] == "boards.meeting_in_past" and fr["params"] == {"when": "2001-01-01T10:00:00"}
    assert fr["message"] == "la réunion du 1er janv. 2001 10:00 est dans le passé"
    assert fr["fix"].startswith("choisissez une date") and fr["field"] == "scheduled_for"
    en = said(exc, "en")
    assert en["message"] == "the meeting on 1 Jan 2001 10:00 is in the past"
    # an error without a code keeps its own words
    assert said(NotFound("no such thing", fix="look elsewhere"), "fr")["message"] == "no such thing"


def test_the_api_says_a_refused_board_action_in_the_request_language(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(web_db, CLIN)
    board = _curie_board(web_db)
    url = f"/api/boards/{board}/meetings"
    fr = client.post(url, json={"scheduled_for": "2001-01-01T10:00:00"}, headers=FR)
    assert fr.status_code == 422
    body = fr.json()
    assert body["code"] == "boards.meeting_in_past" and body["params"]["when"].startswith("2001-01-01T10:00")
    assert body["detail"] == "la réunion du 1er janv. 2001 10:00 est dans le passé"
    assert "antidatés" in body["fix"] and body["field"] == "scheduled_for"
    en = client.post(url, json={"scheduled_for": "2001-01-01T10:00:00"}).json()
    assert en["detail"] == "the meeting on 1 Jan 2001 10:00 is in the past" and en["code"] == body["code"]
    missing = client.get("/api/boards/cases/987654", headers=FR)
    assert missing.status_code == 404 and missing.json()["detail"] == "aucun dossier 987654 dans vos centres"


def test_a_refused_form_says_why_in_french_and_links_back_to_its_page(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(web_db, CLIN)
    board = _curie_board(web_db)
    page = client.post(
        f"/boards/{board}/meetings", data={"scheduled_for": "2001-01-01T10:00"}, headers=PAGE_FR
    )
    assert page.status_code == 422
    html = page.text
    assert "La réunion du 1er janv. 2001 10:00 est dans le passé" in html
    assert "is in the past" not in html and "antidatés" in html
    assert f'href="/boards/{board}" id="error-back"' in html  # the board's page, where the form was
    assert 'id="error-help"' in html and "Retour à la page précédente" in html


def test_an_error_page_links_to_the_page_the_browser_came_from_on_this_site_only(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(web_db, CLIN)
    came = client.get(
        "/boards/cases/987654", headers={**PAGE_FR, "referer": "http://testserver/patients?q=BRCA"}
    )
    assert came.status_code == 404
    assert 'href="/patients?q=BRCA" id="error-back"' in came.text
    assert "Aucun dossier 987654 dans vos centres" in came.text  # a coded 404 says what was not found
    away = client.get("/boards/cases/987654", headers={**PAGE_FR, "referer": "https://elsewhere.example/x"})
    assert 'id="error-back"' not in away.text and 'id="error-help"' in away.text


def test_a_refused_screening_change_is_said_in_the_nurse_language(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    me = nurse(a)
    refresh_prescreen(db, TRIAL_ID, a, me, engine=FAKE_ENGINE)
    client = client_as(db, me)
    url = f"/api/prescreen/{TRIAL_ID}/{a}/status"
    bad = client.post(
        url, json={"status": "enrolled", "candidates": [{"patient_id": "A-1", "version": 0}]}, headers=FR
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "prescreen.transition_refused"
    assert body["params"]["from_status"] == "new" and body["params"]["to_status"] == "enrolled"
    assert (
        body["detail"]
        == "impossible de passer du statut «\u202fnouveau\u202f» au statut «\u202finclus\u202f»"
    )
    # a bulk change refused for two candidates: each candidate's reason in French too
    with pytest.raises(InputError) as err:
        change_status(db, me, TRIAL_ID, [StatusChange("A-1", 0), StatusChange("A-2", 0)], "enrolled")
    fr = said(err.value, "fr")
    assert fr["message"].startswith("2 candidats sur 2 refusés, rien n'a changé")
    assert fr["message"].count("impossible de passer du statut") == 2 and "cannot" not in fr["message"]


def test_the_command_line_says_a_refusal_in_its_lang(
    web_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", str(web_db.engine.url))
    board = _curie_board(web_db)
    runner = CliRunner()
    args = ["boards", "meeting", str(board), "--when", "2001-01-01T10:00", "--centre", "curie"]
    fr = runner.invoke(app, ["--lang", "fr", *args])
    assert fr.exit_code == 2
    assert "la réunion du 1er janv. 2001 10:00 est dans le passé" in fr.output and "refusé" in fr.output
    en = runner.invoke(app, args)
    assert en.exit_code == 2 and "the meeting on 1 Jan 2001 10:00 is in the past" in en.output


def test_a_refused_correction_is_said_in_french_with_a_way_back_to_the_patient(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    from oncofed.store.models import PatientRow

    with web_db.session() as s:
        pid = s.scalar(select(PatientRow.id).where(PatientRow.centre_id == "curie").order_by(PatientRow.id))
    client = client_as(web_db, CLIN)
    refused = client.post(
        f"/patients/{pid}/facts",
        data={"kind": "ecog", "value": "9", "reason": "consultation du jour"},
        headers={**PAGE_FR, "referer": f"http://testserver/patients/{pid}"},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    assert "9\u202f» est hors limites</p>" in refused.text and "Un nombre entier de 0 à 5</p>" in refused.text
    assert f'href="/patients/{pid}" id="error-back"' in refused.text
    api = client.post(
        f"/api/patients/{pid}/facts",
        json={"kind": "ecog", "value": "9", "reason": "consultation du jour"},
        headers=FR,
    )
    assert api.status_code == 422 and api.json()["code"] == "correction.out_of_range"


def test_a_trial_set_up_refused_for_a_closed_registry_status_is_said_in_french() -> None:
    from oncofed.services.trials.setup import SiteSetup, _validate

    with pytest.raises(InputError) as err:
        _validate(SiteSetup("curie", "RECRUITING", "Dr X", "ARC", "", "", 10, None), "COMPLETED")
    assert "completed" in err.value.message
    fr = said(err.value, "fr")
    assert (
        fr["message"]
        == "selon le registre, cet essai est «\u202fterminé\u202f»\u00a0: il ne peut pas recruter dans un centre"
    )


def test_the_command_line_entry_point_says_any_service_refusal_in_its_lang(
    web_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from oncofed.cli import main
    from oncofed.store.models import PatientRow

    monkeypatch.setenv("DATABASE_URL", str(web_db.engine.url))
    with web_db.session() as s:
        pid = s.scalar(select(PatientRow.id).where(PatientRow.centre_id == "curie").order_by(PatientRow.id))
    args = ["patients", "correct", str(pid), "--kind", "ecog", "--value", "9", "--reason", "consultation"]
    for lang, said_here in (("fr", "est hors limites"), ("en", "is out of range")):
        monkeypatch.setattr(sys, "argv", ["oncofed", "--lang", lang, *args])
        with pytest.raises(SystemExit) as done:
            main()
        assert done.value.code == 2
        assert said_here in capsys.readouterr().err


def test_a_board_vocabulary_refusal_names_the_field_and_the_choices_in_words() -> None:
    from oncofed.services.boards.vocabulary import check_codes

    with pytest.raises(InputError) as err:
        check_codes("specialties", [], "specialties", required=True)
    fr = said(err.value, "fr")
    assert fr["message"] == "la liste «\u202fspécialités présentes\u202f» est vide"
    assert "Oncologie médicale\u202f; Radiothérapie" in fr["fix"] and "medical_oncology" not in fr["fix"]
    assert (
        err.value.message == "specialties: the specialties list is empty"
    )  # the service's English as before


def test_an_expired_form_is_said_as_such_not_as_a_missing_role(web_db: Database) -> None:
    import re

    from fastapi.testclient import TestClient

    from oncofed.services.accounts.users import DEMO_PASSWORD
    from oncofed.web.app import create_app

    board = _curie_board(web_db)
    with TestClient(create_app(web_db)) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        data = {"username": "clin-curie", "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        stale = client.post(
            f"/boards/{board}/meetings",
            data={"scheduled_for": "2030-01-01T10:00", "csrf_token": "from-a-tab-left-open"},
            headers={**PAGE_FR, "referer": f"http://testserver/boards/{board}"},
        )
    assert stale.status_code == 403
    assert "Le formulaire a expiré" in stale.text and "rechargez la page" in stale.text
    assert "Votre rôle" not in stale.text and 'id="error-login"' not in stale.text
    assert f'href="/boards/{board}" id="error-back"' in stale.text


def test_a_refused_decision_keeps_what_the_clinician_wrote_on_the_case_page(
    web_db: Database, client_as
) -> None:  # type: ignore[no-untyped-def]
    from oncofed.store.models_boards import CaseRow

    with web_db.session() as s:
        case = s.scalars(
            select(CaseRow)
            .join(BoardRow, BoardRow.id == CaseRow.board_id)
            .where(BoardRow.centre_id == "curie", CaseRow.status == "signed", CaseRow.n_candidates > 0)
            .order_by(CaseRow.id.desc())
        ).first()
        # a decided case whose record is not signed yet (the decision can still change): this copy's own
        case.status, case.signed_at, case.signed_by, case.record_sha256 = "decided", None, "", ""
        case_id, trial = case.id, case.candidates[0]["trial_id"]
    client = client_as(web_db, CLIN)
    proposal = "Chimiothérapie adjuvante puis radiothérapie ; revoir en RCP après 3 cycles."
    refused = client.post(
        f"/boards/cases/{case_id}/decision",
        data={"proposal": proposal, "settings": ["systemic"], "specialties": [], f"p_{trial}": "no",
              f"r_{trial}": "patient_choice", f"n_{trial}": "souhaite réfléchir"},
        headers=PAGE_FR,
    )  # fmt: skip
    assert refused.status_code == 422
    page = refused.text
    assert 'id="refusal"' in page and "spécialités présentes" in page and "est vide" in page
    assert proposal.replace("'", "&#39;") in page  # the proposal as written, not lost
    assert 'value="systemic" checked' in page and f'name="p_{trial}" value="no" checked' in page
    assert 'value="souhaite réfléchir"' in page
    assert 'id="decision-form"' in page  # the form itself, ready to be sent again


def test_a_patient_search_the_store_cannot_read_says_why_in_french(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(web_db, CLIN)
    page = client.get("/patients?cancer=zzqx", headers=PAGE_FR)
    assert page.status_code == 422
    assert (
        "zzqx\u202f» n&#39;est ni un code ni un nom OncoTree" in page.text and "Par exemple BRCA" in page.text
    )
    api = client.get("/api/patients?stage=Z9", headers=FR)
    assert api.status_code == 422 and api.json()["code"] == "patients.stage"


def test_a_pre_screening_list_query_it_cannot_read_is_said_in_french() -> None:
    from oncofed.services.prescreen.paging import ListQuery

    with pytest.raises(InputError) as err:
        ListQuery(tab="nope").checked()
    assert err.value.code == "prescreen.tab" and "no tab 'nope'" in err.value.message
    assert said(err.value, "fr")["message"] == "aucun onglet «\u202fnope\u202f»"
