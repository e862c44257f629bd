"""ConText's sentences without SENT_START flags (issue 23 speed): `context.modifiers_many` gives each text's
first token to the `token.sent` hook (`_first_tokens`, a bisection per text) instead of writing the Doc's
SENT_START array (a flag per token); ConText reads sentences only through `token.sent`.

Checked against the plain path: medspaCy's ConText on each text alone, as written, in a Doc of its own
whose SENT_START flags make it one sentence, each target's modifiers read from `span._.modifiers`; and
`_first_tokens` against the flags the Doc had (a token starts a sentence where its offset is a text's
offset, and token 0), texts opening with white space included. (The notes reader's sentences are trimmed;
a text opening with white space shares the sentence of the text before it, in a Doc, before and after
this change.)
"""

from __future__ import annotations

import numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import IDX, SENT_START

from oncofed.criteria import context

_WORDS = ["no", "not", "denies", "history", "of", "without", "possible", "family", "mother", "if", "but",
          "cancer", "HIV", "brain", "metastases", "infection", "treated", "prior", "negative", "for", "r/o",
          "ruled", "out", "free", "absence", "aunt", "had", "is", "being", "considered", ",", ";", ".",
          "2.4", "mg/dL", "Dr", "(", ")", "resolved", "now", "however", "pas", "de", "métastase"]  # fmt: skip


@st.composite
def _item(draw: st.DrawFn, lead: tuple[str, ...] = ("",)) -> tuple[str, list[tuple[int, int]]]:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
    text = draw(st.sampled_from(lead))
    for k, word in enumerate(words):
        text += word + ("" if k == len(words) - 1 else draw(st.sampled_from([" ", " ", "  ", "\n", ""])))
    text += draw(st.sampled_from([".", "", " .", ". "]))
    n = len(text)
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, max(0, n - 1)))
        spans.append((start, draw(st.integers(start + 1, max(start + 1, n)))))
    return text, spans


def _plain_one(text: str, spans: list[tuple[int, int]]) -> list[context.Context]:
    """medspaCy's ConText on `text` alone: one Doc, one sentence (SENT_START), no hook."""
    if not spans or not context.has_trigger(text):
        return [context.NO_CONTEXT] * len(spans)
    nlp = context.pipeline()
    doc = nlp.make_doc(text.replace("\n", " "))
    if len(doc):
        flags = numpy.full(len(doc), -1)
        flags[0] = 1
        doc.from_array([SENT_START], flags.astype(numpy.uint64))
    targets = [doc.char_span(s, e, label="TARGET", alignment_mode="expand") for s, e in spans]
    doc.spans[context.GROUP] = [t for t in targets if t is not None]
    nlp.get_pipe("medspacy_context")(doc)
    return [context.NO_CONTEXT if t is None else context._read(t) for t in targets]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_item(), min_size=1, max_size=7))
def test_modifiers_many_equal_context_on_each_text_alone(
    items: list[tuple[str, list[tuple[int, int]]]],
) -> None:
    context.clear_memo()
    got = context.modifiers_many(items)
    context.clear_memo()
    assert repr(got) == repr([_plain_one(text, spans) for text, spans in items]), items


@settings(max_examples=300, deadline=None)
@given(st.lists(_item(lead=("", "", " ", "\n")), min_size=1, max_size=5))
def test_first_tokens_are_the_flagged_sentence_starts(items: list[tuple[str, list[tuple[int, int]]]]) -> None:
    offsets, pos = [], 0
    for text, _ in items:
        offsets.append(pos)
        pos += len(text) + 2
    doc = context.pipeline().make_doc("\n\n".join(text for text, _ in items))
    if not len(doc):
        return
    idx = doc.to_array(IDX).tolist()
    flags = [1 if i in set(offsets) else -1 for i in idx]
    flags[0] = 1
    assert context._first_tokens(idx, offsets) == [k for k, flag in enumerate(flags) if flag == 1]


def test_a_negation_is_read_in_each_sentence_of_one_doc() -> None:
    context.clear_memo()
    items = [
        ("No HIV", [(3, 6)]),
        ("HIV", [(0, 3)]),
        ("no brain metastases", [(3, 19)]),
        ("history of cancer", [(11, 17)]),
    ]
    got = context.modifiers_many(items)
    assert [(c.negated, c.historical) for answer in got for c in answer] == [
        (True, False), (False, False), (True, False), (False, True)
    ]  # fmt: skip
