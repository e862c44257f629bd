"""Patients imported from the web like trials: /patients/import and POST /api/patients/import run the
importer of `oncofed import patients` as the person importing, for one of their centres (audited), list
every rejected record and every warning in the reader's language and keep their CSV in the database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models_trust import AuditRow
from oncofed.store.repositories import PatientRepository

CLAIRE = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
COLLEAGUE = Actor("camille", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
ELSEWHERE = Actor("gaspard", Role.CLINICIAN, frozenset({"gustave-roussy"}), "care")

# one patient kept with two warnings (a unit that does not convert, an ECOG out of range), one
# rejected (no patient id), one more kept without any
LOT = (
    "patient_id,kind,code,value,unit,date\n"
    "A1,sex,,F,,\n"
    "A1,lab,hemoglobin,12,furlongs,\n"
    "A1,ecog,,7,,\n"
    ",sex,,M,,\n"
    "B2,sex,,M,,\n"
    "B2,birth_date,,1950-04-02,,\n"
)


def _send(client, body: str = LOT, name: str = "lot-decembre.csv", **data: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/patients/import", files=[("files", (name, body.encode(), "text/csv"))], data=data,
        headers={"Accept-Language": "fr"},
    )  # fmt: skip


def _patients(db: Database) -> set[str]:
    with db.session() as s:
        return {p.id for p in PatientRepository(s, Actor.system()).list(centre_id="curie")}


def _actions(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [
            (r.action, r.user_id, r.patient_ids) for r in s.scalars(select(AuditRow).order_by(AuditRow.seq))
        ]


def test_api_lists_rejections_and_warnings_in_french_nothing_kept(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(db, CLAIRE)
    sent = _send(client)
    assert sent.status_code == 422, sent.text
    body = sent.json()
    assert body["code"] == "import.rejected" and body["detail"] == "1 enregistrement a été rejeté"
    assert (
        body["centre"] == "curie" and body["imported"] == 0 and body["files_refused"] == ["lot-decembre.csv"]
    )
    assert len(body["rejected_records"]) == 1 and len(body["warning_records"]) == 2
    assert all(i["file"] == "lot-decembre.csv" for i in body["issues"])  # the upload's own name
    assert body["refused"][0].startswith("Rien n'a été importé de lot-decembre.csv")
    assert "rejeté" in body["summary"] and "2 avertissements" in body["summary"]
    assert _patients(db) == set()  # all or nothing per file
    kept = _send(client, partial="true")
    assert kept.status_code == 422 and kept.json()["imported"] == 2
    assert _patients(db) == {"curie-A1", "curie-B2"}
    assert any(a == ("patient.import", "claire", "curie-A1 curie-B2") for a in _actions(db))


def test_the_report_csv_is_stored_and_said_in_the_readers_language(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    body = _send(client_as(db, CLAIRE)).json()
    link = body["csv"]
    # another process (a restart, a second worker): the report is read from the database
    table = client_as(db, CLAIRE).get(link, headers={"Accept-Language": "fr"})
    assert table.status_code == 200, table.text
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert sorted(r["severity"] for r in rows) == ["avertissement", "avertissement", "erreur"]
    assert {r["file"] for r in rows} == {"lot-decembre.csv"}
    english = list(csv.DictReader(io.StringIO(client_as(db, COLLEAGUE).get(link).text)))
    assert sorted(r["severity"] for r in english) == [
        "error",
        "warning",
        "warning",
    ]  # a colleague of the centre
    assert client_as(db, ELSEWHERE).get(link).status_code == 404  # another centre's staff: not found
    actions = [a for a, _, _ in _actions(db)]
    assert actions.count("import.report") == 2 and "security.import_report" in actions


def test_only_centre_staff_import_and_only_for_their_centres(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    manager = client_as(db, Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility"))
    assert _send(manager).status_code == 403
    assert client_as(db, Actor.public()).post("/api/patients/import").status_code == 401
    other = _send(client_as(db, CLAIRE), centre="gustave-roussy")
    assert other.status_code == 422 and other.json()["code"] == "patient_import.centre_scope"
    assert "vos propres centres" in other.json()["detail"]
    assert "security.patient_import" in [a for a, _, _ in _actions(db)]
    assert _patients(db) == set()
    both = Actor("bea", Role.CLINICIAN, frozenset({"curie", "gustave-roussy"}), "care")
    unsaid = _send(client_as(db, both))
    assert unsaid.status_code == 422 and unsaid.json()["code"] == "patient_import.centre_needed"


def test_page_in_french(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, CLAIRE)
    client.cookies.set("lang", "fr")
    form = client.get("/patients/import")
    assert form.status_code == 200 and "Importer des patients" in form.text
    assert 'href="/patients/import"' in client.get("/patients").text
    page = client.post("/patients/import", files=[("files", ("lot.csv", LOT.encode(), "text/csv"))])
    assert page.status_code == 422
    html = page.text
    assert 'id="import-rejections"' in html and 'id="import-warnings"' in html and 'id="issues-csv"' in html
    assert "1 enregistrement rejeté" in html and "2 avertissements" in html
    empty = client.post("/patients/import", files=[("files", ("", b"", "text/plain"))])
    assert empty.status_code == 422 and "Aucun fichier choisi" in empty.text


INGEST = Path(__file__).resolve().parents[1] / "src" / "oncofed" / "ingest" / "patients"


def test_every_patient_import_issue_is_coded() -> None:
    """Each warning and rejection the patient importers write (the notes reader apart: another area)
    has a code, so that it is said in the reader's language on the page, in the API and in the CSV."""
    import ast

    bare = []
    for path in sorted(INGEST.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            collected = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if collected and node.func.attr in ("warn", "error") and len(node.args) >= 4:  # type: ignore[attr-defined]
                coded = len(node.args) >= 5 or any(k.arg == "code" for k in node.keywords)  # type: ignore[attr-defined]
                if not coded:
                    bare.append(f"{path.name}:{node.lineno}")  # type: ignore[attr-defined]
    assert bare == [], bare


def test_warnings_for_what_was_assumed_or_left_out_are_said_in_french(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    lot = (
        "patient_id,kind,code,value,unit,date\n"
        "C3,sex,,F,,\n"
        "C3,primary_cancer,LUAD,,,2024-03\n"  # a date without its day: read as the 1st, said
        "C3,lab,hemoglobin,12,furlongs,\n"  # a unit that does not convert: the row left out
        "C3,teleportation,,yes,,\n"  # a kind the importer does not know: the row left out
    )
    body = _send(client_as(db, CLAIRE), lot).json()
    assert body["imported"] == 1 and body["rejected"] == 0
    warnings = {w["code"]: w for w in body["warning_records"]}
    assert set(warnings) == {"import.date_no_day", "import.value_unreadable", "import.unknown_kind"}
    assert warnings["import.date_no_day"]["reason"].startswith(
        "'2024-03' n'a pas de jour\u00a0: lu comme le "
    )
    assert warnings["import.unknown_kind"]["fix"] == "corrigez la ligne\u202f; elle a été laissée de côté"
    assert warnings["import.value_unreadable"]["reason"] == (  # the converter's words, in French too
        "valeur illisible (l'unité 'furlongs' de hemoglobin ne se convertit pas en 'g/dL')"
    )
    rows = list(csv.DictReader(io.StringIO(client_as(db, CLAIRE).get(body["csv"]).text)))
    assert {r["code"] for r in rows} == set(warnings) and {r["severity"] for r in rows} == {"warning"}


def test_the_command_line_says_the_same_in_french(sqlite_db: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    lot = tmp_path / "lot-decembre.csv"
    lot.write_text(LOT, encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    out = CliRunner().invoke(
        app, ["--lang", "fr", "import", "patients", str(lot), "--centre", "curie"], terminal_width=400
    )
    assert out.exit_code == 1, out.output
    said = " ".join(out.output.split())
    assert "Avertissements" in said and "Rejetés" in said
    assert "lot-decembre.csv : rien d'importé (un enregistrement a été rejeté ; corrigez-le" in said.replace(
        "\u00a0", " "
    ).replace("\u202f", " ")
    assert "avertissement : lot-decembre.csv:patient A1:ligne 3:lab" in said.replace("\u00a0", " ")
