"""The notes reader's case-insensitive patterns (`ingest.patients.notes.lowered`) find exactly what
`re.compile(pattern, re.I)` finds, on ASCII text and on text with French letters (issue 23 speed): the same
spans and groups from `search`, `finditer`, `match`, `fullmatch`, `findall`, `sub`, with `pos`/`endpos`;
texts holding a character on which lower-casing differs from IGNORECASE ("ſ", "ı", "K", "İ", "Σ", "٣")
are searched as written."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.ingest.patients.notes import lowered, sites, values
from oncofed.ingest.patients.notes.lowered import NoteCaseless, compile_i, lowerable
from oncofed.ingest.patients.notes.text import words_re

# long s, dotless i, Kelvin sign, dotted capital I, capital sigma, Arabic-Indic three
ODD = "\u017f\u0131\u212a\u0130\u03a3\u0663"
PATTERNS = [
    r"\b(?:metasta\w*|stage\s+iv|advanced)\b",
    r"\b(\d{1,3})\s*(?:ans|years?)\b",
    r"(?<![\w-])(?:l[ée]sions?|liver|h[ée]patique)(?![\w])",
    r"[^a-z\s]+",
    r"\bps\s*[:=]?\s*([0-4])\b",
    r"\w+\s*(?:≥|×|[–≤])\s*\d",
    r"(?:k|s)\W",
    r"(a)b\1",
]
FRENCH = "abceiklmnoprstvxyzAEIKLPS0123456789 -:=.,'\néèàÉçœµ≥×–"
TEXTS = st.text(alphabet=FRENCH, max_size=40) | st.text(alphabet=FRENCH + ODD, max_size=40)


def _all(p: Any, text: str, pos: int, endpos: int) -> list[Any]:
    return [
        [(m.span(), m.groups()) for m in p.finditer(text, pos, endpos)],
        (m := p.search(text, pos, endpos)) and (m.span(), m.groups()),
        (m := p.match(text, pos, endpos)) and m.span(),
        (m := p.fullmatch(text, pos, endpos)) and m.span(),
        p.findall(text, pos, endpos),
        p.sub("#", text),
    ]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), TEXTS, st.integers(0, 40), st.integers(0, 45))
def test_same_matches_as_ignorecase(source: str, text: str, pos: int, endpos: int) -> None:
    fast, plain = compile_i(source), re.compile(source, re.IGNORECASE)
    assert _all(fast, text, pos, endpos) == _all(plain, text, pos, endpos)


def test_french_letters_keep_the_lowered_search() -> None:
    assert lowerable("Créatinine 78 µmol/L, métastases hépatiques à J8 ; cœur normal")
    for odd in ODD:
        assert not lowerable(f"métastase {odd}"), odd
    rx = compile_i(r"\bmetastases?\b")
    assert isinstance(rx, NoteCaseless) and rx.ascii_tests
    assert not compile_i(r"(a)b\1").ascii_tests  # a back-reference: searched as written
    assert not compile_i(r"l[ée]sion").ascii_tests  # a non-ASCII letter in the pattern: as written


def test_reader_patterns_are_note_caseless() -> None:
    """The reader's own patterns use the notes' `compile_i` (and so the lowered search on French notes)."""
    assert isinstance(values.AGE_RE, NoteCaseless)
    assert isinstance(words_re(["liver", "bone"]), NoteCaseless)
    assert all(isinstance(p, NoteCaseless) for p, *_ in sites._patterns())
    assert lowered.lowered("Métastases HÉPATIQUES") == "métastases hépatiques"


def test_odd_letters_are_searched_as_written() -> None:
    """Each character on which lower-casing and IGNORECASE disagree, in words the patterns look for."""
    words = ["s ", "stage iv", "metastases", "liver", "k.", "12 ans", "ps 1", "aba"]
    for odd in ODD:
        texts = [w.replace(c, odd) for w in words for c in "siklv1" if c in w]
        texts += [f"métastases {odd} ps 1", f"{odd}{odd} ans", f"é{odd}"]
        for source in PATTERNS:
            fast, plain = compile_i(source), re.compile(source, re.IGNORECASE)
            for text in texts:
                assert _all(fast, text, 0, len(text)) == _all(plain, text, 0, len(text)), (odd, source, text)
