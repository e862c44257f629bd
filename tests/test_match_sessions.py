"""One match page request, one unit of work: the page and its JSON twin read the patient, the
registry's version, the stored text vectors and the referral sites in one database session, on
SQLite and PostgreSQL. The audit entry of the read is the one other connection: appended in its
own short transaction (holding the log's lock) when the request's unit ends (store/audit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Role
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.store.db import Database
from oncofed.store.models_trust import AuditRow
from oncofed.store.repositories import PatientRepository
from tests.test_matching_web import small_network  # noqa: F401  (the fixture: centres, trials, patients)

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)


class Counter:
    """Sessions opened through `Database.session` and connections checked out of the pool."""

    def __init__(self, db: Database) -> None:
        self.sessions = 0
        self.checkouts = 0
        self._db = db
        self._session = db.session

    def __enter__(self) -> Counter:
        opened = self._session

        @contextmanager
        def counted() -> Iterator[Session]:
            self.sessions += 1
            with opened() as s:
                yield s

        self._db.session = counted  # type: ignore[method-assign]
        event.listen(self._db.engine, "checkout", self._checkout)
        return self

    def _checkout(self, *_: Any) -> None:
        self.checkouts += 1

    def __exit__(self, *_: object) -> None:
        event.remove(self._db.engine, "checkout", self._checkout)
        self._db.session = self._session  # type: ignore[method-assign]


def _audit_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(AuditRow)) or 0)


@pytest.mark.parametrize("path", ["/patients/{pid}/matches", "/api/patients/{pid}/matches"])
def test_one_match_request_opens_one_session_and_logs_the_read(
    small_network: Database,  # noqa: F811
    client_as: Any,
    path: str,
) -> None:
    db = small_network
    with db.session() as s:
        patient = PatientRepository(s, Actor.system()).list(limit=1)[0]
    client = client_as(db, Actor("dr-x", Role.CLINICIAN, frozenset({patient.centre_id})))
    # by the source record's id: the page resolves it to the store's id in the same session
    given = patient.id.removeprefix(patient.centre_id + "-") if "/api/" not in path else patient.id
    assert client.get(path.format(pid=given)).status_code == 200  # builds the trial index once
    logged = _audit_rows(db)
    with Counter(db) as counted:
        r = client.get(path.format(pid=given))
    assert r.status_code == 200, r.text
    assert patient.id in r.text
    assert counted.sessions == 1, f"{counted.sessions} sessions for one request"
    # the request's unit of work + the audit append (a read is logged even when a later step fails)
    assert counted.checkouts == 2, f"{counted.checkouts} connections for one request"
    assert _audit_rows(db) == logged + 1


def test_a_read_is_logged_even_when_the_request_fails_after_it(
    small_network: Database,  # noqa: F811
    client_as: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The single unit of work rolls back on a later error; the patient read is still in the log."""
    import oncofed.web.workday as workday

    db = small_network
    with db.session() as s:
        patient = PatientRepository(s, Actor.system()).list(limit=1)[0]
    client = client_as(db, Actor("dr-x", Role.CLINICIAN, frozenset({patient.centre_id})))
    assert client.get(f"/patients/{patient.id}/matches").status_code == 200
    logged = _audit_rows(db)

    def broken(*_: object, **__: object) -> dict[str, Any]:
        raise RuntimeError("the referral sites could not be read")

    monkeypatch.setattr(workday, "match_workday", broken)
    with pytest.raises(RuntimeError):
        client.get(f"/patients/{patient.id}/matches")
    assert _audit_rows(db) == logged + 1


def test_signed_in_page_request_three_connections(small_network: Database, client_as: Any) -> None:  # noqa: F811
    """With an API token: the sign-in look-up (the auth layer, before any route, for every route), the
    page's unit of work and the audit append; it was six before the page kept one session."""
    from oncofed.services.accounts import users

    db = small_network
    with db.session() as s:
        patient = PatientRepository(s, Actor.system()).list(limit=1)[0]
    users.add_user(
        db, "dr-token", "clinician", "a long enough password", centre_ids=[patient.centre_id], actor=SETUP
    )
    client = client_as(db)
    client.headers["Authorization"] = f"Bearer {users.issue_token(db, 'dr-token', actor=SETUP)}"
    assert client.get(f"/patients/{patient.id}/matches").status_code == 200
    with Counter(db) as counted:
        r = client.get(f"/patients/{patient.id}/matches")
    assert r.status_code == 200 and patient.id in r.text
    assert (counted.sessions, counted.checkouts) == (2, 3)
