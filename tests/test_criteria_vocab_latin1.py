"""The vocabularies' tokeniser on Latin-1 text (`vocab._LATIN1_SPLIT`, speed28, issue 23) gives the tokens of
the general (Unicode) path: each written-out class holds exactly the Latin-1 characters of `_TOKEN`'s class,
on random Latin-1 texts (in any case: the split reads the text lowered) and on the French dev notes
rewritten in English wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import french, vocab

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


def _general(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((m.group(0).lower(), m.start(), m.end()) for m in vocab._TOKEN.finditer(text))


def _same(text: str) -> None:
    words, starts, ends, word_set = vocab._scan.__wrapped__(text)
    assert tuple(zip(words, starts, ends, strict=True)) == _general(text), text
    assert word_set == frozenset(words)


def test_the_classes_are_the_latin1_characters_of_the_token_classes() -> None:
    word, sign = re.compile(f"{vocab._WORD_CHARS}"), re.compile(f"{vocab._SIGN_CHARS}")
    for code in range(256):
        ch = chr(code)
        assert bool(word.fullmatch(ch)) == bool(re.fullmatch(r"[^\W_]", ch)), hex(code)
        assert bool(sign.fullmatch(ch)) == bool(re.fullmatch(r"[^\w\s\-]", ch)), hex(code)


@settings(max_examples=600, deadline=None)
@given(
    st.text(alphabet=st.characters(max_codepoint=255), max_size=80)
    | st.text(
        alphabet=st.sampled_from("aZ09 -_.,/(µéÉèÀçÇœ\u00a0\u00aa\u00b2\u00bd×÷ßÿ\x85\n\t"), max_size=60
    )
)
def test_latin1_tokens_match_the_general_tokeniser(text: str) -> None:
    _same(text)


def test_rewritten_dev_notes_match_the_general_tokeniser() -> None:
    path = DATA / "verdicts-dev-fr" / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    notes = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    for text in [*notes, *(french.rewrite(t).text for t in notes)]:
        _same(text)
        _same(text.upper())
