"""FHIR R4 / mCODE bundles: every real bundle lands where expected, bad fields are reported per field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncofed.ingest.patients.fhir import parse_bundle, parse_file
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data
MAX = 100_000_000


def one(name: str):  # type: ignore[no-untyped-def]
    records = list(parse_file(shared_data("fhir", "mcode", name), max_bytes=MAX))
    assert len(records) == 1
    return records[0]


def facts(record, kind: str) -> list:  # type: ignore[no-untyped-def]
    return [f for f in record.profile.facts if f.kind == kind]


def fields(record) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(i.resource.split("/")[0], i.field) for i in record.issues}


def test_trial_matching_patient_01_every_field() -> None:
    r = one("TrialMatching_Patient01.json")
    p = r.profile
    assert not r.rejected and r.local_id == "mCODETrialMatchingPatientExample01"
    assert (p.sex, p.birth_date.isoformat(), p.primary_cancer, p.stage, p.ecog) == (
        "FEMALE",
        "1959-01-01",
        "IDC",
        "IV",
        1,
    )
    assert {f.code for f in facts(r, "metastasis")} == {"lymph_node", "liver", "bone"}
    assert {(f.code, f.value) for f in facts(r, "biomarker")} == {
        ("ER", "positive"), ("PR", "positive"), ("HER2", "negative"), ("MSI", "MSI-H"),
        ("ESR1", "mutation"), ("PIK3CA", "mutation"),
    }  # fmt: skip
    treatments = {f.code: f for f in facts(r, "treatment")}
    assert set(treatments) == {
        "leuprolide",
        "fulvestrant",
        "abemaciclib",
        "ribociclib",
    }  # INN as in the shared drug vocabulary
    assert treatments["fulvestrant"].attributes["records"] == 2  # two statements, one treatment
    assert treatments["abemaciclib"].attributes["class"] == "CDK4/6 inhibitor"
    kps = facts(r, "karnofsky")[0]
    assert kps.value == 80 and kps.attributes["converted_from"] == "ecog"
    # every fact names its resource
    assert all(
        f.provenance.source == "fhir:TrialMatching_Patient01.json" and "/" in f.provenance.record
        for f in p.facts
    )
    assert fields(r) == {("Condition", "extension")}  # no histology extension on the primary cancer


def test_trial_matching_patient_02_amplifications_tmb_procedures() -> None:
    r = one("TrialMatching_Patient02.json")
    bio = {(f.code, f.value, f.attributes.get("kind")) for f in facts(r, "biomarker")}
    assert {
        ("CCND1", "amplification", "amplification"),
        ("FGFR1", "amplification", "amplification"),
        ("MDM2", "amplification", "amplification"),
        ("TMB", "low", "tmb"),
    } <= bio
    codes = {f.code for f in facts(r, "treatment")}
    assert {
        "lumpectomy",
        "radiotherapy",
        "radiotherapy boost",
        "exemestane",
        "palbociclib",
        "alpelisib",
    } <= codes
    assert "zoledronic acid" in codes
    assert fields(r) == {("Condition", "extension")}
    assert r.profile.stage == "IV" and r.profile.birth_date.isoformat() == "1973-01-01"


def test_eom_patient_tnm_disease_status_and_markers() -> None:
    r = one("eom_patient_1.json")
    p = r.profile
    assert (p.primary_cancer, p.stage, p.ecog, p.birth_date.isoformat()) == ("BRCA", "IV", 3, "1987-01-01")
    assert facts(r, "primary_cancer")[0].attributes["histology_snomed"] == "1187425009"
    assert r.issues == []
    stage = facts(r, "stage")[0]
    assert (stage.attributes["t"], stage.attributes["n"], stage.attributes["m"]) == ("cT3", "cN3", "cM0")
    assert {f.code for f in facts(r, "metastasis")} == {"lung"}
    assert [f.code for f in facts(r, "disease_status")].count("improving") == 1
    assert {(f.code, f.value) for f in facts(r, "biomarker")} >= {
        ("HER2", "negative"),
        ("ER", "positive"),
        ("PR", "negative"),
    }
    assert {f.code for f in facts(r, "treatment")} == {"abemaciclib", "alpelisib"}


def test_patient_data_keeps_good_data_and_reports_double_values() -> None:
    r = one("patient_data.json")
    p = r.profile
    assert (p.primary_cancer, p.stage, p.ecog, p.home_city) == ("BRCA", "IIIA", 3, "Newburyport")
    assert p.home is not None and round(p.home.latitude, 2) == 42.84
    primary = facts(r, "primary_cancer")[0]
    assert primary.attributes["histology_snomed"] == "367651003"
    assert (
        facts(r, "karnofsky")[0].value == 90 and "converted_from" not in facts(r, "karnofsky")[0].attributes
    )
    assert {f.code for f in facts(r, "biomarker")} == {"HER2", "ER", "STK11"}
    paclitaxel = [f for f in facts(r, "treatment") if f.code == "paclitaxel"][0]
    assert (
        paclitaxel.when.isoformat() == "2017-07-28"
        and paclitaxel.attributes["end"].isoformat() == "2017-09-08"
    )
    assert ("Observation", "value[x]") in fields(r)


def test_missing_birth_date_and_invalid_performance_status_are_reported_rest_kept() -> None:
    r = one("patient_data_missing_birthdate_invalid_ecog_karnofsky.json")
    p = r.profile
    assert not r.rejected
    assert p.birth_date is None and p.ecog is None
    assert p.primary_cancer == "BRCA" and p.sex == "FEMALE" and p.stage == "IIIA"
    assert not facts(r, "ecog") and not facts(r, "karnofsky")
    got = fields(r)
    assert {("Patient", "birthDate"), ("Observation", "valueInteger")} <= got
    reasons = " ".join(i.reason for i in r.issues)
    assert "ECOG -1" in reasons and "Karnofsky -1" in reasons and "birth date missing" in reasons
    assert all(i.fix for i in r.issues)


def test_missing_histology_and_malformed_interpretation_fields() -> None:
    r = one("patient_data_missing_histology_morph.json")
    assert not r.rejected
    assert "histology" not in facts(r, "primary_cancer")[0].attributes
    got = fields(r)
    assert ("Condition", "extension") in got
    assert ("Observation", "interpretation") in got and ("Observation", "component[0].interpretation") in got
    assert {f.code for f in facts(r, "biomarker")} >= {"STK11"}  # the variant is kept without the bad fields


def test_empty_genomic_variant_bundle_is_rejected_with_reasons() -> None:
    r = one("patient_data_empty-cgv.json")
    assert r.rejected and r.profile is None
    assert ("entry[0]", "resource") in fields(r)
    assert any(i.severity == "error" and "no Patient" in i.reason for i in r.issues)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"resourceType": "Patient", "id": "x"}, "expected a FHIR Bundle"),
        ({"resourceType": "Bundle", "type": "history", "entry": []}, "does not carry patient records"),
        ({"resourceType": "Bundle", "type": "collection"}, "no entries"),
        ([1, 2], "expected a FHIR Bundle"),
    ],
)
def test_wrong_bundles_are_rejected_clearly(data: object, reason: str) -> None:
    records = (
        parse_bundle(data, file="x.json")
        if not isinstance(data, list)
        else [r for d in data for r in parse_bundle(d, file="x.json")]
    )
    assert records and all(r.rejected and reason in r.issues[-1].reason for r in records)


def test_bad_values_are_warnings(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "2019-02-30"}},
            {"resource": {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]}, "valueQuantity": {"value": 88.4, "unit": "umol/L"}}},
            {"resource": {"resourceType": "Observation", "id": "o2", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]}, "valueQuantity": {"value": 12, "unit": "furlongs"}}},
            {"resource": {"resourceType": "Observation", "id": "o3", "status": "final", "code": {"coding": [{"system": "http://example.org/local", "code": "X1"}]}, "effectiveDateTime": "2020-13-01"}},
        ],
    }  # fmt: skip
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    r = list(parse_file(path, max_bytes=MAX))[0]
    assert not r.rejected
    lab = [f for f in r.profile.facts if f.kind == "lab"]
    assert [(f.code, f.value, f.unit) for f in lab] == [("creatinine", pytest.approx(1.0, abs=0.01), "mg/dL")]
    reasons = {(i.resource, i.field): i.reason for i in r.issues}
    assert (
        "birthDate" in reasons.get(("Patient/p1", "birthDate"), "") or ("Patient/p1", "birthDate") in reasons
    )
    assert "does not convert" in reasons[("Observation/o2", "valueQuantity.unit")]
    assert "unknown code system" in reasons[("Observation/o3", "code.coding[0]")]
    assert ("Observation/o3", "effectiveDateTime") in reasons


def test_invalid_json_and_huge_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Bundle", ')
    r = list(parse_file(bad, max_bytes=MAX))[0]
    assert r.rejected and "invalid JSON" in r.issues[0].reason
    big = tmp_path / "big.json"
    big.write_text(
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "x" * 2000}]})
    )
    r = list(parse_file(big, max_bytes=1000))[0]
    assert r.rejected and "above the" in r.issues[0].reason and "NDJSON" in r.issues[0].fix


def test_ndjson_is_streamed_and_workers_give_the_same_records(tmp_path: Path) -> None:
    bundles = [json.loads(p.read_text()) for p in sorted(shared_data("fhir", "mcode").glob("*.json"))]
    path = tmp_path / "all.ndjson"
    lines = [json.dumps(b) for b in bundles] + [
        "{oops",
        json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "x" * 500}]}),
    ]
    path.write_text("\n".join(lines) + "\n")
    serial = list(parse_file(path, max_bytes=400))  # every real bundle line is above 400 bytes
    assert all(r.rejected for r in serial) and "line 1 is" in serial[0].issues[0].reason
    one = list(parse_file(path, max_bytes=MAX))
    two = list(parse_file(path, max_bytes=MAX, jobs=2))
    assert [(r.record, r.rejected, len(r.issues)) for r in one] == [
        (r.record, r.rejected, len(r.issues)) for r in two
    ]
    assert [r.profile.facts for r in one if r.profile] == [r.profile.facts for r in two if r.profile]
    assert sum(not r.rejected for r in one) == 6 and any(
        "invalid JSON" in r.issues[0].reason for r in one if r.rejected
    )
