"""CTML matching with MatchMiner's semantics: each expectation is read off the trial document.

Two kinds of checks:
* small patients written here so that each criterion of a fixture trial is hit or missed on purpose;
* the MatchMiner seed data (130 clinical, 448 genomic records) with ages computed at 2000-07-12,
  the date MatchMiner's own integration tests freeze time at, reproducing its published counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from oncofed.ingest.ctml_files import load_oncotree_mapping, load_patients, load_trials
from oncofed.matching.ctml import CtmlMatcher, expand_paths, extract_match_clauses, index_patients
from tests.conftest import shared_data

pytestmark = pytest.mark.shared_data
AS_OF = date(2000, 7, 12)


def mm(*parts: str) -> Path:
    return shared_data("matchminer", *parts)


def trial(name: str) -> dict[str, Any]:
    (doc,) = load_trials(mm("ctml-trials", name))
    return doc


@pytest.fixture(scope="module")
def oncotree() -> dict[str, list[str]]:
    return load_oncotree_mapping(mm("ref", "oncotree_mapping.json"))


@pytest.fixture(scope="module")
def seed() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return load_patients(mm("seed", "clinical.ejson")), load_patients(mm("seed", "genomic.ejson"))


def run(
    trial_doc: dict[str, Any],
    clinical: list[dict[str, Any]],
    genomic: list[dict[str, Any]],
    oncotree: dict[str, list[str]],
    **kw: Any,
) -> list[tuple[str, str, Any]]:
    matcher = CtmlMatcher(
        index_patients(clinical, genomic), oncotree=oncotree, as_of=kw.pop("as_of", AS_OF), **kw
    )
    return sorted((m.sample_id, m.match_level, m.code) for m in matcher.match_trial(trial_doc))


def patient(sample: str, **fields: Any) -> dict[str, Any]:
    return {"_id": sample, "SAMPLE_ID": sample, "VITAL_STATUS": "alive", **fields}


def mutation(sample: str, gene: str, protein: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "CLINICAL_ID": sample,
        "TRUE_HUGO_SYMBOL": gene,
        "TRUE_PROTEIN_CHANGE": protein,
        "VARIANT_CATEGORY": "MUTATION",
        **fields,
    }


# ------------------------------------------------------------------------------ trial walking


def test_levels_codes_and_suspension_are_read_from_the_document() -> None:
    # all_closed: the step's only arms are suspended (ARM 1 and ARM 2 say arm_suspended: Y),
    # the dose level says level_suspended: Y -> every clause is suspended.
    clauses = extract_match_clauses(trial("all_closed.json"))
    assert {(c.level, c.code, c.suspended) for c in clauses} == {
        ("step", "1", True),
        ("arm", "ARM 1", True),
        ("arm", "ARM 2", True),
        ("dose", "LEVEL 1", True),
    }
    # closed_dose: ARM 1 open so the step is open; only LEVEL 1 (level_suspended: Y) and ARM 2 closed.
    clauses = extract_match_clauses(trial("closed_dose.json"))
    assert {(c.level, c.code, c.suspended) for c in clauses} == {
        ("step", "1", False),
        ("arm", "ARM 1", False),
        ("arm", "ARM 2", True),
        ("dose", "LEVEL 1", True),
    }


def test_trial_formats_yaml_json_multi_document_and_arrays() -> None:
    assert load_trials(mm("ctml-trials", "11-111.yaml")) == load_trials(mm("ctml-trials", "11-111.json"))
    assert [t["protocol_no"] for t in load_trials(mm("ctml-trials", "two_trials_one_doc.json"))] == [
        t["protocol_no"] for t in load_trials(mm("ctml-trials", "two_trials_one_doc.json"))
    ]
    assert len(load_trials(mm("ctml-trials", "two_trials_one_doc.json"))) == 2
    assert len(load_trials(mm("ctml-trials", "trials_json_array.json"))) >= 2
    assert len(load_trials(mm("ctml-trials"))) >= 25  # a directory: every file, every document


def leaves(path: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(k for leaf in path for k in leaf)


def test_boolean_trees_expand_to_their_match_paths() -> None:
    # and_or_and: g1 AND c1 AND (g2 OR c2 OR (g3 AND c3)) -> three paths
    clause = json.loads(mm("ctml-boolean-cases", "and_or_and.json").read_text())
    assert {leaves(p) for p in expand_paths([clause])} == {
        frozenset({"g1", "c1", "g2"}),
        frozenset({"g1", "c1", "c2"}),
        frozenset({"g1", "c1", "g3", "c3"}),
    }
    # and_and_and has no "or": a single path with every leaf
    clause = json.loads(mm("ctml-boolean-cases", "and_and_and.json").read_text())
    paths = expand_paths([clause])
    assert len(paths) == 1
    # every case: each path is a conjunction of leaves, no "and"/"or" left in it
    for f in sorted(mm("ctml-boolean-cases").glob("*.json")):
        for p in expand_paths([json.loads(f.read_text())]):
            assert p and not any(k.startswith(("and", "or")) for leaf in p for k in leaf), f.name


# ------------------------------------------------------------------------ hand-made patients


def test_wildcard_protein_change_is_a_prefix_plus_one_amino_acid(oncotree: dict[str, list[str]]) -> None:
    # wildcard_protein_found: BRAF, Mutation, wildcard p.V600 on a step without arms (so it only runs
    # with include_closed, as in MatchMiner, whose tests load it with match_on_closed).
    clinical = [patient("A"), patient("B"), patient("C")]
    genomic = [
        mutation("A", "BRAF", "p.V600E"),
        mutation("B", "BRAF", "p.V600"),
        mutation("C", "BRAF", "p.V6001"),
    ]
    found = run(trial("wildcard_protein_found.json"), clinical, genomic, oncotree, include_closed=True)
    assert found == [("A", "step", "1")]
    assert run(trial("wildcard_protein_found.json"), clinical, genomic, oncotree) == []


def test_older_and_younger_than_18(oncotree: dict[str, list[str]]) -> None:
    # older_than_18: age_numerical ">18" on arm DOSE; younger_than_18: "<18".
    clinical = [
        patient("adult", BIRTH_DATE=datetime(1960, 1, 1)),
        patient("child", BIRTH_DATE_INT=19950101.0),
        patient("nobirth"),
    ]
    assert run(trial("older_than_18.json"), clinical, [], oncotree) == [("adult", "arm", "DOSE")]
    assert run(trial("younger_than_18.json"), clinical, [], oncotree) == [("child", "arm", "DOSE")]


def test_tmb_thresholds(oncotree: dict[str, list[str]]) -> None:
    # tmb: OR of >=10, >15, <=40, <40, ==40: 5 holds (<=40, <40), 45 holds (>=10, >15), no TMB none.
    clinical = [
        patient("low", TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE=5.0),
        patient("high", TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE=45.0),
        patient("unknown"),
    ]
    assert run(trial("tmb.json"), clinical, [], oncotree) == [("high", "arm", "DOSE"), ("low", "arm", "DOSE")]
    matcher = CtmlMatcher(index_patients(clinical, []), oncotree=oncotree, as_of=AS_OF)
    reasons = {m.sample_id: m.reasons for m in matcher.match_trial(trial("tmb.json"))}
    assert {r["criterion"]["tmb_numerical"] for r in reasons["low"]} == {"<=40", "<40"}
    assert {r["criterion"]["tmb_numerical"] for r in reasons["high"]} == {">=10", ">15"}
    assert all(r["patient_value"] == 5.0 for r in reasons["low"])


def test_signatures_do_not_query_the_gene(oncotree: dict[str, list[str]]) -> None:
    # signatures: hugo_symbol "None" with e.g. tobacco_signature Yes; the gene must be ignored.
    clinical = [patient("smoker"), patient("plain")]
    genomic = [{"CLINICAL_ID": "smoker", "VARIANT_CATEGORY": "SIGNATURE", "TOBACCO_STATUS": "Yes"}]
    assert run(trial("signatures.json"), clinical, genomic, oncotree) == [("smoker", "arm", "DOSE")]


def test_unstructured_sv_reads_the_comment_for_old_reports(oncotree: dict[str, list[str]]) -> None:
    # unstructured_sv: EGFR + Structural Variation. Report before 2018-12-01 -> free-text comment.
    clinical = [
        patient("old", REPORT_DATE=datetime(2017, 1, 1)),
        patient("word", REPORT_DATE=datetime(2017, 1, 1)),
        patient("new", REPORT_DATE=datetime(2019, 1, 1)),
    ]
    genomic = [
        {"CLINICAL_ID": "old", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "EGFR-SEPT14 fusion"},
        {"CLINICAL_ID": "word", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "EGFRvIII variant"},
        {"CLINICAL_ID": "new", "VARIANT_CATEGORY": "SV", "STRUCTURAL_VARIANT_COMMENT": "EGFR fusion"},
    ]
    # "EGFRvIII" is not the gene as a word; the 2019 report is matched on structured partners only.
    assert run(trial("unstructured_sv.json"), clinical, genomic, oncotree) == [("old", "arm", "DOSE")]


def test_structured_sv_partners_and_exclusions(oncotree: dict[str, list[str]]) -> None:
    # structured_sv arm 12345: age >= 18 AND Skin (subtree) AND NOT (TP53 SV) AND one of the listed
    # fusions, partners in either order; arm 1234566 needs Merkel Cell Carcinoma + Male.
    base = {"REPORT_DATE": datetime(2019, 6, 1), "BIRTH_DATE_INT": 19500101.0}
    clinical = [
        patient("fusion", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Cutaneous Melanoma", **base),
        patient("reversed", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Cutaneous Melanoma", **base),
        patient("tp53", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Cutaneous Melanoma", **base),
        patient("lung", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Lung Adenocarcinoma", **base),
    ]

    def sv(sample: str, left: str | None, right: str | None) -> dict[str, Any]:
        return {
            "CLINICAL_ID": sample,
            "VARIANT_CATEGORY": "SV",
            "LEFT_PARTNER_GENE": left,
            "RIGHT_PARTNER_GENE": right,
        }

    genomic = [
        sv("fusion", "TFG", "ALK"),
        sv("reversed", "ALK", "KIF5B"),
        sv("tp53", "TFG", "ALK"),
        {
            "CLINICAL_ID": "tp53",
            "VARIANT_CATEGORY": "SV",
            "TRUE_HUGO_SYMBOL": "TP53",
            "STRUCTURAL_VARIANT_COMMENT": "x",
        },
        sv("tp53", "TP53", None),
        sv("lung", "TFG", "ALK"),
    ]
    assert "Cutaneous Melanoma" in oncotree["Skin"]
    got = run(trial("structured_sv.json"), clinical, genomic, oncotree)
    assert got == [("fusion", "arm", "DOSE"), ("reversed", "arm", "DOSE")]


def test_negated_mutation_means_no_such_record(oncotree: dict[str, list[str]]) -> None:
    # 11-111: NRAS p.G12D with variant_category "!Mutation": matches whoever lacks that mutation.
    doc = dict(trial("11-111.json"), status="Open to Accrual")
    clinical = [patient("has"), patient("lacks"), patient("other")]
    genomic = [mutation("has", "NRAS", "p.G12D"), mutation("other", "NRAS", "p.Q61R")]
    assert run(doc, clinical, genomic, oncotree) == [("lacks", "arm", "EXP 3"), ("other", "arm", "EXP 3")]


def test_trial_status_and_deceased(oncotree: dict[str, list[str]]) -> None:
    # 11-111 has no status: MatchMiner runs only "open to accrual" trials unless closed ones are asked.
    clinical = [patient("alive"), dict(patient("dead"), VITAL_STATUS="deceased")]
    assert run(trial("11-111.json"), clinical, [], oncotree) == []
    assert run(trial("11-111.json"), clinical, [], oncotree, include_closed=True) == [
        ("alive", "arm", "EXP 3")
    ]
    assert (
        len(run(trial("11-111.json"), clinical, [], oncotree, include_closed=True, include_deceased=True))
        == 2
    )


# ------------------------------------------------------------------ MatchMiner's own counts


def samples(trial_doc: dict[str, Any], seed: Any, oncotree: dict[str, list[str]], **kw: Any) -> set[str]:
    return {s for s, _, _ in run(trial_doc, *seed, oncotree, **kw)}


def test_seed_reproduces_matchminer_integration_counts(seed: Any, oncotree: dict[str, list[str]]) -> None:
    # MatchMiner's integration tests: 5 samples per trial with closed + deceased, 4 without deceased;
    # all_closed (10-001) gives nothing without closed; closed_dose (10-003) keeps its step and arm.
    for name in ("all_closed.json", "all_open.json", "closed_dose.json", "closed_step_arm.json"):
        assert len(samples(trial(name), seed, oncotree, include_closed=True, include_deceased=True)) == 5, (
            name
        )
        assert len(samples(trial(name), seed, oncotree, include_closed=True)) == 4, name
    assert samples(trial("all_closed.json"), seed, oncotree, include_deceased=True) == set()
    assert samples(trial("closed_step_arm.json"), seed, oncotree, include_deceased=True) == set()
    assert len(samples(trial("all_open.json"), seed, oncotree, include_deceased=True)) == 5
    levels = {
        (lvl, code) for _, lvl, code in run(trial("closed_dose.json"), *seed, oncotree, include_deceased=True)
    }
    assert levels == {("step", "1"), ("arm", "ARM 1")}  # LEVEL 1 and ARM 2 are closed
    # wildcard p.V600: 64 samples (MatchMiner test_wildcard_protein_change); not_found: none
    assert (
        len(
            samples(
                trial("wildcard_protein_found.json"),
                seed,
                oncotree,
                include_closed=True,
                include_deceased=True,
            )
        )
        == 64
    )
    assert (
        samples(
            trial("wildcard_protein_not_found.json"),
            seed,
            oncotree,
            include_closed=True,
            include_deceased=True,
        )
        == set()
    )


def test_seed_tmb_signatures_and_sv_samples(seed: Any, oncotree: dict[str, list[str]]) -> None:
    clinical, genomic = seed
    matcher = CtmlMatcher(
        index_patients(clinical, genomic), oncotree=oncotree, as_of=AS_OF, include_deceased=True
    )
    tmb = {m.sample_id: len(m.reasons) for m in matcher.match_trial(trial("tmb.json"))}
    # MatchMiner test_tmb: 4, 3 and 4 matching criteria for these samples
    assert tmb == {"1d2799df4446699a8ddeeee": 4, "4d2799df4446630a8dd068dd": 3, "1d2799df4446699a8dd068ee": 4}
    sig = {m.sample_id: len(m.reasons) for m in matcher.match_trial(trial("signatures.json"))}
    assert sig == {"5d2799df6756630d8dd068ca": 5}  # MatchMiner test_signatures: 5 signatures
    assert "5d2799df6756630d8dd068c6" in {
        m.sample_id for m in matcher.match_trial(trial("structured_sv.json"))
    }
    (unstructured,) = matcher.match_trial(trial("unstructured_sv.json"))
    assert unstructured.sample_id == "1d2799df4446699a8ddeeee"
    assert unstructured.reasons[0]["alteration"] == "EGFR Structural Variation"


def _ctml_match(*args: str) -> subprocess.CompletedProcess[str]:
    """`oncofed ctml match ARGS --json` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "oncofed.cli", "ctml", "match", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_json_lines_and_csv_patients(tmp_path: Path) -> None:
    out = _ctml_match(
        "--trials",
        str(mm("ctml-trials", "11-111.yaml")),
        "--clinical",
        str(mm("patients", "csv", "clinical_test_patients.csv")),
        "--genomic",
        str(mm("patients", "csv", "genomic_test_patients.csv")),
        "--include-closed",
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["sample_id"] for r in rows} == {"11-22-3333", "22-33-4444"}
    for r in rows:
        assert set(r) >= {"protocol_no", "nct_id", "sample_id", "match_level", "code", "reasons"}
        assert (r["protocol_no"], r["match_level"], r["code"]) == ("11-111", "arm", "EXP 3")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    out = _ctml_match("--trials", str(bad), "--clinical", str(bad))
    assert out.returncode != 0 and "not valid JSON" in out.stderr


def _diagnosis_trial(diagnosis: str) -> dict[str, Any]:
    return {
        "protocol_no": "T-1",
        "nct_id": "NCT00000001",
        "status": "Open to Accrual",
        "treatment_list": {
            "step": [
                {
                    "step_code": "1",
                    "arm": [
                        {
                            "arm_code": "A",
                            "arm_internal_id": 1,
                            "arm_suspended": "N",
                            "match": [{"clinical": {"oncotree_primary_diagnosis": diagnosis}}],
                        }
                    ],
                }
            ]
        },
    }


@pytest.mark.parametrize("use_file", [True, False])
def test_solid_liquid_subtrees_and_negation(use_file: bool, oncotree: dict[str, list[str]]) -> None:
    # _SOLID_ holds every non-haematological type; _LIQUID_ the lymphoid and myeloid ones; "!" negates.
    from oncofed.criteria.oncotree import ctml_subtrees

    tree = oncotree if use_file else ctml_subtrees()  # the project's own smaller tree (the default)
    clinical = [
        patient("luad", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Lung Adenocarcinoma"),
        patient("aml", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Acute Myeloid Leukemia"),
    ]
    assert [s for s, _, _ in run(_diagnosis_trial("_SOLID_"), clinical, [], tree)] == ["luad"]
    assert [s for s, _, _ in run(_diagnosis_trial("_LIQUID_"), clinical, [], tree)] == ["aml"]
    assert [s for s, _, _ in run(_diagnosis_trial("Lung"), clinical, [], tree)] == ["luad"]
    assert [s for s, _, _ in run(_diagnosis_trial("!Lung"), clinical, [], tree)] == ["aml"]


def test_closed_dose_level_only_with_include_closed(oncotree: dict[str, list[str]]) -> None:
    # closed_dose: step = EGFR In_Frame_Del + >=18 + Lung (subtree); ARM 1 = same + Non-Small Cell Lung
    # Cancer; LEVEL 1 (level_suspended: Y) = same + Pleuropulmonary Blastoma (in the Lung subtree, not
    # in NSCLC). A PPB patient with the deletion: step always, LEVEL 1 only with include_closed.
    clinical = [
        patient("ppb", ONCOTREE_PRIMARY_DIAGNOSIS_NAME="Pleuropulmonary Blastoma", BIRTH_DATE_INT=19600101)
    ]
    genomic = [mutation("ppb", "EGFR", "p.E746_A750del", TRUE_VARIANT_CLASSIFICATION="In_Frame_Del")]
    doc = trial("closed_dose.json")
    assert run(doc, clinical, genomic, oncotree) == [("ppb", "step", "1")]
    assert run(doc, clinical, genomic, oncotree, include_closed=True) == [
        ("ppb", "dose", "LEVEL 1"),
        ("ppb", "step", "1"),
    ]
    # all_closed: nothing unless include_closed (every arm and the dose level are suspended)
    assert run(trial("all_closed.json"), clinical, genomic, oncotree) == []
    assert ("ppb", "dose", "LEVEL 1") in run(
        trial("all_closed.json"), clinical, genomic, oncotree, include_closed=True
    )
