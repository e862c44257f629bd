"""`fast_regex` exposes a character behind lookbehinds of any fixed width and behind an alternation of
lookbehinds, and `compile_rare` (every notes reader's and parser's case-insensitive pattern, `Caseless`)
does so only where few letters open a match (issue 23 speed, speed25): the same spans and groups as
`re.compile` on random text, on the French dev notes and for every `Caseless` pattern the notes reader
loads."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria.fast_regex import compile_fast, compile_rare

DEV_FR = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"
# written for this test: a range between numbers ("deux a trois", "2 a 4"), a word after a wide lookbehind
WIDE = [
    r"(?:(?<=\d)|(?<=\bun)|(?<=\bdeux))\s+a\s+(?=\d|un\b|trois\b)",
    r"(?:(?<!\bno)|(?<=x))\s+y",
    r"(?<=\bstade)\s+(i{1,3}v?)\b",
    r"(?<!\bnot\s)(?<![\w-])(?:treated|naive)\b",
]
ALPHABET = "adeinorstuvwxy0123 \n-_."


def _module_patterns(kind: type) -> list[Any]:
    """The `kind` objects the project's loaded modules hold, as names or in a tuple, list or dict they hold."""
    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("oncofed."):
            continue
        for value in vars(module).values():
            items = (
                value.values()
                if isinstance(value, dict)
                else value
                if isinstance(value, (list, tuple))
                else [value]
            )
            for item in items:
                if isinstance(item, tuple) and len(item) == 2:
                    item = item[1]  # (name, pattern) pairs
                if isinstance(item, kind):
                    found[id(item)] = item
    return list(found.values())


def _found(pattern: Any, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
    end = len(text) if endpos is None else endpos
    return [(m.span(), m.groups()) for m in pattern.finditer(text, pos, end)]


def test_wide_lookbehinds_and_their_alternations_open_with_a_character() -> None:
    for source in WIDE:
        assert compile_fast(source).pattern is None, source  # compiled from a rewritten tree


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=50), st.integers(0, 6))
def test_wide_lookbehinds_find_what_re_finds(text: str, pos: int) -> None:
    for source in WIDE:
        plain, fast = re.compile(source), compile_fast(source)
        assert _found(fast, text) == _found(plain, text), source
        assert _found(fast, text, pos, max(pos, len(text) - 2)) == _found(
            plain, text, pos, max(pos, len(text) - 2)
        ), source


def test_only_patterns_opened_by_few_letters_are_rewritten() -> None:
    assert compile_rare(r"\b(?:his|him|her)\b").pattern is None
    assert compile_rare(r"(?<![\w-])(?:pre-?operative|neoadjuvant)(?![\w])").pattern is None
    assert compile_rare(r"\b(\d{1,2})[- ]months?[- ]old\b").pattern is None
    many = r"\b(?:biopsy|histology|pathology|cytology|resection|specimen)\b"
    assert compile_rare(many).pattern == many  # most letters of a text would be candidates
    assert compile_rare(r"^\s*plan").pattern == r"^\s*plan"  # nothing to expose


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_every_reader_pattern_finds_what_re_finds_on_the_french_notes() -> None:
    from oncofed.criteria.caseless import Caseless
    from oncofed.criteria.french import rewrite
    from oncofed.ingest.patients.notes import extract

    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    extract(notes[0], "n", "note")  # every vocabulary and pattern of the reader loaded
    texts = [rewrite(n).text.lower() for n in notes[:40]]
    rewritten = [c for c in _module_patterns(Caseless) if c.lowered is not None and c.lowered.pattern is None]
    assert len(rewritten) >= 50
    for c in rewritten:
        plain = re.compile(c.plain.pattern, c.plain.flags & ~re.IGNORECASE)
        for text in texts:
            assert _found(c.lowered, text) == _found(plain, text), c.plain.pattern
