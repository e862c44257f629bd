"""ConText's answers read from its graph's edges equal those read through spaCy's `span._.modifiers`
(issue 23 speed: `modifiers_many` reads `doc._.context_graph.edges`, keyed by each target's characters
as spaCy keys extension data, instead of one `span._` object a target).

The plain form here builds the Doc as `modifiers_many` does for one sentence and reads every target's
`span._.modifiers`; targets are drawn anywhere, twice on the same characters, overlapping, or cut
inside a word (spaCy's `alignment_mode="expand"`).
"""

from __future__ import annotations

import numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import SENT_START

from oncofed.criteria import context

_WORDS = ["no", "not", "denies", "history", "of", "without", "possible", "family", "mother", "if", "but",
          "cancer", "HIV", "brain", "metastases", "infection", "treated", "prior", "negative", "for", "r/o",
          "ruled", "out", "free", "absence", "aunt", "had", "is", "being", "considered", ",", ";", "."]  # fmt: skip


@st.composite
def _item(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    text = ""
    for word in words:
        text += word + draw(st.sampled_from([" ", " ", "  ", "\n", ""]))
    n = len(text.rstrip())
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, max(0, n - 1)))
        end = draw(st.integers(start + 1, max(start + 1, n)))
        spans.append((start, end))
        if draw(st.booleans()):
            spans.append((start, end))  # the same characters twice: one extension key in spaCy
    return text, spans


def _plain(text: str, spans: list[tuple[int, int]]) -> list[context.Context]:
    nlp = context.pipeline()
    doc = nlp.make_doc(text.replace("\n", " "))
    if len(doc):
        sent = numpy.array([-1] * len(doc))
        sent[0] = 1
        doc.from_array([SENT_START], sent.astype(numpy.uint64))
    targets = [doc.char_span(s, e, label="TARGET", alignment_mode="expand") for s, e in spans]
    doc.spans[context.GROUP] = [t for t in targets if t is not None]
    nlp.get_pipe("medspacy_context")(doc)
    return [context._read(t) for t in targets]  # through `span._.modifiers`


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_item())
def test_edges_give_the_modifiers_of_each_target(item: tuple[str, list[tuple[int, int]]]) -> None:
    text, spans = item
    context.clear_memo()
    assert repr(context.modifiers_many([(text, spans)])[0]) == repr(_plain(text, spans)), item


def test_a_negated_target_read_from_the_edges() -> None:
    context.clear_memo()
    text = "No evidence of brain metastases and no HIV."
    spans = [(15, 31), (15, 31), (39, 42)]
    got = context.modifiers_many([(text, spans)])[0]
    assert [c.negated for c in got] == [True, True, True]
    assert repr(got) == repr(_plain(text, spans))
