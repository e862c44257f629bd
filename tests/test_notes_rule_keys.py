"""ConText's pre-filter of a note's sentences from one Hyperscan pass (`notes.triggers.rule_keys_within`,
speed28, issue 23): the keys it gives a span hold every rule whose phrase occurs in the span lowered (the
premise of `context.modifiers_many`'s `keys`), and `may_have_modifier` with them answers as with every key; on
the dev notes (French as written, rewritten in English wording, their English twins, in capitals, with
U+00A0 for spaces) and on random texts of rule words, accented letters, signs and white space."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import context, french
from oncofed.ingest.patients.notes import triggers
from oncofed.ingest.patients.notes.text import clauses, sentences

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
RULES = context._phrase_words()
_WORDS = sorted(
    {w for key in (RULES[0] if RULES else {}) for w in (key, "no", "history", "of", "not", "denies")}
)
_SPACES = [" ", "\u00a0", "\n", "\u0085", "\x1c", "\t", "", "  ", "-", ". ", "é", "É", "ı", "(", ")", ":"]


def _notes(folder: str) -> list[str]:
    path = DATA / folder / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def _occurring(sentence: str) -> set[str]:
    """The keys of the rules whose loose phrase `may_have_modifier` finds in `sentence`."""
    assert RULES is not None
    low = sentence.lower()
    return {key for key, rules in RULES[0].items() if any(loose.search(low) for loose, _, _ in rules)}


def _targets(text: str, a: int, b: int) -> list[list[tuple[int, int]]]:
    """Target spans to ask about in `text[a:b]`: the whole span, its first, middle and last words."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[a:b])]
    if not words:
        return []
    return [[(0, b - a)], [words[0]], [words[len(words) // 2]], [words[-1]], [words[0], words[-1]]]


def _check(text: str) -> None:
    spans = sorted({*sentences(text), *clauses(text), (0, len(text))})
    keys = triggers.rule_keys_within(text, spans)
    if keys is None:  # beyond Latin-1, or no Hyperscan: `modifiers_many` asks `rule_keys_in`
        assert not text.isascii() or triggers.hyperscan is None
        return
    assert len(keys) == len(spans)
    for (a, b), found in zip(spans, keys, strict=True):
        assert _occurring(text[a:b]) <= set(found), (text[a:b], found)
        for targets in _targets(text, a, b):
            expected = context.may_have_modifier(text[a:b], targets)
            assert context.may_have_modifier(text[a:b], targets, found) == expected, (text[a:b], targets)


def test_hyperscan_is_used() -> None:
    assert RULES is not None
    found = triggers._database()
    assert triggers.hyperscan is None or (found is not None and found[1] is not None and found[2] is not None)


def test_same_prefilter_on_the_dev_notes() -> None:
    french_notes = _notes("verdicts-dev-fr")
    texts = [*french_notes, *_notes("verdicts-dev")]
    texts += [french.rewrite(t).text for t in french_notes]
    texts += [t.upper() for t in texts] + [t.replace(" ", "\u00a0") for t in texts[::3]]
    for text in texts:
        _check(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SPACES), st.booleans()), max_size=25))
def test_same_prefilter_on_random_texts(parts: list[tuple[str, str, bool]]) -> None:
    _check("".join((w.upper() if upper else w) + space for w, space, upper in parts))


def test_a_rule_phrase_across_a_no_break_space_is_found() -> None:
    # `re`'s \s holds U+00A0 (French typography puts it before ":"); Hyperscan's own \s does not
    text = "Patient free\u00a0of disease, history\u00a0of\u00a0DVT. Negative\u00a0for HIV."
    spans = list(sentences(text))
    keys = triggers.rule_keys_within(text, spans)
    if keys is None:
        assert triggers.hyperscan is None
        return
    assert {"free", "history", "negative"} <= set(keys[0]) | set(keys[1])
    for (a, b), found in zip(spans, keys, strict=True):
        assert _occurring(text[a:b]) <= set(found)
