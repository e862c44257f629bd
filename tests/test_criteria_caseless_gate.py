"""`Caseless`'s Hyperscan absence gate (`criteria/hs_widen.py`, issue 23 speed, sixteenth pass): on a text of
`GATE_MIN_CHARS` or more, a pattern Hyperscan proves absent is not searched by `re`. The searches give exactly
`re.compile(pattern, re.I)`'s results, with `pos` and `endpos` anywhere, on the French dev notes as the reader
sees them and on random long texts; each test below fails if the widening keeps an assertion (`\\b` cut by an
`endpos`, a lookbehind) or reads a class by Hyperscan's ASCII rules instead of `re`'s (`\\w` and "é")."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import caseless, hs_widen
from oncofed.criteria.caseless import GATE_MIN_CHARS, Caseless, compile_i

hyperscan = pytest.importorskip("hyperscan")

PAD = "Patient seen today in clinic, tolerating treatment well; bloods reviewed. " * 4  # > GATE_MIN_CHARS


def _all(p: Any, text: str, pos: int, endpos: int) -> list[Any]:
    return [
        [(m.span(), m.groups()) for m in p.finditer(text, pos, endpos)],
        (m := p.search(text, pos, endpos)) and (m.span(), m.groups()),
        p.findall(text, pos, endpos),
        p.sub("#", text),
    ]


def _reader_patterns() -> list[Caseless]:
    """Every `Caseless` held by the notes reader's and the criteria's modules (globals, lists, tuples, dicts)
    and by the sites' cached factory, after a note has been read (so lazily built ones exist)."""
    import oncofed.criteria
    import oncofed.ingest.patients.notes as notes
    from oncofed.ingest.patients.notes import extract, sites

    extract(
        f"{PAD} 62 y/o woman, ECOG 1, metastatic breast cancer to liver and bone; two prior lines.",
        "t",
        "note",
    )
    found: dict[int, Caseless] = {}

    def take(value: Any, depth: int = 0) -> None:
        if isinstance(value, Caseless):
            found[id(value)] = value
        elif depth < 2 and isinstance(value, (list, tuple)):
            for item in value:
                take(item, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for item in value.values():
                take(item, depth + 1)

    for package in (notes, oncofed.criteria):
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                take(value)
    take(sites._patterns())
    return [p for p in found.values() if p.lowered is not None]


def _dev_texts() -> list[str]:
    """The French dev notes as the English reader reads them (rewritten), as written, and lower-cased."""
    from benchmarks.bench_french import _queries

    from oncofed.criteria.french import rewrite
    from oncofed.criteria.language import detect

    notes = list(_queries(_dev_folder()).values())
    rewritten = [rewrite(t, "notes", detect(t)).text for t in notes]
    return [t for t in rewritten + notes if len(t) >= GATE_MIN_CHARS]


def _dev_folder() -> Any:
    from benchmarks.report import ROOT

    return ROOT / "benchmarks" / "data" / "verdicts-dev-fr"


def test_widened_patterns_report_every_match_of_the_reader_patterns_on_the_dev_notes() -> None:
    """For each reader pattern and dev note: gated answers are `re`'s, at pos 0 and at cut `endpos`s."""
    patterns = _reader_patterns()
    texts = _dev_texts()
    assert len(patterns) > 60 and len(texts) > 150
    gated = absent = 0
    for p in patterns:
        plain = re.compile(p.plain.pattern, p.plain.flags)
        for text in texts[::8]:
            for pos, endpos in ((0, len(text)), (len(text) // 3, len(text) // 2)):
                got = [(m.span(), m.groups()) for m in p.finditer(text, pos, endpos)]
                assert got == [(m.span(), m.groups()) for m in plain.finditer(text, pos, endpos)], p.pattern
            if p.gate is not None and p.gate is not caseless._UNSET:
                gated += 1
                absent += p.gate_last[0] is text and p.gate_last[1]
    assert gated > 400 and absent > 100  # the gate did take part (else this test proves nothing)


def test_an_endpos_cut_through_a_word_boundary() -> None:
    """`\\bcat\\b` with `endpos` after "cat" of "catalog": `re` matches (the text ends there); a widened
    expression keeping the `\\b` would find nothing in the whole text and wrongly prove the pattern absent."""
    text = PAD + "catalog " * 20
    p = compile_i(r"\bcat\b")
    start = len(PAD)
    found = p.search(text, start, start + 3)
    assert found is not None and found.span() == (start, start + 3)
    assert p.search(text) is None  # no "cat" stands alone in the whole text, but "cat" is in it:
    assert p.gate_last == (text, False)  # the widened expression (no `\b`) finds it, so no absence is claimed


def test_a_lookbehind_before_pos() -> None:
    text = PAD + "no metastasis; metastatic disease"
    p = compile_i(r"(?<!no )metasta\w+")
    plain = re.compile(p.plain.pattern, re.I)
    for pos in (0, len(PAD), len(PAD) + 3, len(PAD) + 15):
        assert _all(p, text, pos, len(text)) == _all(plain, text, pos, len(text))


def test_classes_are_read_as_re_reads_them() -> None:
    """ "é" is a word character for `re` (not for Hyperscan's ASCII `\\w`): `caf\\w` is found in "café"."""
    p = compile_i(r"\bcaf\w\b")
    text = PAD + "un café serré"
    found = p.search(text)
    assert found is not None and found.group() == "café"
    assert p.gate_last == (text, False)  # asked, and not proved absent
    gate = hs_widen.absence_gate(r"caf\w", re.UNICODE)
    reported: list[int] = []
    gate.scan("café".encode("latin-1"), match_event_handler=caseless._reported, context=reported)
    assert reported == [4]


def test_text_beyond_latin1_is_searched_as_before() -> None:
    p = compile_i(r"\bcoeur\b|\bc\w+ur\b")
    text = PAD + "examen du cœur normal"
    assert _all(p, text, 0, len(text)) == _all(re.compile(p.pattern, re.I), text, 0, len(text))


def test_unwidenable_patterns_have_no_gate() -> None:
    assert hs_widen.widened(r"(a)b\1", re.UNICODE) is None  # back-reference
    assert hs_widen.widened(r"(?i:x)y", re.UNICODE) is None  # inline flags
    assert hs_widen.absence_gate(r"\s*", re.UNICODE) is None  # matches the empty string
    assert hs_widen.widened(r"\bx(?=y)$", re.UNICODE) == b"\\x78"  # assertions dropped


WORDS = st.sampled_from(
    ["cat", "catalog", "café", "metastases", "no ", "stage iv", "Stage IV", "é", " ", "\n", "-", "1", "12"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        [r"\bcat\b", r"\bstage\s+iv\b", r"(?<![\w-])metasta\w*", r"\d{1,2}\s*$", r"caf\w\b", r"^no\b"]
    ),
    st.lists(WORDS, min_size=1, max_size=30),
    st.integers(0, 400),
    st.integers(0, 420),
)
def test_same_as_ignorecase_on_random_long_texts(
    source: str, words: list[str], pos: int, endpos: int
) -> None:
    text = PAD + "".join(words)
    fast, plain = compile_i(source), re.compile(source, re.IGNORECASE)
    assert _all(fast, text, pos, endpos) == _all(plain, text, pos, endpos)
