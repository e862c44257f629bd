"""The TREC 2021/2022 verdict benchmark (benchmarks/bench_verdicts_trec.py): the set's assembly on a tiny
synthetic data folder (always runs), on the real ../shared/data (skips when absent), and the scoring
helpers on hand-written engine lines. Nothing here runs the engine on TREC: the set is measurement only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.bench_verdicts_trec import CorpusError, assemble, excluding_kinds, kind_counts, score

from tests.conftest import shared_data


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _tiny_data(root: Path) -> Path:
    """Two TREC years, a Chia trial, an NLI4CT trial (also in Chia: NLI4CT wins), one empty Chia trial,
    one trial nowhere, one empty topic."""
    for year, topics in (("2021", {"trec-20211": "A 60-year-old woman with breast cancer.", "trec-20212": " "}),
                         ("2022", {"trec-20221": "A 45-year-old man with asthma."})):  # fmt: skip
        folder = root / f"trec-{year}-topics"
        _write(
            folder / "queries.jsonl",
            "".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t in topics.items()),
        )
    _write(
        root / "trec-2021-topics" / "qrels" / "test.tsv",
        "query-id\tcorpus-id\tscore\n"
        "trec-20211\tNCT00000001\t2\n"  # NLI4CT (and Chia)
        "trec-20211\tNCT00000002\t1\n"  # Chia only
        "trec-20211\tNCT00000003\t0\n"  # Chia, both sections empty: dropped
        "trec-20211\tNCT09999999\t2\n"  # text not here: dropped
        "trec-20212\tNCT00000002\t1\n",  # empty topic: dropped
    )
    _write(
        root / "trec-2022-topics" / "qrels" / "test.tsv",
        "query-id\tcorpus-id\tscore\ntrec-20221\tNCT00000002\t0\n",
    )
    chia = root / "criteria" / "chia-dev"
    _write(chia / "NCT00000001_inc.txt", "Chia version of the line\n")
    _write(chia / "NCT00000001_exc.txt", "")
    _write(chia / "NCT00000002_inc.txt", "Adults aged 18 or over \n\nDiagnosis of asthma\n")
    _write(chia / "NCT00000002_exc.txt", "Pregnancy\n")
    _write(chia / "NCT00000003_inc.txt", "\n")
    _write(chia / "NCT00000003_exc.txt", "")
    nli = {
        "Clinical Trial ID": "NCT00000001",
        "Intervention": ["INTERVENTION 1:", "Letrozole 2.5 mg daily"],
        "Eligibility": [
            "Inclusion Criteria:",
            "Women with breast cancer",
            "Exclusion Criteria:",
            "Pregnancy",
        ],
        "Results": [],
        "Adverse Events": [],
    }
    _write(root / "trials" / "nli4ct-breast-cancer" / "NCT00000001.json", json.dumps(nli))
    return root


def test_assembly_on_a_tiny_folder(tmp_path: Path) -> None:
    a = assemble(_tiny_data(tmp_path / "data"), tmp_path / "set")
    assert a.grade == {("trec-20211", "NCT00000001"): 2, ("trec-20211", "NCT00000002"): 1,
                       ("trec-20221", "NCT00000002"): 0}  # fmt: skip
    assert a.year_of == {"trec-20211": "2021", "trec-20221": "2022"}
    assert (a.no_text["2021", 2], a.empty["2021", 0], a.no_query["2021", 1]) == (1, 1, 1)
    assert a.kept_by_source["2021", "nli4ct-breast-cancer", 2] == 1
    assert a.kept_by_source["2022", "chia-dev", 0] == 1
    assert a.duplicates == ["NCT00000001 (chia-dev)"]
    corpus = {d["_id"]: d for d in map(json.loads, a.corpus.read_text(encoding="utf-8").splitlines())}
    assert set(corpus) == {"NCT00000001", "NCT00000002"}
    assert corpus["NCT00000001"]["metadata"]["inclusion_criteria"] == "Women with breast cancer"
    assert corpus["NCT00000001"]["metadata"]["exclusion_criteria"] == "Pregnancy"
    chia = corpus["NCT00000002"]["metadata"]
    assert chia["inclusion_criteria"] == "Adults aged 18 or over\n\nDiagnosis of asthma"
    assert chia["exclusion_criteria"] == "Pregnancy"
    queries = [json.loads(x)["_id"] for x in a.queries.read_text(encoding="utf-8").splitlines()]
    assert queries == ["trec-20211", "trec-20221"]
    # the pairs file reads as `oncofed eval verdicts` reads it
    from oncofed.services.matching.verdicts import load_inputs

    inputs = load_inputs(a.queries, a.corpus, a.pairs)
    assert sorted((p.query_id, p.corpus_id, p.grade) for p in inputs.pairs) == sorted(
        (q, d, g) for (q, d), g in a.grade.items()
    )
    assert "Women with breast cancer" in inputs.trials["NCT00000001"].eligibility_text


def test_assembly_names_the_bad_qrels_line(tmp_path: Path) -> None:
    data = _tiny_data(tmp_path / "data")
    _write(
        data / "trec-2022-topics" / "qrels" / "test.tsv",
        "query-id\tcorpus-id\tscore\ntrec-20221\tNCT1\tyes\n",
    )
    with pytest.raises(CorpusError, match=r"trec-2022-topics/qrels/test.tsv:2: score 'yes'"):
        assemble(data, tmp_path / "set")


def _line(q: str, d: str, verdict: str, *readings: list[str]) -> dict[str, object]:
    crit = [{"section": "inclusion", "text": "x", "outcome": "violated", "reading": r} for r in readings]
    return {"query-id": q, "corpus-id": d, "verdict": verdict, "criteria": crit}


def test_kind_counts_and_rates_on_hand_written_lines(tmp_path: Path) -> None:
    a = assemble(_tiny_data(tmp_path / "data"), tmp_path / "set")
    a.grade[("trec-20211", "NCT00000009")] = 2
    lines = [
        _line("trec-20211", "NCT00000001", "excluded", ["inclusion:age"], ["exclusion:lab", "inclusion:age"]),
        _line("trec-20211", "NCT00000009", "excluded", ["inclusion:age"]),
        _line("trec-20211", "NCT00000002", "unknown"),
        _line("trec-20221", "NCT00000002", "excluded", ["exclusion:comorbidity"]),
    ]
    assert excluding_kinds(lines[0]) == {"inclusion:age", "exclusion:lab"}
    assert excluding_kinds(lines[2]) == set()
    assert kind_counts(lines, a.grade, 2) == {"inclusion:age": (2, 1), "exclusion:lab": (1, 0)}
    assert kind_counts(lines, a.grade, 0) == {"exclusion:comorbidity": (1, 1)}
    s = score(lines, a)
    assert s["both"]["eligible_kept"][0] == 0.0
    assert s["both"]["failure_excluded"][0] == 0.0
    assert s["both"]["zero_excluded"][0] == 1.0
    assert s["2021"]["balanced"][0] == 0.0
    assert s["verdicts"]["excluded"] == 3
    # the cancer-trials part: only the NLI4CT trial's pair (eligible, excluded)
    assert s["oncology"]["eligible_kept"][0] == 0.0
    assert s["oncology"]["zero_excluded"][0] != s["oncology"]["zero_excluded"][0]  # no pair judged 0: NaN


def test_assembly_on_the_real_trec_judgments(tmp_path: Path) -> None:
    data = shared_data("trec-2021-topics").parent
    shared_data("criteria", "chia-dev")
    shared_data("trials", "nli4ct-breast-cancer")
    a = assemble(data, tmp_path / "set")
    # ../shared/data/README.md: 206 judged pairs in 2021 (32 eligible, 25 excluded), 106 in 2022 (6 / 5) on
    # chia-dev, nli4ct and oncology-active-99 trials; sigir-judged-101's trials add theirs
    for year, (n, eligible, excluded) in {"2021": (206, 32, 25), "2022": (106, 6, 5)}.items():
        without = {g: a.kept[year, g] - a.kept_by_source[year, "sigir-judged-101", g] for g in (0, 1, 2)}
        assert (sum(without.values()), without[2], without[1]) == (n, eligible, excluded)
        assert sum(a.kept[year, g] + a.no_text[year, g] + a.empty[year, g] + a.no_query[year, g]
                   for g in (0, 1, 2)) == sum(a.judged[year, g] for g in (0, 1, 2))  # fmt: skip
    corpus = [json.loads(x) for x in a.corpus.read_text(encoding="utf-8").splitlines()]
    assert {d["_id"] for d in corpus} == {d for _, d in a.grade}
    assert all(
        d["metadata"]["inclusion_criteria"].strip() or d["metadata"]["exclusion_criteria"].strip()
        for d in corpus
    )
    # a Chia trial's criteria are its brat text lines, read in place
    chia = next(d for d in corpus if d["metadata"]["source"] == "chia-dev")
    first = (
        (data / "criteria" / "chia-dev" / f"{chia['_id']}_inc.txt").read_text(encoding="utf-8").split("\n")[0]
    )
    assert first.strip() and chia["metadata"]["inclusion_criteria"].startswith(first.strip())
