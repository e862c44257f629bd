"""ConText's native graph reads a target's tokens from the Doc's offsets (`context._expanded`, speed25, issue
23): the tokens and characters of spaCy's `Doc.char_span(start, end, alignment_mode="expand")`, or None where
spaCy gives no span or an empty one, on random texts of words, signs and white space and every span of them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import context

PIECES = [
    "no",
    "x-ray",
    "pt's",
    "1.5",
    "mg/dL",
    "(",
    ")",
    ".",
    ",",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "é",
    "Dr.",
    "can't",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14), st.data())
def test_expanded_spans_are_spacys(pieces: list[str], data: st.DataObject) -> None:
    text = "".join(pieces)
    doc = context.pipeline().make_doc(text)
    idx, lengths = context._token_arrays(doc)
    for _ in range(12):
        start = data.draw(st.integers(-1, len(text) + 1))
        end = data.draw(st.integers(-1, len(text) + 2))
        mine = context._expanded(idx, lengths, len(text), start, end)
        try:
            span = doc.char_span(start, end, alignment_mode="expand")
        except Exception:  # noqa: BLE001 - spaCy refuses the span: so must `_expanded`
            span = None
        if mine is None:
            assert span is None or span.start >= span.end
        else:
            assert span is not None
            assert mine == (span.start, span.end)
            assert (idx[mine[0]], idx[mine[1] - 1] + lengths[mine[1] - 1]) == (span.start_char, span.end_char)
