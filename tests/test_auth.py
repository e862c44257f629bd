"""Accounts, sessions, CSRF, API tokens and login rate limiting (issue 8)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.errors import InputError
from oncofed.services.accounts import users as accounts
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.web.app import create_app

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2's cheapest profile in tests (2 shared cores); the hash format is the same argon2id."""
    from argon2 import PasswordHasher, profiles

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_input() in the page"
    return found.group(1)


def _login(client: TestClient, username: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": _csrf(page.text), **extra}
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def web_db(sqlite_db: Database) -> Database:
    load_centres(sqlite_db)
    accounts.add_user(
        sqlite_db,
        "claire",
        "clinician",
        PASSWORD,
        centre_ids=["curie"],
        display_name="Dr Claire",
        actor=SETUP,
    )
    accounts.add_user(sqlite_db, "tom", "trial_manager", PASSWORD, actor=SETUP)
    return sqlite_db


def test_accounts_roundtrip(db: Database) -> None:
    load_centres(db)
    user = accounts.add_user(db, "rose", "research_staff", PASSWORD, centre_ids=["curie"], actor=SETUP)
    assert user.actor() == Actor("rose", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
    with db.session() as s:
        from oncofed.store.models_trust import UserRow

        stored = s.get(UserRow, user.id)
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash
    assert accounts.authenticate(db, "rose", PASSWORD) is not None
    assert accounts.authenticate(db, "rose", "wrong password!") is None
    assert accounts.authenticate(db, "nobody", PASSWORD) is None
    token = accounts.issue_token(db, "rose", name="nightly", actor=SETUP)
    assert token.startswith("ofd_") and accounts.token_user(db, token) == accounts.get_user(db, "rose")
    raw, csrf = accounts.start_session(db, user)
    assert accounts.session_user(db, raw) == (accounts.get_user(db, "rose"), csrf)
    accounts.set_disabled(db, "rose", actor=SETUP)
    assert accounts.authenticate(db, "rose", PASSWORD) is None
    assert accounts.token_user(db, token) is None and accounts.session_user(db, raw) is None
    assert [u.username for u in accounts.list_users(db)] == ["rose"]


@pytest.mark.parametrize(
    ("role", "centres", "fix"),
    [
        ("clinician", [], "--centre"),
        ("trial_manager", ["curie"], "drop --centre"),
        ("clinician", ["atlantis"], "oncofed centres"),
        ("wizard", [], "clinician"),
    ],
)
def test_bad_accounts_are_refused_with_a_fix(
    sqlite_db: Database, role: str, centres: list[str], fix: str
) -> None:
    load_centres(sqlite_db)
    with pytest.raises(InputError) as err:
        accounts.add_user(sqlite_db, "x", role, PASSWORD, centre_ids=centres, actor=SETUP)
    assert fix in str(err.value)
    with pytest.raises(InputError, match="too short"):
        accounts.add_user(sqlite_db, "y", "dpo", "short", actor=SETUP)


def test_login_sets_a_safe_session_cookie_and_logout_needs_csrf(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    response = _login(client, "claire")
    assert response.status_code == 303
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "oncofed_session" in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    me = client.get("/api/me").json()
    assert me == {
        "user": "claire",
        "role": "clinician",
        "centre_ids": ["curie"],
        "purpose": "care",
        "authenticated": True,
    }
    home = client.get("/", headers={"accept": "text/html"}).text
    assert "claire" in home and 'action="/logout"' in home
    assert client.post("/logout").status_code == 403  # no token: refused
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/api/me").json()["role"] == "clinician"
    out = client.post("/logout", data={"csrf_token": _csrf(home)}, follow_redirects=False)
    assert out.status_code == 303 and client.get("/api/me").json()["role"] == "public"


def test_login_form_needs_its_double_submit_token(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    client.get("/login")
    forged = client.post("/login", data={"username": "claire", "password": PASSWORD, "csrf_token": "x"})
    assert forged.status_code == 403 and "oncofed_session" not in client.cookies


def test_session_cookie_is_secure_over_https(web_db: Database) -> None:
    client = TestClient(create_app(web_db), base_url="https://testserver")
    response = _login(client, "tom")
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert cookies and all("Secure" in c for c in cookies)
    assert response.headers["location"] == "/"  # a trial manager's landing page (per role, issue 18)


def test_login_redirects_only_to_local_paths(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    assert _login(client, "tom", next="https://evil.example/").headers["location"] == "/"
    client = TestClient(create_app(web_db))
    assert _login(client, "tom", next="//evil.example/").headers["location"] == "/"
    client = TestClient(create_app(web_db))
    assert _login(client, "tom", next="/centres/curie").headers["location"] == "/centres/curie"
    client = TestClient(create_app(web_db))
    failed = _login(client, "tom", "wrong password", next="/centres/curie")
    assert (
        failed.status_code == 401 and 'name="next" value="/centres/curie"' in failed.text
    )  # kept for the retry


def test_login_rate_limit(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    for _ in range(5):
        assert _login(client, "claire", "wrong password").status_code == 401
    blocked = _login(client, "claire")  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert _login(client, "tom").status_code == 303  # another account from the same address is not blocked


def test_bearer_tokens(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    token = accounts.issue_token(web_db, "tom", actor=SETUP)
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "trial_manager" and me["authenticated"]
    bad = client.get("/api/me", headers={"Authorization": "Bearer ofd_nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    accounts.set_disabled(web_db, "tom", actor=SETUP)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_client_as_fixture_still_overrides_the_resolver(web_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    actor = Actor("x", Role.DPO)
    assert client_as(web_db, actor).get("/api/me").json()["role"] == "dpo"


def test_users_cli(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    load_centres(database)
    runner = CliRunner()
    added = runner.invoke(
        app, ["users", "add", "nina", "--role", "research_staff", "--centre", "curie", "--password", PASSWORD]
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert '"nina"' in listed.output and '"research_staff"' in listed.output
    token = runner.invoke(app, ["users", "token", "nina"])
    assert token.exit_code == 0 and "ofd_" in token.output
    assert runner.invoke(app, ["users", "disable", "nina"]).exit_code == 0
    assert '"disabled": true' in runner.invoke(app, ["users", "list", "--json"]).output
