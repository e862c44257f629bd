"""A staff member's own password on the web (docs/SECURITY.md "Accounts on the web"): `/account/password`
and `POST /api/account/password` through the patient's service (current password checked, the policy,
every other session ended, audited); a staff account given a one-time password by an administrator is
held on that page until it has chosen its own (pages: a redirect; API: 403 naming the fix); and the
last enabled administrator cannot be disabled or given another role, nor can anyone disable themselves
(service level: the CLI and the page both refuse, said in the reader's language)."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.errors import InputError
from oncofed.services.accounts import changes
from oncofed.services.accounts import users as accounts
from oncofed.services.accounts.patients import add_patient_account
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.prescreen_fixtures import build_network

ADMIN = Actor("ada", Role.ADMIN, purpose="administration")
PASSWORD = "correct horse battery"
NEW = "a password of my own"
SECRET = re.compile(r'id="one-time-password">([^<]+)<')


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _signed_in(db: Database, username: str, password: str) -> TestClient:
    client = TestClient(create_app(db))
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": _csrf(page.text)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_a_one_time_password_must_be_replaced_by_staff(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    made = client_as(db, ADMIN).post(
        "/admin/accounts", data={"username": "claire", "role": "clinician", "centre": [a]}
    )
    found = SECRET.search(made.text)
    assert made.status_code == 200 and found
    secret = found.group(1)
    assert accounts.get_user(db, "claire").must_set_password  # created with a one-time password

    other = _signed_in(db, "claire", secret)  # another browser, which the change signs out
    client = _signed_in(db, "claire", secret)
    for path in ("/", "/patients", "/prescreen"):  # every page waits for the password
        r = client.get(path, follow_redirects=False)
        assert (r.status_code, r.headers.get("location")) == (303, "/account/password"), path
    refused = client.get("/api/patients")
    assert refused.status_code == 403 and refused.json()["code"] == "auth.staff_password"
    assert "/account/password" in refused.json()["fix"]

    page = client.get("/account/password")
    assert page.status_code == 200 and 'id="account-password-first"' in page.text
    form = {"current": secret, "password": NEW, "again": NEW + "x", "csrf_token": _csrf(page.text)}
    differ = client.post("/account/password", data=form)
    assert differ.status_code == 422 and 'id="account-password-error"' in differ.text
    form.update(again=NEW, current="not my password")
    wrong = client.post("/account/password?lang=fr", data=form)
    assert wrong.status_code == 422 and "le mot de passe actuel est faux" in wrong.text.lower()
    del form["csrf_token"]
    assert client.post("/account/password", data={**form, "current": secret}).status_code == 403  # CSRF
    form.update(current=secret, csrf_token=_csrf(page.text))
    done = client.post("/account/password", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/account/password?done=1")

    assert not accounts.get_user(db, "claire").must_set_password
    assert accounts.authenticate(db, "claire", secret) is None and accounts.authenticate(db, "claire", NEW)
    assert client.get("/patients", follow_redirects=False).status_code == 200  # this session goes on
    assert client.get("/account/password?done=1").text.count('id="account-password-done"') == 1
    assert 'id="login-link"' in other.get("/patients").text  # the other browser is signed out
    (entry,) = audit.search(db.engine, action="account.password_own")
    assert entry["user_id"] == "claire"

    changes.reset_password(db, "claire", actor=ADMIN)  # a reset hands over a one-time password again
    assert accounts.get_user(db, "claire").must_set_password
    changes.reset_password(db, "claire", actor=ADMIN, password=PASSWORD)  # typed by the operator
    assert not accounts.get_user(db, "claire").must_set_password


def test_the_api_twin_and_who_may_use_it(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    accounts.add_user(db, "tom", "trial_manager", PASSWORD, actor=ADMIN, one_time=True)
    token = accounts.issue_token(db, "tom", actor=ADMIN)
    api = TestClient(create_app(db), headers={"Authorization": f"Bearer {token}"})
    held = api.get("/api/trials")
    assert held.status_code == 403 and held.json()["code"] == "auth.staff_password"
    short = api.post("/api/account/password", json={"current": PASSWORD, "password": "short"})
    assert short.status_code == 422 and short.json()["code"] == "account.password_short"
    same = api.post("/api/account/password", json={"current": PASSWORD, "password": PASSWORD})
    assert same.status_code == 422 and same.json()["code"] == "account.same_password"
    assert api.post("/api/account/password", json={"current": PASSWORD, "password": NEW}).status_code == 204
    assert api.get("/api/trials").status_code == 200 and accounts.authenticate(db, "tom", NEW)

    add_patient_account(db, ADMIN, "alice", "A-1", password=PASSWORD, must_set_password=False)
    patient = _signed_in(db, "alice", PASSWORD)
    assert patient.get("/account/password", follow_redirects=False).status_code == 403  # /me/password
    public = TestClient(create_app(db))
    assert public.get("/account/password", follow_redirects=False).headers["location"].startswith("/login")
    assert public.post("/api/account/password", json={"current": "x", "password": NEW}).status_code == 401
    staff = _signed_in(db, "tom", NEW)
    assert 'href="/account/password"' in staff.get("/").text  # in the user menu


def test_the_last_administrator_is_kept(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    build_network(db)
    accounts.add_user(db, "ada", "admin", PASSWORD, actor=ADMIN)
    with pytest.raises(InputError) as own:
        accounts.set_disabled(db, "ada", actor=ADMIN)
    assert own.value.code == "account.disable_self"
    operator = Actor("cli:root", Role.SYSTEM, purpose="administration")  # `oncofed users disable ada`
    with pytest.raises(InputError) as last:
        accounts.set_disabled(db, "ada", actor=operator)
    assert last.value.code == "account.last_admin"
    with pytest.raises(InputError) as moved:
        changes.set_scope(db, "ada", actor=operator, role="dpo", centre_ids=None)
    assert moved.value.code == "account.last_admin" and accounts.get_user(db, "ada").role is Role.ADMIN

    page = client_as(db, ADMIN).post("/admin/accounts/ada/disable?lang=fr")
    assert (
        page.status_code == 422 and "vous ne pouvez pas désactiver votre propre compte" in page.text.lower()
    )
    api = client_as(db, ADMIN).post("/api/admin/accounts/ada/scope", json={"role": "dpo"})
    assert api.status_code == 422 and api.json()["code"] == "account.last_admin"

    accounts.add_user(db, "bea", "admin", PASSWORD, actor=ADMIN)
    accounts.set_disabled(db, "bea", actor=ADMIN)  # another administrator, while ada stays
    with pytest.raises(InputError):
        accounts.set_disabled(db, "ada", actor=operator)  # bea is disabled: ada is still the last
    accounts.set_disabled(db, "bea", False, actor=ADMIN)
    assert changes.set_scope(db, "ada", actor=operator, role="dpo", centre_ids=None).role is Role.DPO
    assert not accounts.get_user(db, "ada").disabled


def test_the_cli_refuses_disabling_the_last_administrator(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.services.network.centres import load_centres

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    load_centres(database)
    accounts.add_user(database, "ada", "admin", PASSWORD, actor=ADMIN)
    runner = CliRunner()
    refused = runner.invoke(app, ["users", "disable", "ada"])
    # the command's entry point says an InputError (message and fix) and exits 2; in-process it is raised
    assert isinstance(refused.exception, InputError) and refused.exception.code == "account.last_admin"
    moved = runner.invoke(app, ["users", "scope", "ada", "--role", "dpo"])
    assert isinstance(moved.exception, InputError) and moved.exception.code == "account.last_admin"
    assert not accounts.get_user(database, "ada").disabled
    assert accounts.get_user(database, "ada").role is Role.ADMIN
    reset = runner.invoke(app, ["users", "reset-password", "ada"])  # a one-time password, replaced first
    assert reset.exit_code == 0 and accounts.get_user(database, "ada").must_set_password
    database.dispose()
