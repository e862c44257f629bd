"""Integrity of the blind verdict sets (benchmarks/data/verdicts-blind, verdicts-blind2 ... verdicts-blind15).

The blind sets are data the project wrote from trial text alone, never run through the engine; these tests
check, for each set, that it stays consistent (ids, labels, folds, one change per failure note, quotes that
exist in the trial text), and that no trial is shared between any two of the sixteen verdict sets (dev, blind,
blind2, blind3, blind4, blind5, blind6, blind7, blind8, blind9, blind10, blind11, blind12, blind13, blind14,
blind15), not
what any engine answers on them.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from benchmarks import verdicts_corpus

from tests.conftest import ROOT, shared_data
from tests.test_verdicts_devset import CLASSES, DEVSET, _jsonl, _pairs

DATA = ROOT / "benchmarks" / "data"
# each blind set and the prefix of its query ids (NB-<NCT>-E, N2-<NCT>-F1, ...)
BLINDSETS = {
    "verdicts-blind": "NB",
    "verdicts-blind2": "N2",
    "verdicts-blind3": "N3",
    "verdicts-blind4": "N4",
    "verdicts-blind5": "N5",
    "verdicts-blind6": "N6",
    "verdicts-blind7": "N7",
    "verdicts-blind8": "N8",
    "verdicts-blind9": "N9",
    "verdicts-blind10": "N10",
    "verdicts-blind11": "N11",
    "verdicts-blind12": "N12",
    "verdicts-blind13": "N13",
    "verdicts-blind14": "N14",
    "verdicts-blind15": "N15",
}
SOURCES = {"oncology-active-99", "nli4ct-breast-cancer", "sigir-judged-101"}


@pytest.fixture(scope="module", params=sorted(BLINDSETS))
def blindset(request: pytest.FixtureRequest) -> Path:
    return DATA / request.param


@pytest.fixture(scope="module")
def query_id(blindset: Path) -> re.Pattern[str]:
    return re.compile(rf"^{BLINDSETS[blindset.name]}-(?P<trial>NCT\d{{8}})-(?P<case>E|F[1-3])$")


@pytest.fixture(scope="module")
def queries(blindset: Path) -> dict[str, str]:
    rows = _jsonl(blindset / "queries.jsonl")
    ids = [row["_id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate query ids"
    return {row["_id"]: row["text"] for row in rows}


@pytest.fixture(scope="module")
def pairs(blindset: Path) -> list[tuple[str, str, int]]:
    return _pairs(blindset / "pairs.tsv")


@pytest.fixture(scope="module")
def expected(blindset: Path) -> list[dict[str, Any]]:
    return _jsonl(blindset / "expected.jsonl")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    data = shared_data("trials").parent
    out = tmp_path_factory.mktemp("verdicts-corpus") / "corpus.jsonl"
    verdicts_corpus.build(data, out)
    return {row["_id"]: row for row in _jsonl(out)}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def test_every_query_id_names_its_trial_and_has_a_note(
    queries: dict[str, str], query_id: re.Pattern[str]
) -> None:
    for qid, text in queries.items():
        assert query_id.match(qid), f"{qid}: expected {query_id.pattern}"
        lines = [line for line in text.splitlines() if line.strip()]
        assert 3 <= len(lines) <= 12, f"{qid}: {len(lines)} lines (write 3-12)"


def test_no_trial_is_shared_between_any_two_verdict_sets() -> None:
    trials = {
        path.name: {cid for _, cid, score in _pairs(path / "pairs.tsv") if score > 0}
        for path in [DEVSET, *(DATA / name for name in sorted(BLINDSETS))]
    }
    assert all(trials.values()), {name: len(ids) for name, ids in trials.items()}
    for (one, one_ids), (other, other_ids) in itertools.combinations(trials.items(), 2):
        shared = sorted(one_ids & other_ids)
        assert not shared, f"trials used in both {one} and {other}: {shared}"


def test_every_pair_names_a_known_note_and_labelled_pairs_are_its_own_trial(
    queries: dict[str, str], pairs: list[tuple[str, str, int]], query_id: re.Pattern[str]
) -> None:
    assert len(set((q, c) for q, c, _ in pairs)) == len(pairs), "duplicate pairs"
    for qid, cid, score in pairs:
        assert qid in queries, f"pairs.tsv names {qid}, which has no note in queries.jsonl"
        match = query_id.match(qid)
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
        assert row["source"] in SOURCES, row["query-id"]
        assert row["hard_but_fair"] is None or row["hard_but_fair"].strip(), row["query-id"]


def test_each_failure_names_one_criterion_and_each_eligible_none(expected: list[dict[str, Any]]) -> None:
    for row in expected:
        assert isinstance(row["note_features"], list) and row["note_features"], row["query-id"]
        failing = row["failing_criterion"]
        if row["label"] == "eligible":
            assert failing is None, row["query-id"]
            continue
        assert set(failing) == {"section", "quote", "class"}, row["query-id"]
        assert failing["section"] in ("inclusion", "exclusion"), row["query-id"]
        assert failing["class"] in CLASSES, row["query-id"]
        assert 0 < len(failing["quote"]) <= 80, f"{row['query-id']}: quote of {len(failing['quote'])} chars"


def test_failure_notes_are_their_eligible_twin_with_at_most_three_lines_changed(
    queries: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    for row in expected:
        qid = row["query-id"]
        if row["label"] != "excluded":
            continue
        twin = queries[qid.rsplit("-", 1)[0] + "-E"]
        note = queries[qid]
        assert note != twin, f"{qid}: identical to its eligible twin"
        twin_lines, note_lines = twin.splitlines(), note.splitlines()
        changed = [line for line in difflib.ndiff(twin_lines, note_lines) if line.startswith(("- ", "+ "))]
        removed = sum(1 for line in changed if line.startswith("- "))
        added = sum(1 for line in changed if line.startswith("+ "))
        assert removed <= 3 and added <= 3, f"{qid}: {removed} lines of the eligible note changed (max 3)"


def test_folds_are_assigned_by_trial_and_balanced(expected: list[dict[str, Any]]) -> None:
    folds: dict[str, set[int]] = defaultdict(set)
    for row in expected:
        folds[row["corpus-id"]].add(row["fold"])
    assert all(len(f) == 1 for f in folds.values()), {t: f for t, f in folds.items() if len(f) > 1}
    per_fold = Counter(next(iter(f)) for f in folds.values())
    assert set(per_fold) == {0, 1, 2}
    assert max(per_fold.values()) - min(per_fold.values()) <= 1, per_fold


def test_size_and_spread_of_the_failures(expected: list[dict[str, Any]]) -> None:
    trials = {row["corpus-id"] for row in expected}
    failures = [row for row in expected if row["label"] == "excluded"]
    assert len(trials) >= 12
    per_trial = Counter(row["corpus-id"] for row in failures)
    assert all(2 <= n <= 3 for n in per_trial.values()), per_trial
    eligible = Counter(row["corpus-id"] for row in expected if row["label"] == "eligible")
    assert all(eligible[t] == 1 for t in trials), "one eligible note per trial"
    classes = Counter(row["failing_criterion"]["class"] for row in failures)
    worst, count = classes.most_common(1)[0]
    assert count <= 0.30 * len(failures), f"class {worst} is {count} of {len(failures)} failures (max 30%)"
    assert len(classes) >= 7, f"failures spread over only {sorted(classes)}"


def test_about_a_third_of_the_notes_are_also_paired_with_another_disease(
    queries: dict[str, str], pairs: list[tuple[str, str, int]]
) -> None:
    offtopic = {q for q, _, s in pairs if s == 0}
    assert 0.25 <= len(offtopic) / len(queries) <= 0.45


def test_no_note_copies_its_failing_criterion(
    queries: dict[str, str], expected: list[dict[str, Any]]
) -> None:
    for row in expected:
        failing = row["failing_criterion"]
        if failing is not None and len(failing["quote"]) >= 25:
            note = _collapse(queries[row["query-id"]]).lower()
            assert _collapse(failing["quote"]).lower() not in note, (
                f"{row['query-id']}: criterion text copied"
            )


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
