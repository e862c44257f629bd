"""Every word of an import's report in the reader's language: broken trial and patient files of every
format are imported, and each rejection and warning is rendered in French as the page, the API, the
CSV and `oncofed --lang fr` say it (its place, message and fix). No English may be left in it: not the
record's place ("row 5", "line 3", "(file)"), not a parser's words ("Expecting ',' delimiter", yajl's
"lexical error", expat's "no element found", pydantic's "Input should be a valid string"), not a unit
conversion's or an extended-JSON wrapper's reason, not an uncoded refusal of the patient importer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncofed.presenters.i18n import translator
from oncofed.presenters.import_reports import item_words
from oncofed.presenters.imports import import_json
from oncofed.presenters.library_words import library_said
from oncofed.presenters.patient_imports import import_result
from oncofed.presenters.places import place
from oncofed.services.imports.reports import issue_item
from oncofed.services.patients.records import import_patients
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from tests.i18n_pages import ENGLISH_WORDS, findings, untranslated_msgids
from tests.test_trials_fuzz import SEEDS

# words of the importers' English beyond the pages' list (tests/i18n_pages.py)
IMPORT_ENGLISH = ENGLISH_WORDS | {
    "line", "record", "entry", "converted", "convert", "expecting", "expected", "sample", "bundle",
    "got", "input", "valid", "string", "integer", "number", "object", "extra", "data", "property",
    "delimiter", "column", "char", "error", "lexical", "parse", "premature", "element", "token", "write",
    "digits", "file", "usable", "fact", "unreadable", "invalid", "malformed", "wrapper",
}  # fmt: skip

BROKEN_TRIALS = {
    "tronque.json": '{"studies": [ {"protocolSection": 3}, ',
    "lignes.ndjson": SEEDS["ctgov.ndjson"].replace("NCT09000002", "XX12") + "{oops\n[1, 2]\n",
    "coupe.xml": "<clinical_study><id_info><nct_id>NCT1</nct_id>",
    "essai.ctml.yaml": "protocol_no: 1\nnct_id: [\n",
    "essai-tab.ctml.yaml": "protocol_no: 1\n\tnct_id: NCT1\n",
    "essai.ctml.json": '{"protocol_no": "X", "treatment_list": ',
    **{
        f"casse-{k}": v.replace('"', "'", 3) if k.endswith("json") else v[: len(v) // 2]
        for k, v in SEEDS.items()
    },
}
BROKEN_PATIENTS = {
    "lot.csv": "patient_id,kind,code,value,unit,date\nP1,sex,,F,,\nP1,lab,creatinine,1.2,furlongs,2024-01\n"
    "P1,lab,anc,abc,10^9/L,2024\nP2,lab,creatinine,1.2,,2024-01-01\n",
    "matchminer.json": '[{"SAMPLE_ID": "S1", "BIRTH_DATE": {"$date": "nope"}}, {"SAMPLE_ID": {"$oid": 3}},'
    ' {"SAMPLE_ID": "S3", "TMB": {"$numberInt": "99999999999"}}, 7]',
    "matchminer-coupe.json": '[{"SAMPLE_ID": "S1", "MRN": "M1"}',
    "lot-fhir.json": json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "name": 5}},
                {
                    "resource": {
                        "resourceType": "Observation",
                        "id": "o1",
                        "status": "final",
                        "subject": {"reference": "Patient/p1"},
                        "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
                        "valueQuantity": {"value": 1.2, "unit": "furlong"},
                    }
                },
            ],
        }
    ),
    "lot-fhir-coupe.json": '{"resourceType": "Bundle", ',
}


def _english(text: str, msgids: dict[str, str]) -> list[str]:
    import tests.i18n_pages as pages

    saved = pages.ENGLISH_WORDS
    pages.ENGLISH_WORDS = IMPORT_ENGLISH
    try:
        return [f.text for f in findings(text, msgids) if f.kind in ("english", "msgid")]
    finally:
        pages.ENGLISH_WORDS = saved


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    return untranslated_msgids("fr")


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_trial_rejections_are_said_in_french(sqlite_db: Database, tmp_path: Path, msgids) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    for path in _write(tmp_path, BROKEN_TRIALS):
        report = import_json(import_trials(sqlite_db, [path], strict=False), "fr")
        said += report["rejections"]
        said += [str(r[k] or "") for r in report["rejected_records"] for k in ("record", "field", "fix")]
    assert len(said) > 20
    left = sorted({t for line in said for t in _english(line.split(":", 1)[-1], msgids)})
    assert not left, "English in the French trial import report:\n" + "\n".join(left)


def test_patient_issues_are_said_in_french(sqlite_db: Database, tmp_path: Path, msgids) -> None:  # type: ignore[no-untyped-def]
    report = import_patients(sqlite_db, _write(tmp_path, BROKEN_PATIENTS), centre="curie", partial=True)
    result = import_result(report, "fr")
    stored = [item_words(issue_item(i), "fr") for i in report.issues]  # the CSV of a kept report
    assert len(result["issues"]) >= 8
    said = [i["line"].split(":", 1)[-1] for i in result["issues"]]
    said += [str(s.get(k) or "") for s in stored for k in ("record", "resource", "message", "fix")]
    left = sorted({t for line in said for t in _english(line, msgids)})
    assert not left, "English in the French patient import report:\n" + "\n".join(left)
    assert not [line for line in said if "None" in line]  # a value the reader never typed


def test_places_and_library_words() -> None:
    fr, en = translator("fr"), translator("en")
    assert place(fr, "row 5 (sample S1)") == "ligne 5 (échantillon S1)"
    assert place(fr, "line 3 NCT01234567") == "ligne 3 NCT01234567"
    assert place(fr, "(file)") == "(fichier)" and place(fr, "file") == "fichier"
    assert place(fr, "genomic row 4") == "enregistrement génomique ligne 4" and place(fr, "clinical") == (
        "enregistrement clinique"
    )
    assert (
        place(fr, "protocolSection.identificationModule.nctId")
        == "protocolSection.identificationModule.nctId"
    )
    assert place(fr, "#2") == "#2" and place(en, "row 5") == "row 5"
    assert place(fr, "rowing 5") == "rowing 5"  # a word of the file's own is left alone
    delimiter = library_said(fr, "Expecting ',' delimiter")
    assert delimiter.startswith("un «") and delimiter.endswith("» était attendu") and "," in delimiter
    assert library_said(fr, "no element found: line 1, column 46") == (
        "le XML s'arrête avant la fermeture de son premier élément (ligne 1, colonne 46)"
    )
    assert library_said(fr, "could not convert string to float: 'abc'") == "'abc' n'est pas un nombre"
    assert library_said(en, "Expecting value") == "a value was expected"
    assert library_said(fr, "No such file or directory") == "fichier ou dossier introuvable"
    assert library_said(fr, "an unknown library sentence") == "an unknown library sentence"  # never guessed


def test_a_fact_s_provenance_in_french() -> None:
    from oncofed.presenters.patients import provenance_text

    assert provenance_text({"source": "csv:lot.csv", "record": "row 15"}, "fr") == "csv:lot.csv · ligne 15"
    assert provenance_text({"source": "csv:lot.csv", "record": "row 15"}, "en") == "csv:lot.csv · row 15"
    corrected = {"source": "corrected by clin-curie", "record": "correction 2"}
    assert provenance_text(corrected, "fr") == "corrigé par clin-curie · correction 2"
