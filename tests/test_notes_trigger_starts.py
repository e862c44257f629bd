"""ConText's trigger words of a note found with Hyperscan choosing where the pattern is tried
(`notes.triggers.trigger_starts`, speed27, issue 23) are the ones `context.trigger_starts` finds with one `re`
search: on the dev notes (French as written, rewritten in English wording, their English twins, in capitals)
and on random texts of trigger words, words holding one ("nothing", "unknown", "sunburned"), accented and
non-Latin-1 letters, signs and white space."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import context, french
from oncofed.ingest.patients.notes import triggers

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"

PIECES = [
    "no", "No", "NOT", "not", "denies", "h/o", "r/o", "non-", "Non-", "nonpregnant", "untreated", "unrelated",
    "unrésolved", "sunburned", "history", "if", "in", "as", "nothing", "known", "unknown", "snow", "pt", "x",
    "2", "é", "É", "ß", "µ", "≥", "ı", "ǅ", ".", "!", "?", '"', "'", ")", "]", "(", ",", ";", "-", "/", "_",
    " ", " ", "  ", "\n", "\t", "\u00a0",
]  # fmt: skip


def _notes(folder: str) -> list[str]:
    path = DATA / folder / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_hyperscan_is_used() -> None:
    # without it (or with a trigger word it cannot take) the module is `context.trigger_starts` itself
    assert triggers.hyperscan is None or triggers._database() is not None


def test_same_starts_on_the_dev_notes() -> None:
    french_notes = _notes("verdicts-dev-fr")
    texts = [*french_notes, *_notes("verdicts-dev")]
    texts += [french.rewrite(t).text for t in french_notes]
    texts += [t.upper() for t in texts]
    for text in texts:
        assert triggers.trigger_starts(text) == context.trigger_starts(text), text[:80]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_same_starts_on_random_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert triggers.trigger_starts(text) == context.trigger_starts(text), text
