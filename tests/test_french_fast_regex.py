"""The French rewrite rules compiled by `compile_fast` find exactly what `re.compile` finds (issue 23 speed):
the same spans, groups and named groups, with and without `pos`/`endpos`, on the French dev notes and
on random text made of the characters the rules look at."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria.fast_regex import Searcher, compile_fast, literal_openings
from oncofed.criteria.french import fold

DEV_FR = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"
SOURCES = sorted(
    {
        fold(spec)
        for spec in (
            r"\b(?:pas|absence|jamais)\s+(?:d['’]\s*|de\s+)",
            r"(?<![\d,.])\d{1,3}(?:[  ]\d{3})+(?![\d,])",
            r"(?P<head>\b(?:m[ée]tastases?|mts)\s+)(?P<sites>h[ée]patiques?|osseuses?)\b",
            r"\b(\d{1,3})\s*ans\b",
            r"(?<![\w-])L([1-5])\b(?!-)",
            r"(?<=\d)x\b|\bRH(?=\s*[+-])",
            r"\b[a-z]{2,}e\b|\b_?x",
            r"(?m)^(?P<lead>[ \t*#-]*)plan\s*:",
        )
    }
)
ALPHABET = "abcdeflmnoprstuxLNRGH0123456789 ,.-_'’/:+%\néèàç"


def _found(pattern: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
    end = len(text) if endpos is None else endpos
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text, pos, end)]


def _rule_sources() -> list[str]:
    from oncofed.resources import load_yaml

    data = load_yaml("vocab/fr/rules.yaml")
    sites = "|".join(sorted((re.escape(fold(k)) for k in data["site_adjectives"]), key=len, reverse=True))
    return [fold(spec["pattern"].replace("{SITES}", sites)).replace("(?m)", "") for spec in data["rules"]]


PAIRS = [(re.compile(s, re.M), compile_fast(s, re.M)) for s in [*SOURCES, *_rule_sources()]]


def test_most_rules_get_a_first_character_to_search_for() -> None:
    rewritten = [fast for plain, fast in PAIRS if fast.pattern is None]  # compiled from a rewritten tree
    assert len(rewritten) >= 0.7 * len(PAIRS)


def test_a_boundary_before_a_word_becomes_a_lookbehind_after_its_first_character() -> None:
    fast = compile_fast(r"\b(?:pas|absence)\s+de", re.M)
    assert fast.pattern is None
    for text in ["pas de", "apas de", "x pas de", "_pas de", "absence de", "(absence de", "pas  de"]:
        assert _found(fast, text) == _found(re.compile(r"\b(?:pas|absence)\s+de"), text)
        assert _found(fast, text, 1) == _found(re.compile(r"\b(?:pas|absence)\s+de"), text, 1)


def test_patterns_that_cannot_be_rewritten_are_compiled_as_written() -> None:
    for source in [r"\b(?:est|sont)?\s*prevu", r"^(?P<lead>\s*)plan", r"\b\.x", r"(?i)\bpas"]:
        assert compile_fast(source, re.M).pattern == source


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_same_matches_on_the_french_dev_notes() -> None:
    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    subjects = [fold(n) for n in notes] + [fold(n).lower() for n in notes]
    for plain, fast in PAIRS:
        for text in subjects:
            assert _found(fast, text) == _found(plain, text), plain.pattern
            assert _found(fast, text, 7, len(text) - 5) == _found(plain, text, 7, len(text) - 5), (
                plain.pattern
            )


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.integers(0, 8))
def test_same_matches_on_random_text(text: str, pos: int) -> None:
    for plain, fast in PAIRS:
        assert _found(fast, text) == _found(plain, text), plain.pattern
        assert _found(fast, text, pos) == _found(plain, text, pos), plain.pattern


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["d'", "qu’", "QU'", "l", "s'", "j’", "'", "’", "u", "a", "é", " ", "\n", "_", "9"])
    )
)
def test_elisions_found_from_their_quote_are_the_elisions(parts: list[str]) -> None:
    from oncofed.criteria.language import _ELISION, _ELISION_QUOTE

    text = "".join(parts)
    assert [m.start() for m in _ELISION_QUOTE.finditer(text)] == [
        m.end() - 1 for m in _ELISION.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "de",
                "novo",
                "In",
                "SITU",
                "\u017fitu",
                "peau",
                "d'",
                "d’",
                "orange",
                "en",
                "bloc",
                "café",
                "CAFE",
                "au",
                "lait",
                "per",
                "se",
                "pe",
                "r",
                "et",
                "al",
                "vis",
                "à",
                "a",
                "-",
                " ",
                "\n",
                "\u0131",
                "\u0130",
                "\u212a",
                "x",
            ]
        )  # fmt: skip
    )
)
def test_loans_gate_is_exact(parts: list[str]) -> None:
    """`_has_loan` (a substring gate before the IGNORECASE pattern) answers as `_LOANS.search` does."""
    from oncofed.criteria.language import _LOANS, _has_loan

    text = "".join(parts)
    assert _has_loan(text) == (_LOANS.search(text) is not None)


SEARCHERS = [(re.compile(s, re.M), Searcher(s, re.M)) for s in [*SOURCES, *_rule_sources()]]
PIECES = ["pas", "absence", "jamais", "aucun", "de", "d'", "en", "si", "cas", "presence", "meta", "metastases",
          "mts", "lesion", "hepatiques", "osseuses", "ps", "oms", "ecog", "etat", "general", "statut", "il",
          "est", "propose", "non", "n'", "a", "ete", "envisage", "s'", "karnofsky", "ik", "1", "0", "70", "%",
          ",", " ", "  ", "\n", "-", ":", "x", "plan", "cat", "atcd", "familiaux", "allergie", "*", "#", "\t"]  # fmt: skip


def test_literal_openings_are_the_fixed_strings_every_match_starts_with() -> None:
    assert literal_openings(r"\b(?:pas|absence|jamais)\s+de", re.M) == ("absence", "jamais", "pas")
    assert literal_openings(r"\b(?:m[e]tastases?|mts|m[e]tas?)\s", re.M) == (
        "meta",
        "mts",
    )  # "metastase" at "meta"
    assert literal_openings(r"(?<![\w-])(?:si|en\s+cas)\b", re.M) == ("en", "si")
    assert literal_openings(r"ml/min/1[.,]73", re.M) == ("ml/min/1,73", "ml/min/1.73")
    for source in [
        r"\b(\d{1,3})\s*ans\b",
        r"\bx|\bpas",
        r"(?:pas)?\s*de",
        r"(?:pas|)",
        r"(?i)\bpas|\babsence",
    ]:
        assert literal_openings(source, re.M) is None, source
    assert Searcher(r"\bpas\s+de", re.M).openings is None  # one opening: re searches for it itself
    assert Searcher(r"^(?P<lead>[ \t*#-]*)plan\s*:", re.M).lines  # matched at line starts only
    assert not Searcher(r"^plan", 0).lines and not Searcher(r"^(?:plan)?", re.M).lines
    assert sum(s.openings is not None for _, s in SEARCHERS) >= 8  # the French rules with a few openings


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_searcher_finds_what_finditer_finds_on_the_french_dev_notes() -> None:
    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    for text in [fold(n) for n in notes] + [fold(n).lower() for n in notes]:
        for plain, searcher in SEARCHERS:
            for pos, endpos in ((0, len(text)), (7, len(text) - 5), (len(text) // 2, len(text))):
                found = [(m.span(), m.groups()) for m in searcher.finditer(text, pos, endpos)]
                assert found == [(m.span(), m.groups()) for m in plain.finditer(text, pos, endpos)], (
                    plain.pattern
                )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 12), st.integers(0, 12))
def test_searcher_finds_what_finditer_finds_on_random_text(parts: list[str], pos: int, cut: int) -> None:
    text = "".join(parts)
    endpos = max(pos, len(text) - cut)
    for plain, searcher in SEARCHERS:
        found = [(m.span(), m.groups()) for m in searcher.finditer(text, pos, endpos)]
        assert found == [(m.span(), m.groups()) for m in plain.finditer(text, pos, endpos)], plain.pattern


def test_a_line_start_searcher_finds_what_finditer_finds_from_every_position() -> None:
    source = r"^(?P<lead>[ \t*#-]*)(?:plan|cat)\s*:"
    plain, searcher = re.compile(source, re.M), Searcher(source, re.M)
    assert searcher.lines
    text = "plan: a\nx plan: b\n\n- cat : c\nplan:"
    for pos in range(len(text) + 1):
        for endpos in (len(text), len(text) - 1, pos):
            found = [m.span() for m in searcher.finditer(text, pos, endpos)]
            assert found == [m.span() for m in plain.finditer(text, pos, endpos)], (pos, endpos)
