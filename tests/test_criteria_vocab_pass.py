"""Several phrase indexes scanned in one pass (`criteria.vocab_pass.PhraseIndexes`, speed28, issue 23) give
each index's own `find`: on the dev notes (French as written, rewritten in English wording, their English
twins, in capitals) and on random texts of the indexes' words; `prefetch` answers only the text object it
scanned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import french, vocab
from oncofed.criteria.vocab_pass import PhraseIndexes, mention_indexes
from oncofed.ingest.patients.notes import mentions

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
INDEXES = [mentions._note_index(), *mention_indexes(), vocab._lab_index()]
WORDS = ["breast", "cancer", "lung", "HER2", "her2", "anti", "-", "pembrolizumab", "carboplatin", "ALL", "all",
         "aml", "AML", "diabetes", "EGFR", "no", "and", "of", "the", "é", ",", "(", ")", "metastatic", "PD-L1",
         "hepatitis", "B", "c", "hemoglobin", "small", "cell", "non", "statin", "steroids", "FOLFOX"]  # fmt: skip


def _notes(folder: str) -> list[str]:
    path = DATA / folder / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def _each(text: str) -> list[list[vocab.Mention]]:
    return [index.find(text) for index in INDEXES]


def test_one_pass_finds_what_each_index_finds_on_the_dev_notes() -> None:
    together = PhraseIndexes(INDEXES)
    french_notes = _notes("verdicts-dev-fr")
    texts = [*french_notes, *_notes("verdicts-dev"), *(french.rewrite(t).text for t in french_notes)]
    for text in [*texts, *(t.upper() for t in texts)]:
        assert together.find(text) == _each(text), text[:80]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", "-", "\n", ", "])), max_size=30))
def test_one_pass_finds_what_each_index_finds_on_random_texts(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert PhraseIndexes(INDEXES).find(text) == _each(text)


def test_prefetch_answers_its_own_text_only() -> None:
    indexes = [
        vocab.PhraseIndex({"breast cancer": "BRCA", "her2": "ERBB2"}),
        vocab.PhraseIndex({"nivolumab": "N"}),
    ]
    together = PhraseIndexes(indexes)
    text = "HER2+ breast cancer on nivolumab"
    expected = [index.find(text) for index in indexes]
    together.prefetch(text)
    assert [index.find(text) for index in indexes] == expected
    other = "nivolumab for breast cancer"
    assert [m.code for m in indexes[0].find(other)] == ["BRCA"]  # not the prefetched answer
    found = indexes[1].find(text)
    found.append(found[0])  # a caller's list: the prefetched answer is not changed
    assert indexes[1].find(text) == expected[1]
