"""The note's cue scan (`notes.text.Cues.find`) tests word pairs only at the tokens that open one (speed28,
issue 23): the same cue positions as the scan that tested every pair of neighbouring tokens, on the dev notes
(French as written, rewritten in English wording, their English twins) and random texts of cue words."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import french
from oncofed.ingest.patients.notes import scopes
from oncofed.ingest.patients.notes.text import Cues, tokens

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
CUES = scopes._cues()[0]
WORDS = sorted({w for key in CUES.entries for w in key})


def _reference(cues: Cues, text: str) -> dict[str, list[tuple[int, int]]]:
    """The scan as written before: every single-word opener and every neighbouring pair tried."""
    out: dict[str, list[tuple[int, int]]] = {name: [] for name in cues.names}
    words, starts, ends = tokens(text)
    n = len(words)
    candidates = set(itertools.compress(range(n), map(cues.single.__contains__, words)))
    candidates.update(
        itertools.compress(range(n - 1), map(cues.pairs.__contains__, zip(words, words[1:], strict=False)))
    )
    free = 0
    for i in sorted(candidates):
        if i < free:
            continue
        start = starts[i]
        if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
            continue
        hit = None
        for length in range(1, min(cues.max_len, n - i) + 1):
            key = words[i : i + length]
            if key not in cues.prefixes:
                break
            if (name := cues.entries.get(key)) is not None:
                hit = (length, name)
        if hit:
            out[hit[1]].append((start, ends[i + hit[0] - 1]))
            free = i + hit[0]
    return out


def test_same_cues_on_the_dev_notes() -> None:
    texts = []
    for folder in ("verdicts-dev-fr", "verdicts-dev"):
        path = DATA / folder / "queries.jsonl"
        if not path.exists():
            pytest.skip(f"{path} is absent")
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts += [french.rewrite(t).text for t in texts[:102]]
    for text in texts:
        assert CUES.find(text) == _reference(CUES, text), text[:80]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([*WORDS, "x", "é"]), st.sampled_from([" ", "-", ", ", "\n"])), max_size=30
    )
)
def test_same_cues_on_random_texts(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert CUES.find(text) == _reference(CUES, text)
