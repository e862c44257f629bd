"""`Caseless` patterns give exactly `re`'s IGNORECASE results (the parser's speed-up must not change
one span): every such pattern of the criteria engine, on hypothesis-generated texts made of its own
words in random case."""

from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria.caseless import Caseless, compile_i

MODULES = ["extract", "extract_clinical", "logic", "numbers", "parser", "segment", "context"]


def _engine_patterns() -> list[tuple[str, Caseless]]:
    found: list[tuple[str, Caseless]] = []
    for name in MODULES:
        module = importlib.import_module(f"oncofed.criteria.{name}")
        for attr, value in vars(module).items():
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, Caseless):
                        found.append((f"{name}.{attr}[{i}]", part))
    context = importlib.import_module("oncofed.criteria.context")
    found.append(("context._trigger_re()", context._trigger_re()))
    return found


PATTERNS = _engine_patterns()


def test_the_engine_patterns_are_found_and_nearly_all_lowered() -> None:
    assert len(PATTERNS) > 60
    plain = [name for name, p in PATTERNS if p.lowered is None]
    # `_STAGE` has upper-case literals ("IV", "[A-D]"): it keeps the plain IGNORECASE search
    assert plain == ["extract_clinical._STAGE[0]"]


def _words(pattern: str) -> list[str]:
    return sorted(set(re.findall(r"[a-z]{2,}", pattern)))[:200] or ["x"]


PIECES = [
    "0",
    "1",
    "2",
    "18",
    "3.5",
    "10^9",
    "100,000",
    " ",
    "  ",
    "\n",
    ".",
    ",",
    ";",
    ":",
    "/",
    "(",
    ")",
    "-",
]
PIECES += ["+", ">=", "<", "=", "%", "x", "ULN", "'s", "ſ", "\u212a", "é"]


@st.composite
def texts_for(draw: st.DrawFn, pattern: str) -> str:
    words = _words(pattern)
    parts = draw(
        st.lists(st.one_of(st.sampled_from(words), st.sampled_from(PIECES)), min_size=1, max_size=14)
    )
    cased = [draw(st.sampled_from([p, p.upper(), p.title(), p.swapcase()])) for p in parts]
    return draw(st.sampled_from(["", " "])).join(cased)


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groups() == b.groups() and a.groupdict() == b.groupdict()


@pytest.mark.parametrize(("name", "rx"), PATTERNS, ids=[n for n, _ in PATTERNS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_caseless_equals_ignorecase(name: str, rx: Caseless, data: st.DataObject) -> None:
    text = data.draw(texts_for(rx.pattern))
    pos = data.draw(st.integers(0, len(text)))
    plain = rx.plain
    assert _same(rx.search(text), plain.search(text)), (name, text)
    assert _same(rx.search(text, pos), plain.search(text, pos)), (name, text, pos)
    assert _same(rx.match(text, pos), plain.match(text, pos)), (name, text, pos)
    assert _same(rx.fullmatch(text), plain.fullmatch(text)), (name, text)
    got = list(rx.finditer(text, pos))
    want = list(plain.finditer(text, pos))
    assert len(got) == len(want) and all(_same(a, b) for a, b in zip(got, want, strict=True)), (name, text)
    assert rx.findall(text) == plain.findall(text)
    assert rx.sub("#", text) == plain.sub("#", text)


def test_patterns_whose_case_folding_differs_keep_the_plain_search() -> None:
    # under IGNORECASE "[0-a]" matches "b" (its upper case "B" lies in the range), "ſ" matches "s",
    # an upper-case literal matches its lower case, and inline flags change the rules mid-pattern
    for source in ("[0-a]", "ſ", "conſent", "\u212a", "HER2", "(?-i:a)b", "a(?i:b)"):
        assert compile_i(source).lowered is None, source
    for source in ("[lL]", r"[^\W\d_]+", r"\bher2\b", "(?P<n>\\d+)\\s*(?P=n)", "[a-f0-9]+"):
        assert compile_i(source).lowered is not None, source


def test_non_ascii_text_uses_the_plain_search() -> None:
    rx = compile_i(r"\bconsent\b")
    assert rx.lowered is not None
    # "ſ" (long s) folds onto "s" under IGNORECASE but not under lower(): the plain search finds it
    assert rx.search("signed conſent").span() == (7, 14)  # type: ignore[union-attr]
    assert compile_i("k").search("\u212a").span() == (0, 1)  # type: ignore[union-attr]  # Kelvin sign
    assert rx.search("informed CONSENT").group() == "CONSENT"  # type: ignore[union-attr]
