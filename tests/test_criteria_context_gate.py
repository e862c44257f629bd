"""The ConText pre-check (`context.may_have_modifier`) must never skip a text ConText would modify.

Texts are built from the pipeline's own rule phrases, filler words, targets and odd spacing/case;
ConText is run on every text without the pre-check and compared with what the pre-check says.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria import context

_PIPE = context.pipeline()
_LITERALS = sorted({r.literal for r in _PIPE.get_pipe("medspacy_context").rules})
# words that hide rule tokens ("know", "nodes", "for/or"), tokenizer special cases that split a word
# into rule tokens ("cannot" -> "can" + "not", "isnt"), affixes next to letters ("5in", "US$", "'s")
_WORDS = ["cancer", "HIV", "infection", "brain", "metastases", "prior", "chemotherapy", "nodes",
          "cannot", "Cannot", "isnt", "dont", "know", "another", "for/or", "5in", "US$", "'s", "(",
          ")", ",", ".", "-", ":", "/", "1.5", "x", "ULN"]  # fmt: skip
_SEPARATORS = [" ", "  ", "-", "\n", " \t", ""]


def _modified(text: str, spans: list[tuple[int, int]]) -> bool:
    """ConText run directly (no pre-check): does any modifier apply to any target?"""
    doc = _PIPE.make_doc(text.replace("\n", " "))
    for token in doc:  # one sentence, as `modifiers_many` sets it
        token.is_sent_start = token.i == 0
    targets = [doc.char_span(s, e, label="TARGET", alignment_mode="expand") for s, e in spans]
    doc.spans[context.GROUP] = [t for t in targets if t is not None]
    _PIPE.get_pipe("medspacy_context")(doc)
    return any(t is not None and t._.modifiers for t in targets)


@st.composite
def _texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(_LITERALS), st.sampled_from(_WORDS)),
            min_size=1,
            max_size=8,
        )
    )
    text = ""
    for p in parts:
        p = draw(st.sampled_from([p, p.upper(), p.title()]))
        text += p + draw(st.sampled_from(_SEPARATORS))
    text = text.strip() or "x"
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(1, 3))):
        s = draw(st.integers(0, n - 1))
        spans.append((s, draw(st.integers(s + 1, n))))
    return text, spans


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts())
def test_pre_check_never_skips_a_modified_target(item: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = item
    if _modified(text, spans):
        assert context.may_have_modifier(text, spans), (text, spans)


def test_pre_check_skips_texts_without_a_whole_phrase() -> None:
    # "no" alone is a trigger word of the cheap first filter; the pre-check also needs the target
    # to follow a forward rule such as "no" / "without"
    assert context.may_have_modifier("no HIV infection", [(3, 16)])
    assert not context.may_have_modifier("HIV infection, no", [(0, 13)]) or _modified(
        "HIV infection, no", [(0, 13)]
    )
    assert not context.may_have_modifier("measurable disease", [(0, 18)])
