"""The ASCII fast path of the vocabulary tokeniser gives the tokens of the general (Unicode) path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import vocab


def _general(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((m.group(0).lower(), m.start(), m.end()) for m in vocab._TOKEN.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_tokens_match_the_general_tokeniser(text: str) -> None:
    assert vocab._tokens.__wrapped__(text) == _general(text)
    assert vocab._token_set.__wrapped__(text) == frozenset(t for t, _, _ in _general(text))


def test_non_ascii_text_keeps_the_general_path() -> None:
    text = "HER2-positive Ménétrier's disease_x ≥ 1.5 × ULN"
    assert vocab._tokens.__wrapped__(text) == _general(text)
    assert ("ménétrier", 14, 23) in vocab._tokens.__wrapped__(text)
