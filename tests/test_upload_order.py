"""Uploads refused in the right order (web/uploads.py): who is sending is checked before anything about
what is sent. An anonymous caller's over-limit upload is a 401, another role's a 403, on every upload
route (trial import, patient import with its notes, page and API), before a byte of the body is read;
the size and type checks come after, for those who may import."""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.web import uploads
from oncofed.web.routes import patient_import, trial_import

CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
MANAGER = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")
DPO = Actor("dora", Role.DPO, purpose="audit")

# every upload route: (path, a role that may upload there, one that may not, a file it reads)
ROUTES = [
    ("/api/trials/import", MANAGER, CLINICIAN, "essai.json"),
    ("/trials/import", MANAGER, CLINICIAN, "essai.json"),
    ("/api/patients/import", CLINICIAN, MANAGER, "patients.csv"),
    ("/patients/import", CLINICIAN, DPO, "compte-rendu.txt"),  # a note
]


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Limits of 2,000 bytes a file and 5,000 a request; records any import or saved file."""
    called: list[str] = []
    for module in (patient_import, trial_import):
        limits = dataclasses.replace(module.UPLOAD, file_bytes=2_000, total_bytes=5_000)
        for path, upload in list(uploads.LIMITS.items()):
            if upload is module.UPLOAD:
                monkeypatch.setitem(uploads.LIMITS, path, limits)
    monkeypatch.setattr(patient_import, "import_uploaded", lambda *a, **k: called.append("patients"))
    monkeypatch.setattr(trial_import, "import_trials", lambda *a, **k: called.append("trials"))
    monkeypatch.setattr(uploads.shutil, "copyfileobj", lambda *a, **k: called.append("saved"))
    return called


def test_every_upload_route_is_guarded() -> None:
    """A new upload route registers its limits with the roles of its own `require_roles`."""
    assert sorted(uploads.LIMITS) == sorted(path for path, *_ in ROUTES)
    assert uploads.LIMITS["/api/trials/import"].roles == trial_import.IMPORTERS
    assert uploads.LIMITS["/patients/import"].roles == patient_import.IMPORTING_ROLES


def _post(client: Any, path: str, name: str, size: int, **headers: str) -> Any:
    files = [("files", (name, b"x" * size, "application/octet-stream"))]
    return client.post(path, files=files, headers={"Accept-Language": "fr", **headers})


@pytest.mark.parametrize(("path", "allowed", "other", "name"), ROUTES)
def test_who_before_how_large(db: Database, client_as, small, path, allowed, other, name) -> None:  # type: ignore[no-untyped-def]
    for size in (6_000, 3_000):  # over the request's limit, then over a file's
        anonymous = _post(client_as(db, Actor.public()), path, name, size)
        assert anonymous.status_code == 401, (path, size, anonymous.text)
        refused = _post(client_as(db, other), path, name, size)
        assert refused.status_code == 403, (path, size, refused.text)
        too_large = _post(client_as(db, allowed), path, name, size)
        assert too_large.status_code == 413, (path, size, too_large.text)
    wrong_type = _post(client_as(db, Actor.public()), path, "export.xlsx", 10)
    assert wrong_type.status_code == 401
    assert _post(client_as(db, allowed), path, "export.xlsx", 10).status_code == 415
    assert small == []  # nothing saved, nothing imported


def test_a_bad_token_is_refused_before_the_size(db: Database, client_as, small) -> None:  # type: ignore[no-untyped-def]
    client = client_as(db)  # the app's own resolver: the bearer token is looked up
    answer = _post(client, "/api/trials/import", "essai.json", 6_000, Authorization="Bearer ofd_faux")
    assert answer.status_code == 401 and small == []


def _raw(app: Any, path: str, length: int) -> tuple[int, int]:
    """POSTs to `app` at the ASGI level; (status, how many times the body was asked for)."""
    asked = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"content-type", b"multipart/form-data; boundary=frontiere"),
            (b"content-length", str(length).encode()),
            (b"host", b"testserver"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    # in a thread of its own: a page test earlier in the session (Playwright's sync API) may leave an event
    # loop running in this one, and asyncio.run refuses to start inside a running loop
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return status, asked


def test_the_body_of_a_refused_caller_is_never_read(db: Database, small) -> None:  # type: ignore[no-untyped-def]
    from oncofed.web.app import create_app

    app = create_app(db)
    for path, *_ in ROUTES:
        assert _raw(app, path, 10**10) == (401, 0), path
    app.state.actor_resolver = lambda request: CLINICIAN
    assert _raw(app, "/api/trials/import", 10**10) == (403, 0)
    assert _raw(app, "/api/patients/import", 10**10) == (413, 0)  # may import: then the size
