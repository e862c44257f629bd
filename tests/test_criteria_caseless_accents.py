"""Accented text (French notes and criteria) takes the criteria engine's fast paths, with the very results
of the general ones (issue 23 speed): `Caseless` searches lower-cased accented text when
`caseless.lowerable` accepts it, and the vocabulary tokeniser splits it lower-cased."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import context, vocab
from oncofed.criteria.caseless import compile_i, lowerable

# long s, dotless i, Kelvin sign, dotted capital I, capital sigma, Arabic-Indic three: never lowerable
ODD = "\u017f\u0131\u212a\u0130\u03a3\u0663"
FRENCH = "abcdeilmnoprstuxzAEILMPS0123456789 -_:=.,/'()\néèàùâêîôûçœÉÈÀÇŒµ≥×–"
TEXTS = st.text(alphabet=FRENCH, max_size=50) | st.text(alphabet=FRENCH + ODD, max_size=50)
SOURCES = [
    r"\b(?:metasta\w*|stage\s+iv|advanced)\b",
    r"(?<![\w-])(?:no|not|without|absence)(?![\w])|\bnon-|\bun\w+ed\b",
    r"\b(\d+(?:[.,]\d+)?)\s*(?:x|×)\s*(?:uln|n)\b",
    r"[^a-z\s]+",
    r"\w+\s*(?:≥|×|[–≤])\s*\d",
    r"(?:k|s)\W",
]


def _all(p: Any, text: str, pos: int) -> list[Any]:
    return [
        [(m.span(), m.groups()) for m in p.finditer(text, pos)],
        (m := p.search(text, pos)) and (m.span(), m.groups()),
        (m := p.match(text, pos)) and m.span(),
        (m := p.fullmatch(text)) and m.span(),
        p.findall(text),
        p.sub("#", text),
    ]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SOURCES), TEXTS, st.integers(0, 50))
def test_accented_text_same_matches_as_ignorecase(source: str, text: str, pos: int) -> None:
    fast, plain = compile_i(source), re.compile(source, re.IGNORECASE)
    assert _all(fast, text, pos) == _all(plain, text, pos)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_accented_tokens_match_the_general_tokeniser(text: str) -> None:
    general = tuple((m.group(0).lower(), m.start(), m.end()) for m in vocab._TOKEN.finditer(text))
    words, starts, ends, word_set = vocab._scan.__wrapped__(text)
    assert tuple(zip(words, starts, ends, strict=True)) == general
    assert word_set == frozenset(t for t, _, _ in general)


def test_french_sentences_take_the_fast_paths() -> None:
    sentence = "Pas de métastase hépatique ; créatinine 78 µmol/L à J8, non évaluée"
    assert lowerable(sentence)
    trigger = context._trigger_re()
    assert trigger.ascii_tests and trigger._fast(sentence)
    assert context.has_trigger(sentence)  # "non" (a ConText trigger word), found by the lowered search
    assert ("créatinine", 29, 39) in vocab._tokens(sentence)
    assert not compile_i(r"l[ée]sion").ascii_tests  # a non-ASCII letter in the pattern: searched as written
    assert not trigger._fast(f"{sentence} \u0130")  # a dotted capital I: the text is searched as written
