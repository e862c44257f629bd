"""Uploads checked while they stream (web/uploads.py): a body above the limit (by its Content-Length,
or as it arrives), a file above the per-file limit and a file of a type the importer does not read are
refused with 413 / 415 and the limit in the reader's language, before the import runs or a file is saved."""

from __future__ import annotations

import dataclasses

import pytest

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.web import uploads
from oncofed.web.routes import patient_import, trial_import

CLAIRE = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
MANAGER = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Limits of 2,000 bytes a file and 5,000 bytes a request; the import itself must never run."""
    called: list[str] = []
    for module, paths in (
        (patient_import, ("/patients/import", "/api/patients/import")),
        (trial_import, ("/trials/import", "/api/trials/import")),
    ):
        limits = dataclasses.replace(module.UPLOAD, file_bytes=2_000, total_bytes=5_000)
        for path in paths:
            monkeypatch.setitem(uploads.LIMITS, path, limits)
    monkeypatch.setattr(patient_import, "import_uploaded", lambda *a, **k: called.append("patients"))
    monkeypatch.setattr(trial_import, "import_trials", lambda *a, **k: called.append("trials"))
    monkeypatch.setattr(uploads.shutil, "copyfileobj", lambda *a, **k: called.append("saved"))
    return called


def _post(client, path: str, *files: tuple[str, bytes], lang: str = "fr"):  # type: ignore[no-untyped-def]
    sent = [("files", (name, body, "application/octet-stream")) for name, body in files]
    return client.post(path, files=sent, headers={"Accept-Language": lang})


def test_a_file_over_the_limit_is_refused_as_it_streams(sqlite_db: Database, client_as, small) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, CLAIRE)
    answer = _post(client, "/api/patients/import", ("gros.csv", b"x" * 3_000))
    assert answer.status_code == 413, answer.text
    body = answer.json()
    assert body["code"] == "upload.file_too_large" and body["params"]["limit"] == 0.002
    assert (
        body["detail"]
        == "le fichier gros.csv dépasse la taille permise pour un fichier envoyé (0,002\u00a0Mo)"
    )
    assert "oncofed import patients" in body["fix"]
    assert small == []  # neither imported nor saved


def test_a_request_over_the_total_is_refused_before_its_body_is_read(
    sqlite_db: Database, client_as, small
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, MANAGER)
    parts = [(f"lot-{i}.json", b"{}" + b" " * 1_500) for i in range(4)]
    answer = _post(client, "/api/trials/import", *parts, lang="en")
    assert answer.status_code == 413 and answer.json()["code"] == "upload.too_large"
    assert answer.json()["detail"] == "the upload is larger than the 0.005 MB an import may send at once"
    assert small == []


def test_a_file_of_another_type_is_refused_at_its_header(sqlite_db: Database, client_as, small) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, CLAIRE)
    answer = _post(client, "/api/patients/import", ("export.xlsx", b"PK\x03\x04"))
    assert answer.status_code == 415 and answer.json()["code"] == "upload.wrong_type"
    assert answer.json()["detail"] == "le fichier export.xlsx est de type .xlsx, que cet import ne lit pas"
    assert ".csv" in answer.json()["fix"] and small == []
    client.cookies.set("lang", "fr")
    page = client.post(
        "/patients/import",
        files=[("files", ("gros.csv", b"y" * 3_000, "text/csv"))],
        headers={"Accept": "text/html"},
    )
    assert (
        page.status_code == 413
        and "Envoi trop volumineux" in page.text
        and "Le fichier gros.csv dépasse" in page.text
    )


def test_uploads_within_the_limits_are_imported(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, CLAIRE)
    answer = _post(
        client, "/api/patients/import", ("petit.csv", b"patient_id,kind,code,value,unit,date\nZ9,sex,,F,,\n")
    )
    assert answer.status_code == 200 and answer.json()["imported"] == 1


def test_any_body_gives_an_answer_never_a_crash(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = client_as(sqlite_db, CLAIRE)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=600), st.sampled_from(["x", "frontiere", ""]))
    def probe(body: bytes, boundary: str) -> None:
        sent = client.post(
            "/api/patients/import",
            content=b"--frontiere\r\n" + body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}"
                if boundary
                else "multipart/form-data"
            },
        )
        assert sent.status_code < 500, sent.text

    probe()
