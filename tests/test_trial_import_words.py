"""Trial import rejections in the reader's language: a code and parameters for every rejected record,
said in French or English on the import page, in the API's JSON and by `oncofed --lang fr import trials`;
the import stays all or nothing per file and the rejections are a CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oncofed.domain import Actor, Role
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import parse_age, parse_date, require_id
from oncofed.presenters.imports import import_json, rejection_words
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from tests.trial_samples import study, write_ndjson

MANAGER = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(TrialRow)) or 0)


def _bad_file(folder: Path) -> Path:
    """One good study, an age written in words, an id that is no NCT number."""
    rows = [
        study(nct="NCT09100001"),
        study(nct="NCT09100002", min_age="dix-huit ans"),
        study(nct="NCT0910000X"),
    ]
    return write_ndjson(folder / "lot-mars.ndjson", rows)


def test_a_coded_record_error_keeps_its_english_and_its_ids() -> None:
    exc = RecordError(
        "ages", N_("age %(value)s is odd"), code="x.odd", params={"value": "'3 eons'"}, fix=N_("fix")
    )
    assert exc.reason == "age '3 eons' is odd; fix" and str(exc) == "ages: age '3 eons' is odd; fix"
    assert (
        exc.code == "x.odd" and exc.template == "age %(value)s is odd" and exc.params == {"value": "'3 eons'"}
    )
    plain = RecordError("f", "as written")
    assert plain.code == "" and plain.reason == "as written" and plain.as_input_error("a.json").code == ""


@pytest.mark.parametrize(
    ("call", "code", "french"),
    [
        (lambda: parse_age("eighteen", "minimumAge"), "import.age_format", "n'est pas de la forme"),
        (lambda: parse_age("3 fortnights", "minimumAge"), "import.age_unit", "unité inconnue"),
        (lambda: parse_date("the 32nd", "startDate"), "import.date_format", "n'est pas une date"),
        (lambda: require_id("", "nctId", nct=True), "import.no_trial_id", "aucun identifiant"),
        (lambda: require_id("NCT12", "nctId", nct=True), "import.not_nct", "n'est pas un numéro NCT"),
    ],
)
def test_each_class_of_rejection_is_said_in_french(call, code, french) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError) as caught:
        call()
    from oncofed.ingest.trials.common import rejection

    words = rejection_words(rejection("f.json", "#1", caught.value), "fr")
    assert words["code"] == code and french in words["message"], words
    assert words["fix"] and words["fix"] != caught.value.fix_template  # the fix is said in French too
    english = rejection_words(rejection("f.json", "#1", caught.value), "en")
    assert english["message"] in caught.value.reason


def test_service_report_in_french_and_nothing_kept(db: Database, tmp_path: Path) -> None:
    path = _bad_file(tmp_path)
    report = import_trials(db, [path])
    assert _count(db) == 0 and report.files[0].rolled_back  # all or nothing, both records listed
    said = import_json(report, "fr")
    assert [r["code"] for r in said["rejected_records"]] == ["import.age_format", "import.not_nct"]
    age = said["rejected_records"][0]
    assert age["params"] == {"value": "'dix-huit ans'"} and age["field"] == "eligibilityModule.minimumAge"
    assert "\u00a0: " in said["rejections"][0] and "rejeté" in said["summary"]
    assert said["files"][0]["outcome"].startswith("Rien n'a été importé")


def test_api_and_csv_in_the_request_language(db: Database, tmp_path: Path, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(db, MANAGER)
    path = _bad_file(tmp_path)
    sent = client.post(
        "/api/trials/import",
        files=[("files", (path.name, path.read_bytes(), "application/x-ndjson"))],
        headers={"Accept-Language": "fr"},
    )
    assert sent.status_code == 422, sent.text
    body = sent.json()
    assert body["code"] == "import.rejected" and body["params"] == {"num": 2}
    assert body["detail"] == "2 enregistrements ont été rejetés" and body["fix"]
    assert body["rejected_records"][1]["file"] == "lot-mars.ndjson"  # the upload's own name
    assert "n'est pas un numéro NCT" in body["rejected_records"][1]["message"]
    assert _count(db) == 0
    table = client.get(body["csv"], headers={"Accept-Language": "fr"})
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert table.status_code == 200 and [r["code"] for r in rows] == ["import.age_format", "import.not_nct"]
    assert "n'est pas de la forme" in rows[0]["message"]
    other = client_as(db, Actor("ada", Role.ADMIN, purpose="administration"))
    assert other.get(body["csv"]).status_code == 404  # one person's report, not another's
    english = client.post(
        "/api/trials/import",
        files=[("files", (path.name, path.read_bytes(), "application/x-ndjson"))],
        data={"partial": "true"},
    )
    assert english.status_code == 422 and english.json()["detail"] == "2 records were rejected"
    assert english.json()["imported"] == 1 and _count(db) == 1  # kept deliberately
    assert client_as(db, Actor.public()).post("/api/trials/import").status_code == 401


def test_page_lists_every_rejection_in_french(sqlite_db: Database, tmp_path: Path, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(sqlite_db, MANAGER)
    client.cookies.set("lang", "fr")
    assert "Importer des essais" in client.get("/trials/import").text
    path = _bad_file(tmp_path)
    page = client.post("/trials/import", files=[("files", (path.name, path.read_bytes(), "text/plain"))])
    assert page.status_code == 422
    html = page.text
    assert html.count('data-code="import.') == 2 and "n'est pas un numéro NCT" in html.replace("&#39;", "'")
    assert 'id="rejections-csv"' in html and "lot-mars.ndjson" in html
    empty = client.post("/trials/import", files=[("files", ("", b"", "text/plain"))])
    assert empty.status_code == 422 and "Aucun fichier choisi" in empty.text


def test_cli_says_the_rejections_in_french(db: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", db.url)
    path = _bad_file(tmp_path)
    out = CliRunner().invoke(app, ["--lang", "fr", "import", "trials", str(path)], terminal_width=400)
    assert out.exit_code == 1
    said = " ".join(out.output.split())  # Rich wraps at the console's width, whatever the runner's
    assert "rejeté" in said and "n'est pas un numéro NCT" in said, out.output
    assert "0 importé" in said


def test_patient_import_rejections_in_french(db: Database, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.ingest.patients.files import read_records
    from oncofed.presenters.patient_imports import issue_line, issue_words

    flat = tmp_path / "sans-colonnes.csv"
    flat.write_text("patient_id,nom\nP1,x\n", encoding="utf-8")
    odd = tmp_path / "export.xlsx"
    odd.write_bytes(b"PK\x03\x04")
    bundle = tmp_path / "pas-un-bundle.json"
    bundle.write_text('{"resourceType": "Bundle", "type": "history", "entry": []}', encoding="utf-8")
    issues = [i for _, r in read_records([flat, odd, bundle]) for i in r.issues]
    codes = sorted(i.code for i in issues)
    assert codes == ["import.csv_layout", "import.fhir_bundle_type", "import.file_type"], codes
    said = {i.code: issue_words(i, "fr") for i in issues}
    assert said["import.file_type"]["reason"] == "type de fichier non pris en charge\u00a0: .xlsx"
    assert said["import.file_type"]["params"] == {"suffix": ".xlsx"}
    assert issue_line(issues[0], "fr").startswith("erreur\u00a0: ")
    assert "unsupported file type .xlsx" in [i.describe() for i in issues if i.code == "import.file_type"][0]
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = CliRunner().invoke(
        app, ["--lang", "fr", "import", "patients", str(odd), "--centre", "curie"], terminal_width=300
    )
    assert out.exit_code == 1 and "type de fichier non pris en charge" in out.output, out.output


def test_search_and_centre_refusals_in_french(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.services.network.centres import load_centres

    load_centres(sqlite_db)
    client = client_as(sqlite_db)
    far = client.get("/api/trials?within_km=10", headers={"Accept-Language": "fr"}).json()
    assert far["code"] == "search.distance_place" and far["detail"] == "une distance demande un lieu"
    city = client.get("/api/trials?city=Atlantide", headers={"Accept-Language": "fr"}).json()
    assert city["detail"] == "ville inconnue 'Atlantide'" and city["field"] == "city"
    centre = client.get("/api/trials?centre=Gustave%20Rousi", headers={"Accept-Language": "fr"}).json()
    assert centre["code"] == "centre.unknown" and centre["fix"].startswith(
        "vouliez-vous dire 'Gustave Roussy'"
    )
    assert centre["fix"].endswith("\u202f?")
