"""A patient's own space (docs/PATIENTS.md): the account bound to one record and created by its
centre, the first sign-in that replaces the one-time password, the record with its sources, who
accessed it (role and centre, never a staff member's name), the objection honoured at once, the request
to be contacted that the centre's research staff see, and the download. On both databases."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.errors import InputError, NotFound
from oncofed.services.accounts import users as accounts
from oncofed.services.accounts.patients import add_patient_account
from oncofed.services.operations.objections import objection_report
from oncofed.services.patient_space import space, trials
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.repositories import PatientRepository
from oncofed.web.app import create_app
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

NEW_PASSWORD = "my own secret 42"


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def world(db: Database) -> tuple[Database, str, str]:
    a, b = build_network(db)
    return db, a, b


def clinician(centre: str) -> Actor:
    return Actor("dr-house", Role.CLINICIAN, frozenset({centre}), "care")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token in the page"
    return found.group(1)


def _login(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": _csrf(page.text)}
    return client.post("/login", data=data, follow_redirects=False)


def test_an_account_is_created_by_the_patients_centre_only_and_audited(
    world: tuple[Database, str, str],
) -> None:
    db, a, b = world
    user, secret = add_patient_account(db, clinician(a), "alice", "A-1")
    assert (user.role, user.patient_id, user.centre_ids, user.must_set_password) == (
        Role.PATIENT,
        "A-1",
        (a,),
        True,
    )
    assert len(secret) >= 16 and accounts.authenticate(db, "alice", secret) is not None
    entries = audit.search(db.engine, action="account.patient")
    assert [(e["user_id"], e["patient_ids"]) for e in entries] == [("dr-house", "A-1")]
    with pytest.raises(NotFound):  # another centre's patient: not found for a clinician of A
        add_patient_account(db, clinician(a), "bob", "B-1")
    with pytest.raises(InputError):  # research staff do not open accounts
        add_patient_account(db, nurse(a), "bob", "A-2")
    with pytest.raises(InputError):  # one account per patient
        add_patient_account(db, clinician(a), "alice2", "A-1")
    with pytest.raises(InputError):  # never a patient account without its record
        accounts.add_user(db, "carol", "patient", "long enough password", centre_ids=[a], actor=SETUP)
    admin = Actor("ada", Role.ADMIN, purpose="administration")
    assert add_patient_account(db, admin, "bob", "B-1")[0].patient_id == "B-1"


def test_the_repository_gives_a_patient_their_own_record_and_nothing_else(
    world: tuple[Database, str, str],
) -> None:
    db, a, _ = world
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-1")
    with db.session() as s:
        repo = PatientRepository(s, me)
        assert repo.get("A-1").id == "A-1"
        assert [p.id for p in repo.list()] == ["A-1"]
        for other in ("A-2", "B-1", "A-OBJ"):
            with pytest.raises(NotFound):
                repo.get(other)
    unbound = Actor("ghost", Role.PATIENT, frozenset({a}), "own access", patient_id=None)
    with db.session() as s:
        assert PatientRepository(s, unbound).list() == []


def test_first_sign_in_sets_the_password_then_opens_the_space(world: tuple[Database, str, str]) -> None:
    db, a, _ = world
    _, secret = add_patient_account(db, clinician(a), "alice", "A-1")
    client = TestClient(create_app(db))
    assert _login(client, "alice", secret).headers["location"] == "/me"
    for path in ("/me", "/me/record", "/prescreen"):  # everything waits for the password
        r = client.get(path, follow_redirects=False, headers={"accept": "text/html"})
        assert (r.status_code, r.headers.get("location")) == (303, "/me/password"), path
    assert client.get("/api/me/record").status_code == 403
    page = client.get("/me/password")
    form = {
        "current": secret,
        "password": NEW_PASSWORD,
        "again": NEW_PASSWORD + "x",
        "csrf_token": _csrf(page.text),
    }
    assert client.post("/me/password", data=form).status_code == 422  # the two differ
    form["again"] = NEW_PASSWORD
    done = client.post("/me/password", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/login")
    assert accounts.authenticate(db, "alice", secret) is None  # the one-time password is gone
    client = TestClient(create_app(db))
    assert _login(client, "alice", NEW_PASSWORD).status_code == 303
    me = client.get("/me")
    assert me.status_code == 200 and "My space" in me.text and "objection-state" in me.text
    assert client.get("/api/me").json()["patient_id"] == "A-1"
    assert client.get("/api/me/record").json()["id"] == "A-1"
    assert client.get("/prescreen", follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).headers["location"] == "/me"


def _patient_client(db: Database, centre: str, pid: str = "A-1") -> tuple[TestClient, Actor]:
    user, secret = add_patient_account(
        db, clinician(centre), f"p-{pid.lower()}", pid, must_set_password=False
    )
    client = TestClient(create_app(db))
    assert _login(client, user.username, secret).status_code == 303
    return client, user.actor()


def test_the_access_log_says_role_centre_and_purpose_never_a_staff_name(
    world: tuple[Database, str, str],
) -> None:
    db, a, _ = world
    client, me = _patient_client(db, a)
    with db.session() as s:
        PatientRepository(s, clinician(a)).get("A-1")  # the doctor reads the record
    with db.session() as s:
        PatientRepository(s, nurse(a, "nurse-rose")).list(centre_id=a)  # a research list holding A-1
    client.get("/me/record")
    body = client.get("/api/me/access").json()["entries"]
    roles = [(e["who"], e["role"], e["action"]) for e in body]
    assert ("you", "patient", "patient.read") in roles
    assert ("staff", "clinician", "patient.read") in roles and (
        "staff",
        "research_staff",
        "patient.list",
    ) in roles
    text = json.dumps(body)
    assert "dr-house" not in text and "nurse-rose" not in text  # role and centre, not the person
    page = client.get("/me/access?lang=fr")
    assert "clinicien" in page.text.lower() and "dr-house" not in page.text
    rows = list(csv.DictReader(io.StringIO(client.get("/me/access.csv").text)))
    assert rows and set(rows[0]) == {"at", "who", "centres", "purpose", "action", "refused"}
    # reading the log is itself in the log, next time
    assert any(e["action"] == "patient.own_access" for e in client.get("/api/me/access").json()["entries"])


def test_an_objection_holds_everywhere_at_once_and_the_dpo_sees_its_source(
    world: tuple[Database, str, str],
) -> None:
    db, a, _ = world
    client, me = _patient_client(db, a)
    with db.session() as s:
        assert PatientRepository(s, nurse(a)).existing_ids(["A-1"]) == {"A-1"}
    page = client.get("/me/objection")
    r = client.post(
        "/me/objection", data={"objecting": "yes", "csrf_token": _csrf(page.text)}, follow_redirects=False
    )
    assert r.status_code == 303
    with db.session() as s:
        assert s.get(PatientRow, "A-1").research_objection is True  # type: ignore[union-attr]
        assert PatientRepository(s, nurse(a)).existing_ids(["A-1"]) == set()  # research staff: gone
        assert PatientRepository(s, clinician(a)).existing_ids(["A-1"]) == {"A-1"}  # care: unchanged
    changes = objection_report(db)["changes"]
    assert [(c["patient_id"], c["objecting"], c["source"]) for c in changes] == [
        ("A-1", True, "patient space")
    ]
    dpo = TestClient(create_app(db))
    dpo.app.state.actor_resolver = lambda request: Actor("dora", Role.DPO, purpose="audit")  # type: ignore[attr-defined]
    page_fr = dpo.get("/audit/objections?lang=fr").text
    assert 'id="objection-changes"' in page_fr and "espace patient (par le patient)" in page_fr
    rows = list(csv.DictReader(io.StringIO(dpo.get("/api/audit/objections?format=csv&changes=1").text)))
    assert [(r["patient_id"], r["source"]) for r in rows] == [("A-1", "patient space")]
    token = _csrf(client.get("/me").text)
    assert (
        client.post(
            "/api/me/objection", json={"objecting": True}, headers={"x-csrf-token": token}
        ).status_code
        == 422
    )
    state = client.post(
        "/api/me/objection", json={"objecting": False}, headers={"x-csrf-token": token}
    ).json()
    assert state["objecting"] is False and [h["objecting"] for h in state["history"]] == [False, True]
    assert [e["action"] for e in audit.search(db.engine, action="patient.objection")] == [
        "patient.objection"
    ] * 2


def test_a_contact_request_reaches_the_centres_research_staff_only(world: tuple[Database, str, str]) -> None:
    db, a, b = world
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-1")
    made = trials.ask_contact(db, me, TRIAL_ID, "evenings please")
    with pytest.raises(InputError):
        trials.ask_contact(db, me, TRIAL_ID)  # already waiting
    with pytest.raises(NotFound):
        trials.ask_contact(db, me, "NO-SUCH-TRIAL")
    assert [r["id"] for r in trials.staff_requests(db, nurse(a))] == [made["id"]]
    assert trials.staff_requests(db, nurse(b, "nurse-b")) == []  # another centre: never
    with pytest.raises(NotFound):
        trials.mark_handled(db, nurse(b, "nurse-b"), made["id"])
    trials.mark_handled(db, nurse(a), made["id"])
    assert trials.staff_requests(db, nurse(a)) == []
    assert trials.my_requests(db, me)[0]["handled"] is True
    objector = Actor("olga", Role.PATIENT, frozenset({a}), "own access", patient_id="A-OBJ")
    with pytest.raises(InputError):  # research staff cannot see an objecting patient: said, not lost
        trials.ask_contact(db, objector, TRIAL_ID)


def test_the_download_holds_the_record_the_accesses_and_the_choices(world: tuple[Database, str, str]) -> None:
    db, a, _ = world
    client, _ = _patient_client(db, a, "A-5")
    data = client.get("/me/export.json").json()
    assert data["patient_id"] == "A-5" and data["profile"]["facts"][0]["kind"] == "metastasis"
    assert data["objection"]["objecting"] is False and isinstance(data["access"], list)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/me/export?format=csv").text)))
    assert {r["section"] for r in rows} >= {"record", "facts", "access", "objection"}
    assert not any(r["value"] in ("A-1", "B-1") for r in rows)
    assert any(e["action"] == "patient.export" for e in space.access_log(db, Actor(
        "p-a-5", Role.PATIENT, frozenset({a}), "own access", patient_id="A-5"), record_read=False))  # fmt: skip


def test_an_objection_leaves_the_pre_screening_list_at_the_next_request(
    world: tuple[Database, str, str],
) -> None:
    """The list was computed (and cached) with the patient on it; the objection filed in the patient's
    space removes them from the research staff's next read, and withdrawing it brings them back."""
    from oncofed.services.prescreen.lists import prescreen_list
    from tests.prescreen_fixtures import FAKE_ENGINE

    db, a, _ = world
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id="A-1")

    def listed() -> set[str]:
        return {
            c.patient_id for c in prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE).candidates
        }

    assert "A-1" in listed()
    space.set_objection(db, me, True)
    assert "A-1" not in listed() and "A-2" in listed()
    space.set_objection(db, me, False)
    assert "A-1" in listed()
