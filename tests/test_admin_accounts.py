"""Accounts on the web (docs/SECURITY.md "Accounts on the web"): the administrator lists, filters and
exports every account, creates a staff account (one-time password shown once), changes its scope,
disables, enables and resets it, through the services `oncofed users` calls, each change audited as
there; every other role is refused every route. A patient who forgot their password gets a new
one-time password from their clinician (own centre only) or the administrator (docs/PATIENTS.md)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.services.accounts import changes, listing, patients
from oncofed.services.accounts import users as accounts
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.prescreen_fixtures import build_network, nurse
from tests.route_matrix import ROLES

ADMIN = Actor("ada", Role.ADMIN, purpose="administration")
PASSWORD = "correct horse battery"
SECRET = re.compile(r'id="one-time-password">([^<]+)<')


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _entries(db: Database, action: str) -> list[dict]:  # type: ignore[type-arg]
    return audit.search(db.engine, action=action)


def test_the_administrator_manages_a_staff_account_from_the_api(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    client = client_as(db, ADMIN)
    made = client.post(
        "/api/admin/accounts", json={"username": "Rose", "role": "research_staff", "centre_ids": [a]}
    )
    assert made.status_code == 201, made.text
    secret = made.json()["one_time_password"]
    assert made.json()["username"] == "rose" and accounts.authenticate(db, "rose", secret) is not None
    (created,) = _entries(db, "account.create")
    assert created["user_id"] == "ada" and created["detail_params"]["user"] == "rose"
    assert secret not in str(audit.search(db.engine))

    listed = client.get("/api/admin/accounts", params={"role": "research_staff"}).json()["accounts"]
    assert [x["username"] for x in listed] == ["rose"]
    assert client.get("/api/admin/accounts", params={"centre": b}).json()["accounts"] == []
    assert client.get("/api/admin/accounts", params={"state": "disabled"}).json()["accounts"] == []

    user = accounts.authenticate(db, "rose", secret)
    assert user is not None
    cookie, _ = accounts.start_session(db, user)
    scoped = client.post("/api/admin/accounts/rose/scope", json={"role": "clinician", "centre_ids": [a, b]})
    assert scoped.status_code == 200 and scoped.json()["centre_ids"] == [a, b]
    assert accounts.session_user(db, cookie) is None  # a new role ends the sessions
    assert _entries(db, "account.scope")[0]["detail_params"]["before_role"] == "research_staff"

    assert client.post("/api/admin/accounts/rose/disable").json()["disabled"] is True
    assert (
        client.get("/api/admin/accounts", params={"state": "disabled"}).json()["accounts"][0]["username"]
        == "rose"
    )
    assert client.post("/api/admin/accounts/rose/enable").json()["disabled"] is False
    reset = client.post("/api/admin/accounts/rose/password").json()["one_time_password"]
    assert accounts.authenticate(db, "rose", secret) is None and accounts.authenticate(db, "rose", reset)

    shown = client.get("/api/admin/accounts/rose").json()
    actions = [e["action"] for e in shown["events"]]
    assert actions == [
        "account.password_reset",
        "account.enable",
        "account.disable",
        "account.scope",
        "account.create",
    ]
    assert all(e["user_id"] == "ada" for e in shown["events"])
    # errors a person can act on, in their language; the code for scripts
    refused = client.post(
        "/api/admin/accounts", json={"username": "x1", "role": "clinician"}, headers={"Accept-Language": "fr"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "account.centre_needed"
    assert client.get("/api/admin/accounts/nobody").status_code == 404
    assert (
        client.get("/api/admin/accounts", params={"role": "wizard"}).json()["code"] == "account.unknown_role"
    )


def test_the_list_page_filters_exports_and_creates_with_a_one_time_password(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    accounts.add_user(db, "dora", "dpo", PASSWORD, actor=ADMIN)
    client = client_as(db, ADMIN)
    page = client.get("/admin/accounts")
    assert page.status_code == 200 and "dora" in page.text and 'id="new-account-form"' in page.text
    made = client.post("/admin/accounts", data={"username": "claire", "role": "clinician", "centre": [a]})
    found = SECRET.search(made.text)
    assert made.status_code == 200 and found and accounts.authenticate(db, "claire", found.group(1))
    assert found.group(1) not in client.get("/admin/accounts/claire").text  # shown once, never again
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/accounts?format=csv&role=clinician").text)))
    assert [(r["username"], r["centre_ids"], r["disabled"]) for r in rows] == [("claire", a, "False")]
    assert list(rows[0]) == listing.COLUMNS
    bad = client.post(
        "/admin/accounts?lang=fr", data={"username": "tom", "role": "trial_manager", "centre": [a]}
    )
    assert bad.status_code == 422 and "ne prend pas de centre" in bad.text  # said in the reader's language
    assert (
        "décochez tous les centres" in bad.text and "--centre" not in bad.text
    )  # the page's words, not the CLI's
    assert 'id="account-error"' in bad.text and accounts.list_users(db)[-1].username != "tom"


def test_the_account_page_changes_scope_state_and_password(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    accounts.add_user(db, "claire", "clinician", PASSWORD, centre_ids=[a], actor=ADMIN)
    client = client_as(db, ADMIN)
    moved = client.post(
        "/admin/accounts/claire/scope", data={"role": "clinician", "centre": [b]}, follow_redirects=False
    )
    assert moved.status_code == 303 and accounts.get_user(db, "claire").centre_ids == (b,)
    same = client.post("/admin/accounts/claire/scope", data={"role": "clinician", "centre": [b]})
    assert same.status_code == 422 and "account-error" in same.text  # nothing to change: said, not a crash
    assert client.post("/admin/accounts/claire/disable", follow_redirects=False).status_code == 303
    assert accounts.get_user(db, "claire").disabled
    page = client.get("/admin/accounts/claire")
    assert 'id="enable-form"' in page.text and "disabled an account" in page.text
    reset = client.post("/admin/accounts/claire/password")
    found = SECRET.search(reset.text)
    assert found and accounts.authenticate(db, "claire", PASSWORD) is None
    missing = client.get("/admin/accounts/nobody", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "Back to the accounts" in missing.text


def test_every_other_role_is_refused_every_new_route(db: Database) -> None:
    build_network(db)
    accounts.add_user(db, "claire", "clinician", PASSWORD, centre_ids=["curie"], actor=ADMIN)
    app = create_app(db)
    routes = sorted(
        (m, str(rc.path)) for rc in iter_route_contexts(app.routes) if str(rc.path).startswith(("/admin/accounts", "/api/admin/accounts"))
        for m in getattr(rc.original_route, "methods", ()) if m in ("GET", "POST")
    )  # fmt: skip
    assert len(routes) >= 12, routes
    for name, actor in ROLES.items():
        if actor.role is Role.ADMIN:
            continue
        app.state.actor_resolver = lambda request, actor=actor: actor
        client = TestClient(app, follow_redirects=False)
        for method, path in routes:
            url = path.format(username="claire", change="disable")
            got = client.request(
                method, url, json={} if url.startswith("/api") and method == "POST" else None
            )
            allowed = {401, 403} | ({303} if method == "GET" and not url.startswith("/api") else set())
            assert got.status_code in allowed, (name, method, url, got.status_code)
    assert not accounts.get_user(db, "claire").disabled and _entries(db, "account.disable") == []


def test_a_clinician_gives_their_patient_a_new_one_time_password(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    doctor = Actor("dr-house", Role.CLINICIAN, frozenset({a}), "care")
    _, first = patients.add_patient_account(db, doctor, "pat-a3", "A-3")
    patients.set_own_password(db, "pat-a3", first, PASSWORD, actor=accounts.get_user(db, "pat-a3").actor())
    user = accounts.authenticate(db, "pat-a3", PASSWORD)
    assert user is not None and not user.must_set_password
    cookie, _ = accounts.start_session(db, user)
    client = client_as(db, doctor)
    assert 'id="own-account-reset"' in client.get("/patients/A-3").text
    html = client.post("/patients/A-3/account/password")
    found = SECRET.search(html.text)
    assert html.status_code == 200 and found
    again = accounts.authenticate(db, "pat-a3", found.group(1))
    assert again is not None and again.must_set_password  # they choose their own at the next sign-in
    assert accounts.authenticate(db, "pat-a3", PASSWORD) is None and accounts.session_user(db, cookie) is None
    (entry,) = _entries(db, "account.password_reset")
    assert entry["user_id"] == "dr-house" and entry["detail_params"]["user"] == "pat-a3"
    api = client.post("/api/patients/A-3/account/password")
    assert api.status_code == 200 and api.json()["username"] == "pat-a3"
    # another centre's patient is not found (the refusal audited), a patient without an account too
    assert client.post("/api/patients/B-1/account/password").status_code == 404
    assert audit.search(db.engine, security=True)
    assert client.post("/api/patients/A-4/account/password").json()["code"] == "account.patient_no_account"
    assert client_as(db, nurse(a)).post("/api/patients/A-3/account/password").status_code == 422


def test_the_administrator_resets_a_patients_account_and_the_cli_too(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    patients.add_patient_account(db, ADMIN, "pat-a2", "A-2")
    client = client_as(db, ADMIN)
    listed = client.get("/api/admin/accounts", params={"role": "patient"}).json()["accounts"]
    assert listed[0]["patient_account"] is True and "A-2" not in str(listed)  # no record id for the admin
    secret = client.post("/api/admin/accounts/pat-a2/password").json()["one_time_password"]
    assert accounts.authenticate(db, "pat-a2", secret).must_set_password  # type: ignore[union-attr]
    assert changes.reset_password(db, "pat-a2", actor=ADMIN)  # the CLI's service: patients too now
    with pytest.raises(InputError):  # a patient's account keeps its record and centre
        changes.set_scope(db, "pat-a2", actor=ADMIN, role="clinician", centre_ids=[a])
    with pytest.raises(NotFound):
        patients.reset_patient_password(db, ADMIN, "A-9")
    with pytest.raises(InputError):
        patients.reset_patient_password(db, Actor("dora", Role.DPO, purpose="audit"), "A-2")


def test_the_clinicians_menu_links_to_the_correction_requests(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    """The link, for clinicians only (the count waiting is on their landing page, not in the menu: one more
    database session on every page, tests/test_match_sessions.py)."""
    a, _b = build_network(db)
    doctor = client_as(db, Actor("dr-house", Role.CLINICIAN, frozenset({a}), "care"))
    link = re.compile(r'<a href="/patients/corrections">([^<]*)</a>')
    for lang, label in (("en", "Correction requests"), ("fr", "Demandes de rectification")):
        found = link.search(doctor.get(f"/trials?lang={lang}").text)
        assert found is not None and found.group(1) == label
    for other in (nurse(a), ADMIN, Actor("dora", Role.DPO, purpose="audit")):
        assert 'href="/patients/corrections"' not in client_as(db, other).get("/trials").text
    assert 'href="/admin/accounts"' in client_as(db, ADMIN).get("/trials").text
    assert 'href="/admin/accounts"' not in doctor.get("/trials").text


def test_a_control_character_in_a_name_is_refused_on_both_databases(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses a NUL in a text (a 500 if it reached the query): refused before, said."""
    build_network(db)
    client = client_as(db, ADMIN)
    for body in ({"username": "a\x00b", "role": "dpo"}, {"username": "ab", "role": "dpo", "name": "x\x00"}):
        refused = client.post("/api/admin/accounts", json=body)
        assert refused.status_code == 422 and refused.json()["code"] in (
            "account.bad_username",
            "account.bad_name",
        )
    assert client.get("/api/admin/accounts/a%00b").status_code == 404
    assert client.post("/admin/accounts/a%00b/password").status_code == 404
    assert accounts.list_users(db) == []


def test_the_cli_lists_with_the_pages_filters_and_csv(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    a, _ = build_network(database)
    accounts.add_user(database, "claire", "clinician", PASSWORD, centre_ids=[a], actor=ADMIN)
    accounts.add_user(database, "dora", "dpo", PASSWORD, actor=ADMIN)
    accounts.set_disabled(database, "dora", actor=ADMIN)
    runner = CliRunner()
    out = runner.invoke(app, ["users", "list", "--csv", "--state", "disabled"])
    assert out.exit_code == 0, out.output
    assert [r["username"] for r in csv.DictReader(io.StringIO(out.output))] == ["dora"]
    listed = runner.invoke(app, ["users", "list", "--json", "--centre", a])
    assert [u["username"] for u in json.loads(listed.output)] == ["claire"]
    refused = runner.invoke(app, ["users", "list", "--role", "wizard"])
    assert refused.exit_code != 0 and "wizard" in str(refused.exception)
