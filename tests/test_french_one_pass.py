"""The French rewrite's one-pass scans give what the plain, rule-by-rule forms give (issue 23 speed).

The plain forms are kept here as oracles: every rule of a scope runs when its text (folded, lower-cased
unless the rule is `case`) holds one of its `needs` (`in`, one substring search a need), and the rules'
matches are resolved as `french._rule_matches` resolves them. The one-pass form finds every need in a
single Aho-Corasick walk of the text (`french._NeedScan`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import french
from oncofed.criteria.french import FUNCTIONS, SCOPES, _expand, _rules, fold
from oncofed.criteria.language import FRENCH, detect

DEV_FR = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"


def _lower(folded: str) -> str:
    lower = folded.lower()
    if len(lower) != len(folded):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    return lower


def _plain_gated(folded: str, scope: str) -> list[int]:
    lower = _lower(folded)
    return [
        rule.index
        for rule in _rules(scope)
        if not rule.needs or any(n in (folded if rule.case else lower) for n in rule.needs)
    ]


def _plain_rule_matches(folded: str, spans: list[tuple[int, int]], scope: str) -> list[tuple[int, int, str]]:
    """`_rule_matches` as it was: each rule on its own, behind its `needs` probed one by one."""
    lower = _lower(folded)
    found: list[tuple[int, int, int, str]] = []
    for rule in _rules(scope):
        subject = folded if rule.case else lower
        if rule.needs and not any(n in subject for n in rule.needs):
            continue
        for lo, hi in spans:
            for m in rule.pattern.pattern.finditer(subject, lo, hi):  # the compiled pattern, no Searcher
                if m.end() == m.start():
                    continue
                if rule.function:
                    english = FUNCTIONS[rule.function](m, folded)
                elif rule.template is not None:
                    english = _expand(m, rule.template)
                else:
                    template = rule.english or ""
                    english = m.expand(template) if "\\" in template else template
                if english is not None:
                    found.append((m.start(), -(m.end() - m.start()), rule.index, english))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    end = -1
    for start, negative_length, _, english in found:
        if start >= end:
            kept.append((start, start - negative_length, english))
            end = start - negative_length
    return kept


def _one_pass_gated(folded: str, scope: str) -> list[int]:
    return [rule.index for rule in french._gated(folded, _lower(folded), scope)]


def _needs_alphabet() -> str:
    chars = {c for scope in SCOPES for rule in _rules(scope) for n in rule.needs for c in n}
    return "".join(sorted(chars | set(" \nIİéÉàçK")))


NEED_WORDS = sorted({n for scope in SCOPES for rule in _rules(scope) for n in rule.needs})
texts = st.lists(
    st.one_of(st.sampled_from(NEED_WORDS), st.text(alphabet=_needs_alphabet(), max_size=6)), max_size=25
).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(SCOPES))
def test_one_pass_runs_the_rules_the_probes_run(text: str, scope: str) -> None:
    folded = fold(text)
    assert _one_pass_gated(folded, scope) == _plain_gated(folded, scope)


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from(SCOPES))
def test_one_pass_rule_matches_equal_the_plain_form(text: str, scope: str) -> None:
    folded = fold(text)
    spans = [(0, len(folded))]
    assert french._rule_matches(folded, spans, scope) == _plain_rule_matches(folded, spans, scope)


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_one_pass_on_the_french_dev_notes() -> None:
    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    assert len(notes) >= 100
    for text in notes + [n.upper() for n in notes[:20]]:
        folded = fold(text)
        spans = detect(text).spans(FRENCH)
        for scope in SCOPES:
            assert _one_pass_gated(folded, scope) == _plain_gated(folded, scope)
            assert french._rule_matches(folded, spans, scope) == _plain_rule_matches(folded, spans, scope)


def test_a_need_found_only_inside_another_still_counts() -> None:
    # overlapping occurrences: "ans" inside "dans", "pas" right after "pas" -- each need is found
    folded = fold("Traitée dans le service, il n'y a pas de progression")
    assert _one_pass_gated(folded, "notes") == _plain_gated(folded, "notes")
    assert any("ans" in rule.needs for rule in french._gated(folded, _lower(folded), "notes"))
