"""Integrity of the verdict dev set (benchmarks/data/verdicts-dev) and of its corpus builder.

The dev set is data the project wrote; these tests check that it stays consistent (ids, labels, folds,
one change per failure note, quotes that exist in the trial text), not what any engine answers on it.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from benchmarks import verdicts_corpus

from tests.conftest import ROOT, shared_data

DEVSET = ROOT / "benchmarks" / "data" / "verdicts-dev"
CLASSES = {
    "threshold",
    "histology",
    "cancer_type",
    "stage_setting",
    "biomarker",
    "line_of_therapy",
    "prior_therapy",
    "active_exclusion",
    "other",
}
QUERY_ID = re.compile(r"^NM-(?P<trial>NCT\d{8})-(?P<case>E|F\d)$")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _pairs(path: Path) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        assert next(reader) == ["query-id", "corpus-id", "score"], f"{path.name}: header"
        return [(row[0], row[1], int(row[2])) for row in reader]


@pytest.fixture(scope="module")
def queries() -> dict[str, str]:
    rows = _jsonl(DEVSET / "queries.jsonl")
    ids = [row["_id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate query ids"
    return {row["_id"]: row["text"] for row in rows}


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, str, int]]:
    return _pairs(DEVSET / "pairs.tsv")


@pytest.fixture(scope="module")
def expected() -> list[dict[str, Any]]:
    return _jsonl(DEVSET / "expected.jsonl")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    data = shared_data("trials").parent
    out = tmp_path_factory.mktemp("verdicts-corpus") / "corpus.jsonl"
    verdicts_corpus.build(data, out)
    return {row["_id"]: row for row in _jsonl(out)}


def test_every_query_id_names_its_trial_and_has_a_note(queries: dict[str, str]) -> None:
    for qid, text in queries.items():
        assert QUERY_ID.match(qid), f"{qid}: expected NM-<NCT>-E or NM-<NCT>-F<n>"
        lines = [line for line in text.splitlines() if line.strip()]
        assert 3 <= len(lines) <= 15, f"{qid}: {len(lines)} lines (write 3-15)"


def test_every_pair_names_a_known_note_and_labelled_pairs_are_its_own_trial(
    queries: dict[str, str], pairs: list[tuple[str, str, int]]
) -> None:
    assert len(set((q, c) for q, c, _ in pairs)) == len(pairs), "duplicate pairs"
    for qid, cid, score in pairs:
        assert qid in queries, f"pairs.tsv names {qid}, which has no note in queries.jsonl"
        match = QUERY_ID.match(qid)
        assert match is not None
        own = match.group("trial")
        assert score in (0, 1, 2), f"{qid} {cid}: score {score}"
        if score > 0:
            assert cid == own, f"{qid}: a labelled pair must be the note's own trial {own}, not {cid}"
            assert score == (2 if match.group("case") == "E" else 1), f"{qid}: score {score}"
        else:
            assert cid != own, f"{qid}: a score-0 pair must name another trial"
    for qid in queries:
        assert any(q == qid and s > 0 for q, _, s in pairs), f"{qid}: no pair with its own trial"


def test_labels_agree_between_pairs_and_expected(
    pairs: list[tuple[str, str, int]], expected: list[dict[str, Any]]
) -> None:
    labelled = {(q, c): s for q, c, s in pairs if s > 0}
    seen = {(row["query-id"], row["corpus-id"]) for row in expected}
    assert len(seen) == len(expected), "duplicate lines in expected.jsonl"
    assert seen == set(labelled), "expected.jsonl and the score 1/2 pairs of pairs.tsv differ"
    for row in expected:
        score = labelled[(row["query-id"], row["corpus-id"])]
        assert row["label"] == {2: "eligible", 1: "excluded"}[score], row["query-id"]


def test_each_failure_names_one_criterion_and_each_eligible_none(expected: list[dict[str, Any]]) -> None:
    for row in expected:
        failing = row["failing_criterion"]
        if row["label"] == "eligible":
            assert failing is None, row["query-id"]
            continue
        assert set(failing) == {"section", "quote", "class"}, row["query-id"]
        assert failing["section"] in ("inclusion", "exclusion"), row["query-id"]
        assert failing["class"] in CLASSES, row["query-id"]
        assert 0 < len(failing["quote"]) <= 80, f"{row['query-id']}: quote of {len(failing['quote'])} chars"
        assert isinstance(row["note_features"], list) and row["note_features"], row["query-id"]


def test_failure_notes_are_their_eligible_twin_with_one_change(
    queries: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    for row in expected:
        qid = row["query-id"]
        if row["label"] != "excluded":
            continue
        twin = queries[qid.rsplit("-", 1)[0] + "-E"]
        note = queries[qid]
        assert note != twin, f"{qid}: identical to its eligible twin"
        changed = [
            line
            for line in difflib.ndiff(twin.splitlines(), note.splitlines())
            if line.startswith(("- ", "+ "))
        ]
        removed = sum(1 for line in changed if line.startswith("- "))
        assert removed <= 3, f"{qid}: {removed} lines of the eligible note changed (one change, please)"


def test_folds_are_assigned_by_trial(expected: list[dict[str, Any]]) -> None:
    folds: dict[str, set[int]] = defaultdict(set)
    for row in expected:
        folds[row["corpus-id"]].add(row["fold"])
    assert all(len(f) == 1 for f in folds.values()), {t: f for t, f in folds.items() if len(f) > 1}
    assert {next(iter(f)) for f in folds.values()} == {0, 1, 2, 3, 4}


def test_size_and_spread_of_the_failures(expected: list[dict[str, Any]]) -> None:
    trials = {row["corpus-id"] for row in expected}
    failures = [row for row in expected if row["label"] == "excluded"]
    assert len(trials) >= 25
    assert len(failures) >= 60
    per_trial = Counter(row["corpus-id"] for row in failures)
    assert all(2 <= n <= 3 for n in per_trial.values()), per_trial
    eligible = Counter(row["corpus-id"] for row in expected if row["label"] == "eligible")
    assert all(eligible[t] == 1 for t in trials), "one eligible note per trial"
    classes = Counter(row["failing_criterion"]["class"] for row in failures)
    worst, count = classes.most_common(1)[0]
    assert count <= 0.30 * len(failures), f"class {worst} is {count} of {len(failures)} failures (max 30%)"


def test_about_a_third_of_the_notes_are_also_paired_with_another_disease(
    queries: dict[str, str], pairs: list[tuple[str, str, int]]
) -> None:
    offtopic = {q for q, _, s in pairs if s == 0}
    assert 0.25 <= len(offtopic) / len(queries) <= 0.45


def test_every_pair_trial_is_in_the_built_corpus_and_every_quote_is_in_its_section(
    corpus: dict[str, dict[str, Any]], pairs: list[tuple[str, str, int]], expected: list[dict[str, Any]]
) -> None:
    missing = sorted({cid for _, cid, _ in pairs if cid not in corpus})
    assert not missing, f"pairs.tsv names trials the corpus builder does not write: {missing}"
    for row in expected:
        metadata = corpus[row["corpus-id"]]["metadata"]
        assert metadata["source"] == row["source"], row["query-id"]
        failing = row["failing_criterion"]
        if failing is None:
            continue
        section_text = metadata[f"{failing['section']}_criteria"]
        assert failing["quote"] in section_text, (
            f"{row['query-id']}: quote not found in the {failing['section']} criteria of {row['corpus-id']}"
        )


def test_offtopic_pairs_name_a_trial_of_another_disease(
    corpus: dict[str, dict[str, Any]], pairs: list[tuple[str, str, int]]
) -> None:
    for qid, cid, score in pairs:
        if score == 0:
            own = corpus[qid.split("-")[1]]["metadata"]
            other = corpus[cid]["metadata"]
            shared = {d.lower() for d in own.get("diseases_list") or []} & {
                d.lower() for d in other.get("diseases_list") or []
            }
            assert not shared, f"{qid} and {cid} share the disease(s) {sorted(shared)}"


def test_oncology99_pairs_cover_every_synthetic_patient_against_every_trial(
    corpus: dict[str, dict[str, Any]],
) -> None:
    patients_file = shared_data(
        "trials", "oncology-active-99", "GS_data", "synthetic_patient_cases_random_30_modified.jsonl"
    )
    patients = [row["_id"] for row in _jsonl(patients_file)]
    trials = {tid for tid, row in corpus.items() if row["metadata"]["source"] == "oncology-active-99"}
    pairs = _pairs(DEVSET / "oncology99-pairs.tsv")
    assert {(q, c) for q, c, _ in pairs} == {(p, t) for p in patients for t in trials}
    for patient, trial, score in pairs:
        assert score == (2 if trial == patient.removeprefix("P_") else 0), (patient, trial)
    own = {p for p, _, s in pairs if s == 2}
    assert own == {p for p in patients if p.removeprefix("P_") in trials}


def test_builder_keeps_trialgpt_criteria_and_splits_text_the_same_way() -> None:
    trials = shared_data("trials")
    for relative in (verdicts_corpus.ONCOLOGY99, verdicts_corpus.SIGIR101):
        for row in _jsonl(trials.parent / relative):
            inclusion, exclusion = verdicts_corpus.split_trialgpt_text(row["text"])
            assert inclusion == row["metadata"]["inclusion_criteria"].strip(), row["_id"]
            assert exclusion == row["metadata"]["exclusion_criteria"].strip(), row["_id"]


def test_nli4ct_split_follows_section_and_cohort_headings() -> None:
    lines = [
        "Inclusion Criteria:",
        "  Histologically confirmed breast cancer",
        "  Inclusion of Women and Minorities",
        "Exclusion Criteria - Phase 1 (Cohort A):",
        "  Brain metastases requiring steroids",
        "Inclusion Criteria - Phase 2 (Cohort B):",
        "  Prior taxane",
        "  Other protocol-defined inclusion/exclusion criteria may apply",
        "EXCLUSION CRITERIA",
        "  Pregnancy",
    ]
    inclusion, exclusion = verdicts_corpus.split_nli4ct_eligibility(lines)
    assert inclusion == [
        "Histologically confirmed breast cancer",
        "Inclusion of Women and Minorities",
        "Inclusion Criteria - Phase 2 (Cohort B):",
        "Prior taxane",
        "Other protocol-defined inclusion/exclusion criteria may apply",
    ]
    assert exclusion == [
        "Exclusion Criteria - Phase 1 (Cohort A):",
        "Brain metastases requiring steroids",
        "Pregnancy",
    ]
    assert verdicts_corpus.split_nli4ct_eligibility(["DISEASE CHARACTERISTICS:", "Stage IV"]) == (
        ["DISEASE CHARACTERISTICS:", "Stage IV"],
        [],
    )
    assert verdicts_corpus.split_nli4ct_eligibility(["Exclusion Criteria: None"]) == ([], ["None"])


def test_builder_says_clearly_when_the_shared_data_is_absent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus.jsonl"
    assert verdicts_corpus.main([str(out), "--data", str(tmp_path / "nowhere")]) == 2
    assert "reference data not found" in capsys.readouterr().err
    assert not out.exists()


def test_builder_names_the_file_and_line_of_a_malformed_record(tmp_path: Path) -> None:
    bad = tmp_path / "trials" / "oncology-active-99" / "GS_data" / "GS_100_trials" / "100_trials_corpus.jsonl"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"_id": "NCT1", "text": "Inclusion criteria: x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(verdicts_corpus.CorpusError, match=r"100_trials_corpus\.jsonl:2: not valid JSON"):
        verdicts_corpus.build(tmp_path, tmp_path / "out.jsonl")
