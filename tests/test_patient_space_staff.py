"""The staff side of a patient's own space: the account created from the CLI (audited as the operator)
or from the patient's page by their clinician (one-time password shown once), and the requests to be
contacted in the research staff's work list (landing page, /prescreen/requests, its CSV and JSON)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from argon2 import PasswordHasher, profiles
from typer.testing import CliRunner

from oncofed.domain import Actor, Role
from oncofed.services.accounts import users as accounts
from oncofed.services.patient_space import trials
from oncofed.store import audit
from oncofed.store.db import Database
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def test_cli_creates_a_patient_account_with_a_one_time_password(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    a, _ = build_network(database)
    runner = CliRunner()
    made = runner.invoke(app, ["users", "add", "alice", "--role", "patient", "--patient", "A-2"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    user = accounts.authenticate(database, "alice", secret)
    assert user is not None and (user.role, user.patient_id, user.must_set_password) == (
        Role.PATIENT,
        "A-2",
        True,
    )
    entry = audit.search(database.engine, action="account.patient")[0]
    assert entry["user_id"].startswith("cli:") and entry["patient_ids"] == "A-2"
    # a patient account without its record, or with a centre of its own, is refused with the fix
    for args in (["--role", "patient"], ["--role", "patient", "--patient", "A-3", "--centre", a]):
        refused = runner.invoke(app, ["users", "add", "bob", *args])
        assert refused.exit_code != 0 and "--patient" in str(refused.exception), refused.output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert '"patient"' in listed.output and '"patient_id": "A-2"' in listed.output


def test_the_clinician_creates_the_account_from_the_patients_page(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    doctor = Actor("dr-house", Role.CLINICIAN, frozenset({a}), "care")
    client = client_as(db, doctor)
    page = client.get("/patients/A-3")
    assert page.status_code == 200 and 'id="own-account-form"' in page.text
    made = client.post("/api/patients/A-3/account", json={"username": "pat-a3"})
    assert made.status_code == 201 and made.json()["patient_id"] == "A-3"
    assert accounts.authenticate(db, "pat-a3", made.json()["one_time_password"]) is not None
    assert "pat-a3" in client.get("/patients/A-3").text  # the page now says the account exists
    assert client.post("/api/patients/A-3/account", json={"username": "again"}).status_code == 422
    assert client.post("/api/patients/B-1/account", json={"username": "x1"}).status_code == 404
    html = client.post("/patients/A-4/account", data={"username": "pat-a4"})
    found = re.search(r'id="one-time-password">([^<]+)<', html.text)
    assert found and accounts.authenticate(db, "pat-a4", found.group(1)) is not None
    research = client_as(db, nurse(a))
    assert research.post("/api/patients/A-5/account", json={"username": "x2"}).status_code == 422


def test_research_staff_see_the_requests_in_their_work_list(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-2")
    made = trials.ask_contact(db, me, TRIAL_ID, "mornings")
    client = client_as(db, nurse(a))
    home = client.get("/")
    assert 'id="contact-requests"' in home.text and "A-2" in home.text
    assert [r["patient_id"] for r in client.get("/api/prescreen/requests").json()["requests"]] == ["A-2"]
    rows = list(csv.DictReader(io.StringIO(client.get("/prescreen/requests?format=csv").text)))
    assert [(r["patient_id"], r["trial_id"], r["message"]) for r in rows] == [("A-2", TRIAL_ID, "mornings")]
    fr = client.get("/prescreen/requests?lang=fr")
    assert "Patients demandant à être contactés" in fr.text
    other = client_as(db, nurse(b, "nurse-b"))
    assert other.get("/api/prescreen/requests").json()["requests"] == []
    assert other.post(f"/api/prescreen/requests/{made['id']}/handled").status_code == 404
    assert client.post(f"/api/prescreen/requests/{made['id']}/handled").json()["handled_by"] == "nurse-a"
    assert client.get("/api/prescreen/requests").json()["requests"] == []
    assert client_as(db, me).get("/api/prescreen/requests").status_code == 403


def test_cli_lists_and_handles_the_contact_requests(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    a, b = build_network(database)
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-2")
    made = trials.ask_contact(database, me, TRIAL_ID, "after 5 pm")
    runner = CliRunner()
    listed = runner.invoke(app, ["contact-requests", "--centre", a, "--csv"])
    assert listed.exit_code == 0 and "A-2" in listed.output and "after 5 pm" in listed.output, listed.output
    other = runner.invoke(app, ["contact-requests", "--centre", b, "--json"])
    assert other.exit_code == 0 and other.output.strip() == "[]"
    done = runner.invoke(app, ["contact-requests", "--centre", a, "--handled", str(made["id"])])
    assert done.exit_code == 0, done.output
    assert runner.invoke(app, ["contact-requests", "--centre", a, "--json"]).output.strip() == "[]"
    assert audit.search(database.engine, action="patient.contact_handled")[0]["user_id"].startswith("cli:")
