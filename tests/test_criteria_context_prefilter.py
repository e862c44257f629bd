"""ConText's cheap pre-filters give the answers of their plain forms (issue 23 speed).

`has_trigger` searches a prefix-factored alternation of the trigger words (`_trie_alternation`) with
`fast_regex.compile_fast`; it must agree with the plain IGNORECASE alternation on any text.
`may_have_modifier(text, spans, keys)` with `keys = rule_keys_in(texts)` (texts holding `text`) must
agree with `may_have_modifier(text, spans)`.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria import context

_WORDS = context._trigger_words()
_PLAIN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
    + r")(?![\w])|\bnon-|\bun\w+ed\b",
    re.IGNORECASE,
)
_FILLER = ["cancer", "HIV", "infection", "know", "nodes", "untreated", "under", "non", "-", "/", "é",
           "Négatif", "ſ", "K", "unless", "norm", "1.5", "(", ")", ":", "cannot", "isnt"]  # fmt: skip
_SEPARATORS = [" ", "  ", "-", "\n", "", "/", "é"]


@st.composite
def _text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(_WORDS + _FILLER), min_size=1, max_size=8))
    text = ""
    for p in parts:
        p = draw(st.sampled_from([p, p.upper(), p.title(), p[:-1], p[1:]]))
        text += p + draw(st.sampled_from(_SEPARATORS))
    return text


def test_trie_alternation_matches_exactly_its_words() -> None:
    pattern = re.compile(f"(?:{context._trie_alternation(['no', 'non', 'not', 'non-pregnant', 'r/o'])})")
    for word in ["no", "non", "not", "non-pregnant", "r/o"]:
        assert pattern.fullmatch(word)
    for other in ["n", "nonp", "non-", "r/", "nod", ""]:
        assert not pattern.fullmatch(other)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text() | st.text(alphabet="nouteid -/éNOUSK", max_size=30))
def test_has_trigger_agrees_with_the_plain_alternation(text: str) -> None:
    assert context.has_trigger(text) == (_PLAIN.search(text) is not None), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_text(), min_size=1, max_size=4), st.data())
def test_keys_of_a_note_give_each_sentence_its_answer(texts: list[str], data: st.DataObject) -> None:
    keys = context.rule_keys_in(texts)
    for text in texts:
        if not text:
            continue
        s = data.draw(st.integers(0, len(text) - 1))
        spans = [(s, data.draw(st.integers(s + 1, len(text))))]
        assert context.may_have_modifier(text, spans, keys) == context.may_have_modifier(text, spans)
