"""MatchMiner clinical + genomic records (JSON, CSV, extended JSON): every field lands where expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncofed.ingest.extjson import decode
from oncofed.ingest.patients.matchminer import parse_files
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data


def by_sample(paths: list[Path]) -> dict[str, object]:
    return {r.local_id: r for r in parse_files(paths) if r.local_id}


def test_json_test_patients_every_field() -> None:
    folder = shared_data("matchminer", "patients", "json")
    records = by_sample(sorted(folder.glob("*.json")))
    assert set(records) == {"11-22-3333", "22-33-4444"}
    for sample, n in (("11-22-3333", 1), ("22-33-4444", 2)):
        r = records[sample]
        p = r.profile  # type: ignore[attr-defined]
        assert not r.rejected and r.issues == []  # type: ignore[attr-defined]
        assert p.birth_date.isoformat() == "2019-10-27"
        kept = {(f.code, f.value, f.provenance.source) for f in p.facts if f.kind == "record_field"}
        assert kept == {
            ("TEST_KEY", f"TEST_VAL_{n}", f"matchminer:clinical_test_patient_{n}.json"),
            ("GENOMIC_KEY", f"TEST_VAL_{n}", f"matchminer:genomic_test_patient_{n}.json"),
        }


def test_csv_test_patients_every_field() -> None:
    folder = shared_data("matchminer", "patients", "csv")
    records = by_sample(sorted(folder.glob("*.csv")))
    kent, lane = records["11-22-3333"].profile, records["22-33-4444"].profile  # type: ignore[attr-defined]
    assert (kent.display_name, kent.birth_date.isoformat()) == ("Clark Kent", "1919-10-27")
    assert (lane.display_name, lane.birth_date.isoformat()) == ("Louis Lane", "1900-10-27")
    assert all(f.provenance.record.startswith("row ") for f in kent.facts)


def test_extended_json_seed_joins_genomic_rows() -> None:
    seed = shared_data("matchminer", "seed")
    records = list(parse_files([seed / "clinical.ejson", seed / "genomic.ejson"]))
    assert len(records) == 130 and not any(r.rejected for r in records)
    first = next(r for r in records if r.local_id == "5d2799126756630d8dd061b7")
    p = first.profile
    assert (p.sex, p.birth_date.isoformat(), p.primary_cancer, p.display_name) == (
        "FEMALE",
        "1980-11-26",
        "IDC",
        "MRN 10",
    )  # $date; BIRTH_DATE_INT is a day earlier (time zone)
    bio = {(f.code, f.value, f.attributes["kind"]) for f in p.facts if f.kind == "biomarker"}
    assert {
        ("KRAS", "G12V", "mutation"),
        ("EGFR", "T903N", "mutation"),
        ("FH", "amplification", "amplification"),
        ("ARID1A", "G1282*", "mutation"),
    } <= bio
    deceased = next(r for r in records if r.local_id == "5d2799126756630d8dd061b8").profile
    assert deceased.deceased and deceased.primary_cancer == "LUAD"
    mmr = [f for r in records for f in r.profile.facts if f.code == "MMR"]
    assert {f.value for f in mmr} <= {"dMMR", "pMMR"} and mmr


def test_numberlong_dates_and_orphans(tmp_path: Path) -> None:
    assert decode({"$date": {"$numberLong": "-816652800000"}}).date().isoformat() == "1944-02-15"
    assert decode({"$date": "1975-02-14T00:00:00Z"}).date().isoformat() == "1975-02-14"
    genomic = tmp_path / "genomic.json"
    genomic.write_text(
        json.dumps([{"SAMPLE_ID": "S9", "VARIANT_CATEGORY": "MUTATION", "HARMONIZED_HUGO_SYMBOL": "BRAF"}])
    )
    (r,) = list(parse_files([genomic]))
    assert r.rejected and "without a clinical record" in r.issues[0].reason
    clinical = tmp_path / "clinical.json"
    clinical.write_text(
        json.dumps(
            [
                {
                    "SAMPLE_ID": "S1",
                    "BIRTH_DATE": "2090-01-01",
                    "GENDER": "X",
                    "ONCOTREE_PRIMARY_DIAGNOSIS_NAME": "Made Up Tumour",
                },
                7,
            ]
        )
    )
    out = list(parse_files([clinical]))
    assert any(r.rejected and "not a JSON object" in r.issues[0].reason for r in out)
    good = next(r for r in out if r.local_id == "S1")
    assert {i.field for i in good.issues} == {"BIRTH_DATE", "GENDER", "ONCOTREE_PRIMARY_DIAGNOSIS_NAME"}
    assert good.profile.primary_cancer is None and good.profile.facts[0].display == "Made Up Tumour"


def test_malformed_extended_json_rejects_the_record_naming_the_field(tmp_path: Path) -> None:
    clinical = tmp_path / "clinical.ejson"
    clinical.write_text(
        json.dumps(
            [
                {"SAMPLE_ID": "BAD", "BIRTH_DATE": {"$date": {"$numberLong": "12x"}}},
                {"SAMPLE_ID": "OK", "BIRTH_DATE": {"$date": {"$numberLong": "344044800000"}}},
            ]
        )
    )
    out = list(parse_files([clinical]))
    bad = [i for r in out for i in r.issues if i.severity == "error"]
    assert len(bad) == 1 and bad[0].resource == "record 1"
    assert bad[0].field == "BIRTH_DATE.$date.$numberLong" and "'12x' is not an integer" in bad[0].reason
    good = next(r for r in out if r.local_id == "OK")
    assert not good.rejected and good.profile.birth_date.isoformat() == "1980-11-26"
    assert good.record == "row 2 (sample OK)"  # record numbers stay those of the file
