"""A patient asks for a correction of their record (RGPD art. 16; docs/PATIENTS.md): from /me/record or
the API, the request reaches the clinicians of the patient's centre only (page, API, CSV, CLI), their
answer is shown back to the patient, both audited; the patient still cannot change the record. Both
databases; the pages in headless Chromium in French and English."""

from __future__ import annotations

import csv
import io
import re

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.services.accounts import users as accounts
from oncofed.services.accounts.patients import add_patient_account
from oncofed.services.patient_space import corrections, space
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.prescreen_fixtures import build_network, nurse


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def clinician(centre: str, name: str = "dr-house") -> Actor:
    return Actor(name, Role.CLINICIAN, frozenset({centre}), "care")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def test_a_request_reaches_the_centres_clinicians_only_and_the_answer_comes_back(db: Database) -> None:
    a, b = build_network(db)
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-1")
    record = space.my_record(db, me)
    index = next(i for i, f in enumerate(record.facts) if f.kind != "note")
    before = [(f.kind, f.code, f.value) for f in record.facts]
    with pytest.raises(InputError):
        corrections.ask(db, me, index, "   ")  # a reason is needed
    with pytest.raises(NotFound):
        corrections.ask(db, me, len(record.facts) + 5, "no such fact")
    made = corrections.ask(db, me, index, "I never had this, the date is my sister's")
    assert made["fact"].startswith(record.facts[index].kind)
    assert [r["id"] for r in corrections.work_list(db, clinician(a))] == [made["id"]]
    assert corrections.work_list(db, clinician(b, "dr-b")) == []  # another centre: never
    assert corrections.work_list(db, nurse(a)) == []  # research staff do not correct records
    with pytest.raises(NotFound):
        corrections.answer(db, clinician(b, "dr-b"), made["id"], "seen")
    with pytest.raises(InputError):
        corrections.answer(db, clinician(a), made["id"], "")
    done = corrections.answer(db, clinician(a), made["id"], "Checked with the pathology report: corrected.")
    assert done["handled_by"] == "dr-house"
    with pytest.raises(InputError):  # answered once
        corrections.answer(db, clinician(a), made["id"], "again")
    assert corrections.work_list(db, clinician(a)) == []
    assert corrections.mine(db, me)[0]["answer"] == "Checked with the pathology report: corrected."
    # the patient did not change the record: the clinician does, through the record's own correction
    assert [(f.kind, f.code, f.value) for f in space.my_record(db, me).facts] == before
    asked = audit.search(db.engine, action="patient.correction_request")
    answered = audit.search(db.engine, action="patient.correction_handled")
    assert [e["patient_ids"] for e in asked] == ["A-1"] and asked[0]["user_id"] == "alice"
    assert [e["user_id"] for e in answered] == ["dr-house"]


def _patient_client(db: Database, centre: str) -> TestClient:
    user, secret = add_patient_account(db, clinician(centre), "p-a-1", "A-1", must_set_password=False)
    client = TestClient(create_app(db))
    page = client.get("/login")
    data = {"username": user.username, "password": secret, "csrf_token": _csrf(page.text)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_pages_api_csv_and_cli(sqlite_db: Database, client_as, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(sqlite_db)
    patient = _patient_client(sqlite_db, a)
    page = patient.get("/me/record?lang=fr")
    assert "article 16" in page.text and "C’est faux" in page.text
    index = re.search(r'action="/me/record/facts/(\d+)/correction"', page.text)
    assert index
    sent = patient.post(
        f"/me/record/facts/{index.group(1)}/correction",
        data={"reason": "Ce n’est pas mon traitement", "csrf_token": _csrf(page.text)},
        follow_redirects=True,
    )
    assert sent.status_code == 200 and 'id="correction-sent"' in sent.text
    assert "Ce n’est pas mon traitement" in sent.text and "en attente de réponse" in sent.text
    api = patient.post("/api/me/corrections", json={"fact_index": int(index.group(1)), "reason": "wrong date"},
                       headers={"X-CSRF-Token": _csrf(page.text)})  # fmt: skip
    assert api.status_code == 200, api.text
    assert len(patient.get("/api/me/corrections").json()["corrections"]) == 2
    assert patient.get("/patients/corrections").status_code == 403  # the patient fence

    doctor = client_as(sqlite_db, clinician(a))
    listed = doctor.get("/api/patients/corrections").json()["corrections"]
    assert {r["reason"] for r in listed} == {"Ce n’est pas mon traitement", "wrong date"}
    rows = list(csv.DictReader(io.StringIO(doctor.get("/patients/corrections?format=csv").text)))
    assert len(rows) == 2 and set(rows[0]) >= {"patient_id", "fact", "reason", "answer"}
    en = doctor.get("/patients/corrections?lang=en").text
    assert "Patients asking for a correction" in en and "A-1" in en
    fr = doctor.get("/patients/corrections?lang=fr").text
    assert "Patients demandant une rectification" in fr
    assert client_as(sqlite_db, clinician(b, "dr-b")).get("/api/patients/corrections").json() == {
        "corrections": []
    }
    assert client_as(sqlite_db, nurse(a)).get("/api/patients/corrections").status_code == 403
    answered = doctor.post(f"/api/patients/corrections/{listed[0]['id']}/answer", json={"answer": "Corrigé."})
    assert answered.status_code == 200

    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    runner = CliRunner()
    shown = runner.invoke(app, ["corrections", "--centre", a, "--json"])
    assert shown.exit_code == 0, shown.output
    (waiting,) = __import__("json").loads(shown.output)
    done = runner.invoke(app, ["corrections", "--centre", a, "--answer", str(waiting["id"]), "--text", "Vu."])
    assert done.exit_code == 0, done.output
    assert runner.invoke(app, ["corrections", "--centre", a, "--json"]).output.strip() == "[]"
    answers = {c["answer"] for c in patient.get("/api/me/corrections").json()["corrections"]}
    assert answers == {"Corrigé.", "Vu."}
    assert "Corrigé." in patient.get("/me/record?lang=fr").text


def test_the_pages_in_chromium_fr_en(sqlite_db: Database, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import serve

    a, _ = build_network(sqlite_db)
    user, secret = add_patient_account(sqlite_db, clinician(a), "p-a-1", "A-1", must_set_password=False)
    with serve(create_app(sqlite_db)) as server:
        page.goto(server.url("/login?lang=fr"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", secret)
        page.click("button[type=submit]")
        page.goto(server.url("/me/record?lang=fr"))
        page.locator("details.wrong summary").first.click()
        page.locator("details.wrong textarea").first.fill("La date est fausse")
        page.locator("details.wrong button").first.click()
        assert page.locator("#correction-sent").is_visible()
        assert "La date est fausse" in page.locator("#my-corrections").inner_text()
        page.screenshot(path="docs/screenshots/me-record-correction-fr.png", full_page=True)
        page.goto(server.url("/me/record?lang=en"))
        assert "waiting for an answer" in page.locator("#my-corrections").inner_text()


def test_the_fact_asked_about_is_said_in_the_readers_language(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    """The fact kept with a request is shown as the patient saw it, in each reader's language: the kind's
    label and "absent" in French on French pages (it was stored as English words: "metastasis · absent:
    brain" on the patient's and the clinicians' French pages); the API and the CSV keep the plain words."""
    from oncofed.presenters.i18n import translator

    a, _ = build_network(sqlite_db)
    patient = _patient_client(sqlite_db, a)
    page = patient.get("/me/record?lang=fr")
    index = re.search(r'action="/me/record/facts/(\d+)/correction"', page.text)
    assert index
    made = patient.post(
        "/api/me/corrections",
        json={"fact_index": int(index.group(1)), "reason": "faux"},
        headers={"X-CSRF-Token": _csrf(page.text)},
    ).json()
    kind = made["fact_parts"]["kind"]
    assert made["fact"].startswith(kind)  # the plain words, as before
    french_kind = translator("fr").label("kind", kind).replace("_", " ")
    assert french_kind != kind
    mine = patient.get("/me/record?lang=fr").text.split('id="corrections"', 1)[-1]
    theirs = client_as(sqlite_db, clinician(a)).get("/patients/corrections?lang=fr").text
    for text in (mine, theirs):
        assert french_kind in text
        assert f"{kind} · " not in text and "absent: " not in text
